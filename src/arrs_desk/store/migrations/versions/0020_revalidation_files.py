"""revalidation files: certificates and reflection documents on CPD entries and evidence

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 17:45:00

Reviewed by hand. One new table, `revalidation_file`, a row per file attached to a CPD entry or a
piece of revalidation evidence (the file itself is in the evidence folder under its SHA-256, as
induction evidence is). `cpd_entry.counts_towards` and `revalidation_evidence.counts_towards`
came with 0016, so no column is added. No data step: the role catalogue is brought up to date
when a database is opened (`services.roles.sync_builtin_roles`, by the catalogue's version).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('revalidation_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('cpd_entry_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('added_by_user_id', sa.Integer(), nullable=True),
    sa.Column('added_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['added_by_user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['cpd_entry_id'], ['cpd_entry.id'], ),
    sa.ForeignKeyConstraint(['evidence_id'], ['revalidation_evidence.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('revalidation_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revalidation_file_cpd_entry_id'), ['cpd_entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revalidation_file_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revalidation_file_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_revalidation_file_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('revalidation_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revalidation_file_staff_id'))
        batch_op.drop_index(batch_op.f('ix_revalidation_file_sha256'))
        batch_op.drop_index(batch_op.f('ix_revalidation_file_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_revalidation_file_cpd_entry_id'))
    op.drop_table('revalidation_file')
