"""failed sign-ins per account and per client address: login_throttles

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )
    op.create_index("login_throttles_last_failed", "login_throttles", ["last_failed_at"])


def downgrade():
    op.drop_index("login_throttles_last_failed", table_name="login_throttles")
    op.drop_table("login_throttles")
