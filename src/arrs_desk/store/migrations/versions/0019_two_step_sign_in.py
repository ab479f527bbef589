"""two-step sign-in: an authenticator app's secret per account that has turned it on

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 16:00:00

Reviewed by hand. One new table, `two_step_secret`, with a row only for accounts whose holder has
set up an authenticator app. No data step: no account has one until its holder sets it up (an
administrator on a shared PostgreSQL database is asked to at their next sign-in).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('two_step_secret',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('enabled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('two_step_secret')
