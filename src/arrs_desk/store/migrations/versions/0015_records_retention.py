"""records retention: legal holds and the destruction log

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-04 13:00:00

Reviewed by hand. Two new tables and nothing else changes: `retention_hold` (a person's records
are under legal hold or needed by an inquiry, with the reason) and `destruction_log` (what class
of record was reduced or erased, whose, when, by whom and under which rule, with counts only).
The periods an administrator changes are kept in `setting`, which exists already.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retention_hold',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('placed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('placed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('staff_id')
    )
    op.create_table('destruction_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('record_class', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('rule_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('rule_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('destruction_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_destruction_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_log_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('destruction_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_destruction_log_staff_id'))
        batch_op.drop_index(batch_op.f('ix_destruction_log_at'))
    op.drop_table('destruction_log')
    op.drop_table('retention_hold')
