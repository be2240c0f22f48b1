"""grants versions instead of whole-second token times: account_versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_versions",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("grants_version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Replaced by account_versions: compared with whole-second iat, it let a token issued
    # in the same second as a change keep the old grants.
    op.drop_column("auth_sessions", "tokens_valid_from")


def downgrade():
    op.add_column("auth_sessions", sa.Column("tokens_valid_from", sa.DateTime(timezone=True)))
    op.drop_table("account_versions")
