"""auth_sessions: one row per login

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(300), nullable=True),
    )
    op.create_index("auth_sessions_account", "auth_sessions", ["account_id"])


def downgrade():
    op.drop_index("auth_sessions_account", table_name="auth_sessions")
    op.drop_table("auth_sessions")
