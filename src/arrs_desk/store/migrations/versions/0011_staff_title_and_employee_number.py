"""staff title and employee number

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00

Reviewed by hand. Staff gain a title (Dr, Mrs, Mx…; existing rows get "") and the employee number
an employer's HR or payroll system gives them (NULL when unknown), unique per employer when given.

Data step: a preferred name that begins with a title ("Dr Patel", "Mrs Jo") showed as
"Dr Patel Patel" in lists. Where the first word is one of the titles below and more follows, the
title moves into the new field ("Dr Patel" with family name Patel leaves no preferred name;
"Mrs Jo" leaves "Jo"), and each change gets an entry in the audit trail. Anything else (a
preferred name that is only "Dr", an unknown word) is left as it was. The list of titles is
frozen here so that later changes to the app's rules cannot change what this upgrade did.
"""

import re

import sqlalchemy as sa
import sqlmodel
from alembic import op

from arrs_desk import clock

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_TITLES = {"dr": "Dr", "doctor": "Dr", "mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx",
           "prof": "Prof", "professor": "Prof"}
_LEADING_TITLE = re.compile(r"^\s*([A-Za-z]+)(?:\.\s*|\s+)(\S.*)$")


def _split(preferred: str, family: str) -> tuple[str, str] | None:
    """(title, preferred name left) when the preferred name starts with a known title, else None."""
    match = _LEADING_TITLE.match(preferred or "")
    if not match or match.group(1).lower() not in _TITLES:
        return None
    rest = match.group(2).strip()
    if rest.casefold() == (family or "").strip().casefold():
        rest = ""
    return _TITLES[match.group(1).lower()], rest


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column('employee_number', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True))
        batch_op.create_index('ux_staff_employer_employee_number', ['employer_id', 'employee_number'], unique=True)
    _titles_out_of_preferred_names()


def _titles_out_of_preferred_names() -> None:
    bind = op.get_bind()
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('title', sa.String),
                     sa.column('family_name', sa.String), sa.column('preferred_name', sa.String))
    audit = sa.table('audit_entry', sa.column('at', sa.DateTime(timezone=True)), sa.column('user_id', sa.Integer),
                     sa.column('actor_name', sa.String), sa.column('action', sa.String),
                     sa.column('entity_type', sa.String), sa.column('entity_id', sa.String),
                     sa.column('subject_staff_id', sa.Integer), sa.column('summary', sa.String),
                     sa.column('changes', sa.JSON))
    rows = bind.execute(sa.select(staff.c.id, staff.c.family_name, staff.c.preferred_name)
                        .where(staff.c.preferred_name != "", staff.c.title == "")).all()
    now = clock.now()
    for staff_id, family, preferred in rows:
        split = _split(preferred, family)
        if split is None:
            continue
        title, rest = split
        bind.execute(sa.update(staff).where(staff.c.id == staff_id).values(title=title, preferred_name=rest))
        bind.execute(sa.insert(audit).values(
            at=now, user_id=None, actor_name="ARRS Desk (database upgrade)", action="update", entity_type="staff",
            entity_id=str(staff_id), subject_staff_id=staff_id,
            summary=f"Moved the title {title} out of the preferred name {preferred!r} into the new Title field",
            changes={"title": ["", title], "preferred_name": [preferred, rest]},
        ))


def downgrade() -> None:
    # Not a batch (copy-and-rename) on SQLite: dropping the staff table to rebuild it is refused
    # while every other table's foreign keys point at it. SQLite 3.35+ drops a plain column in place.
    op.drop_index('ux_staff_employer_employee_number', table_name='staff')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE staff DROP COLUMN employee_number")
        op.execute("ALTER TABLE staff DROP COLUMN title")
    else:
        op.drop_column('staff', 'employee_number')
        op.drop_column('staff', 'title')
