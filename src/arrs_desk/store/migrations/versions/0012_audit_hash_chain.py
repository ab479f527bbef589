"""audit hash chain

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 13:00:00

Reviewed by hand. Audit entries gain their place in a hash chain (`store/audit_chain.py`): a
position (unique), the previous entry's hash and their own. A one-row table holds the chain's last
link. Existing entries cannot be given links (they are append-only, and that stays so); instead the
chain starts with an entry that records how many entries came before it, the last of their ids and
one digest over them all, so `arrs-desk verify` notices if any of them is changed or removed later.
The chain holds from that entry's time on. A database
with no entries yet gets neither: its chain starts with its first entry. New guard triggers refuse TRUNCATE of the audit table on
PostgreSQL (its row triggers do not see one) and removing or moving back the chain head.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from arrs_desk import clock
from arrs_desk.store import audit_chain, audit_guard

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_AUDIT = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('at', sqlmodel.sql.sqltypes.UTCDateTime()),
                  sa.column('user_id', sa.Integer), sa.column('actor_name', sa.String), sa.column('action', sa.String),
                  sa.column('entity_type', sa.String), sa.column('entity_id', sa.String),
                  sa.column('subject_staff_id', sa.Integer), sa.column('summary', sa.String),
                  sa.column('changes', sa.JSON), sa.column('chain_seq', sa.Integer),
                  sa.column('prev_hash', sa.String), sa.column('entry_hash', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index('ux_audit_chain_seq', ['chain_seq'], unique=True)
    op.create_table('audit_chain_head',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('seq', sa.Integer(), nullable=False),
                    sa.Column('entry_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    _start_chain()
    bind = op.get_bind()
    names = None if bind.dialect.name != "sqlite" else [n for n in audit_guard.SQLITE_TRIGGERS
                                                       if n.startswith("audit_chain_head")]
    audit_guard.create_guards(bind, names)


def _start_chain() -> None:
    bind = op.get_bind()
    columns = [_AUDIT.c[name] for name in ("id", *audit_chain.CONTENT_FIELDS)]
    earlier = [dict(r._mapping) for r in bind.execute(sa.select(*columns).order_by(_AUDIT.c.id))]
    if not earlier:
        return  # a new database: the chain starts with its first entry, and the head with it
    last_id = earlier[-1]["id"] if earlier else 0
    values = dict(at=clock.now(), user_id=None, actor_name="ARRS Desk (audit chain upgrade)",
                  action=audit_chain.CHAIN_START_ACTION, entity_type="audit_trail", entity_id="",
                  subject_staff_id=None,
                  summary=f"The audit trail's hash chain starts here; the {len(earlier)} entries before it are "
                          "covered by one digest recorded in this entry.",
                  changes={"entries_before": len(earlier), "last_id_before": last_id,
                           "digest_before": audit_chain.digest_of_unlinked(earlier)})
    values["entry_hash"] = audit_chain.entry_hash(values, 1, audit_chain.GENESIS)
    bind.execute(sa.insert(_AUDIT).values(chain_seq=1, prev_hash=audit_chain.GENESIS, **values))
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, seq, entry_hash) VALUES (1, 1, :h)"),
                 {"h": values["entry_hash"]})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in audit_guard.SQLITE_TRIGGERS:
            if name.startswith("audit_chain_head"):
                op.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
    op.drop_table('audit_chain_head')
    if bind.dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS audit_chain_refuse_change()")
    # The chain's entries stay (the trail is append-only); only their link columns go.
    op.drop_index('ux_audit_chain_seq', table_name='audit_entry')
    if bind.dialect.name == "sqlite":
        for column in ("entry_hash", "prev_hash", "chain_seq"):
            op.execute(f"ALTER TABLE audit_entry DROP COLUMN {column}")
    else:
        for column in ("entry_hash", "prev_hash", "chain_seq"):
            op.drop_column('audit_entry', column)
