"""the login log: every sign-in, successful or not (the administrator's pages)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_events",
        sa.Column("id", sa.String(36), primary_key=True),           # UUIDv7: newest last
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),       # success/failure/throttled
        sa.Column("account_id", sa.String(36)),                    # known on success only
        sa.Column("username", sa.String(64)),                      # as typed; phones masked
        sa.Column("address", sa.String(64)),                       # masked: /24, IPv6 /48
        sa.Column("user_agent", sa.String(300)),
        sa.Column("session_id", sa.String(36)),
    )
    op.create_index("login_events_account", "login_events", ["account_id"])
    op.create_index("login_events_session", "login_events", ["session_id"])
    op.create_index("login_events_at", "login_events", ["at"])


def downgrade():
    op.drop_table("login_events")
