"""revalidation: the CPD log and revalidation evidence

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 13:00:00

Reviewed by hand. Two new tables, nothing existing changes: `cpd_entry` (the CPD log) and
`revalidation_evidence` (feedback, reflective accounts, discussions, declarations,
confirmations, practice hours). Cycles and statuses are worked out when read, so nothing else
is stored.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _tracked() -> list[sa.Column]:
    return [sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
            sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def _people() -> list[sa.Column]:
    text = sqlmodel.sql.sqltypes.AutoString
    return [sa.Column('recorded_by_user_id', sa.Integer(), sa.ForeignKey('user_account.id'), nullable=True),
            sa.Column('recorded_by_name', text(length=200), nullable=False),
            sa.Column('verified_by_user_id', sa.Integer(), sa.ForeignKey('user_account.id'), nullable=True),
            sa.Column('verified_by_name', text(length=200), nullable=False),
            sa.Column('verified_on', sa.Date(), nullable=True)]


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        'cpd_entry', *_tracked(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('title', text(length=200), nullable=False),
        sa.Column('provider', text(length=200), nullable=False),
        sa.Column('method', text(length=30), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('participatory', sa.Boolean(), nullable=False),
        sa.Column('planned', sa.Boolean(), nullable=False),
        sa.Column('reflection', text(length=8000), nullable=False),
        sa.Column('source_kind', text(length=20), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('counts_towards', sa.Date(), nullable=True),
        *_people(),
    )
    op.create_index('ix_cpd_entry_staff_day', 'cpd_entry', ['staff_id', 'occurred_on'])
    op.create_table(
        'revalidation_evidence', *_tracked(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('kind', text(length=30), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('title', text(length=200), nullable=False),
        sa.Column('details', text(length=8000), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('partner_name', text(length=200), nullable=False),
        sa.Column('partner_registration', text(length=30), nullable=False),
        sa.Column('counts_towards', sa.Date(), nullable=True),
        *_people(),
    )
    op.create_index('ix_revalidation_evidence_staff_day', 'revalidation_evidence', ['staff_id', 'occurred_on'])


def downgrade() -> None:
    op.drop_index('ix_revalidation_evidence_staff_day', table_name='revalidation_evidence')
    op.drop_table('revalidation_evidence')
    op.drop_index('ix_cpd_entry_staff_day', table_name='cpd_entry')
    op.drop_table('cpd_entry')
