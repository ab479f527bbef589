"""external sign-off and prior induction: who signed on someone's behalf, and inductions done
before records began

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 21:52:49.156641

Reviewed by hand. Every table with sign-off fields gains the signer's role, organisation and
registration as signed, and how a signature recorded on their behalf arrived (paper, e-mail);
existing rows get "" (signed in the app, or recorded before these were kept). A new table holds
an induction completed before the PCN's records began.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SIGN_OFF_TABLES = ("induction_item", "programme_competency", "programme_enrolment", "review_sign_off",
                   "supervision_attendance", "supervision_session")
SIGN_OFF_COLUMNS = (("signed_by_role", 120), ("signed_by_organisation", 200), ("signed_by_registration", 40),
                    ("received_via", 10))


def upgrade() -> None:
    op.create_table('induction_prior_record',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('attested_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('attested_by_role', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('attested_by_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('evidence_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('evidence_filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('evidence_media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('evidence_size', sa.Integer(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['attested_by_user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('staff_id')
    )
    for table in SIGN_OFF_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in SIGN_OFF_COLUMNS:
                batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length),
                                              nullable=False, server_default=""))


def downgrade() -> None:
    for table in reversed(SIGN_OFF_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(SIGN_OFF_COLUMNS):
                batch_op.drop_column(name)
    op.drop_table('induction_prior_record')
