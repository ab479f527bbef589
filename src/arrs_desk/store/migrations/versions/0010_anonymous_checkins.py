"""anonymous check-ins: who answered which check-in is kept apart from what was answered

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:12:00

Reviewed by hand. `checkin_response` held each person's answers with their staff id and the
date, so anyone who could read it, or compare the summary before and after one person answered,
could learn that person's answers. It is replaced by:

* `checkin_completion` (staff id, months in post): who has done which check-in, for what is due;
* `checkin_tally` (group, month released): counts of each answer per statement, in batches from
  at least five different people;
* `checkin_pending` and `checkin_pending_person`: answers with a random id and no name or date,
  waiting until their group's batch holds five different people, and who those people are.

Existing answers move as the service would have kept them: for each group (by role code, and by
each practice the person works in now), the answers of a group with at least five different
people become one tally for the month of its latest answer; the answers of a smaller group wait
for their batch. Comments are dropped: free text can name its writer, and the new design keeps
no comment. A downgrade cannot put names back on anonymous answers: the old table returns empty.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

MIN_GROUP = 5
"""arrs_desk.domain.assurance.MIN_GROUP when this was written; a migration must not change with the app."""
SCALE_POINTS = 5


def _create_tables() -> None:
    op.create_table('checkin_completion',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'months')
    )
    op.create_table('checkin_tally',
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('group_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('round', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('dimension', 'group_key', 'round')
    )
    op.create_table('checkin_pending',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('group_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_pending_dimension'), ['dimension'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_pending_group_key'), ['group_key'], unique=False)
    op.create_table('checkin_pending_person',
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('group_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dimension', 'group_key', 'staff_id')
    )


def _counts(answers: list[dict]) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for answer in answers:
        for key, value in answer.items():
            if isinstance(value, int) and 1 <= value <= SCALE_POINTS:
                counts.setdefault(key, [0] * SCALE_POINTS)[value - 1] += 1
    return counts


def _move_answers(bind) -> None:
    old = sa.table('checkin_response', sa.column('staff_id', sa.Integer), sa.column('months', sa.Integer),
                   sa.column('answered_on', sa.Date), sa.column('answers', sa.JSON))
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('role_code', sa.String))
    practice = sa.table('staff_practice', sa.column('staff_id', sa.Integer), sa.column('organisation_id', sa.Integer))
    rows = bind.execute(sa.select(old.c.staff_id, old.c.months, old.c.answered_on, old.c.answers)).all()
    if not rows:
        return
    roles = dict(bind.execute(sa.select(staff.c.id, staff.c.role_code)).all())
    practices: dict[int, list[int]] = defaultdict(list)
    for staff_id, org_id in bind.execute(sa.select(practice.c.staff_id, practice.c.organisation_id)):
        practices[staff_id].append(org_id)

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        keys = [("role", str(roles.get(row.staff_id, "")))] + [("practice", str(o)) for o in practices[row.staff_id]]
        for key in keys:
            groups[key].append(row)

    completion = sa.table('checkin_completion', sa.column('staff_id', sa.Integer), sa.column('months', sa.Integer))
    tally = sa.table('checkin_tally', sa.column('dimension', sa.String), sa.column('group_key', sa.String),
                     sa.column('round', sa.String), sa.column('responses', sa.Integer), sa.column('counts', sa.JSON))
    pending = sa.table('checkin_pending', sa.column('id', sa.String), sa.column('dimension', sa.String),
                       sa.column('group_key', sa.String), sa.column('answers', sa.JSON))
    waiting = sa.table('checkin_pending_person', sa.column('dimension', sa.String), sa.column('group_key', sa.String),
                       sa.column('staff_id', sa.Integer))
    shuffle = random.SystemRandom().shuffle  # the order rows go in says nothing about who or when
    done = sorted({(r.staff_id, r.months) for r in rows})
    bind.execute(completion.insert(), [{"staff_id": s, "months": m} for s, m in done])
    tallies, pendings, persons = [], [], []
    for (dimension, key), members in sorted(groups.items()):
        people = {r.staff_id for r in members}
        answers = [dict(r.answers or {}) for r in members]
        if len(people) >= MIN_GROUP:
            latest = max(r.answered_on for r in members)
            tallies.append({"dimension": dimension, "group_key": key, "round": f"{latest.year:04d}-{latest.month:02d}",
                            "responses": len(answers), "counts": _counts(answers)})
        else:
            pendings += [{"id": uuid.uuid4().hex, "dimension": dimension, "group_key": key, "answers": a}
                         for a in answers]
            persons += [{"dimension": dimension, "group_key": key, "staff_id": s} for s in sorted(people)]
    shuffle(pendings)
    for table, values in ((tally, tallies), (pending, pendings), (waiting, persons)):
        if values:
            bind.execute(table.insert(), values)


def upgrade() -> None:
    _create_tables()
    _move_answers(op.get_bind())
    with op.batch_alter_table('checkin_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_response_answered_on'))
        batch_op.drop_index(batch_op.f('ix_checkin_response_staff_id'))
    op.drop_table('checkin_response')


def downgrade() -> None:
    op.create_table('checkin_response',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'months', name='uq_checkin_response_point')
    )
    with op.batch_alter_table('checkin_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_response_answered_on'), ['answered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_response_staff_id'), ['staff_id'], unique=False)
    op.drop_table('checkin_pending_person')
    with op.batch_alter_table('checkin_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_pending_group_key'))
        batch_op.drop_index(batch_op.f('ix_checkin_pending_dimension'))
    op.drop_table('checkin_pending')
    op.drop_table('checkin_tally')
    op.drop_table('checkin_completion')
