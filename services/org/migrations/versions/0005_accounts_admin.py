"""accounts admin and proxy registration: password change time, claims without accounts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("password_changed_at", sa.DateTime(timezone=True)))
    op.add_column("resident_claims", sa.Column("note", sa.Text))
    op.alter_column("resident_claims", "account_id", nullable=True)
    op.create_index("ix_resident_claims_status_path", "resident_claims", ["status", "path"],
                    postgresql_ops={"path": "text_pattern_ops"})


def downgrade():
    op.drop_index("ix_resident_claims_status_path", table_name="resident_claims")
    op.alter_column("resident_claims", "account_id", nullable=False)
    op.drop_column("resident_claims", "note")
    op.drop_column("accounts", "password_changed_at")
