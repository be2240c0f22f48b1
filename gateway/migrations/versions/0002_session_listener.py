"""sessions follow org's events: tokens_valid_from, processed_events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # Access tokens issued before this time are refused (the account's grants changed).
    op.add_column("auth_sessions", sa.Column("tokens_valid_from", sa.DateTime(timezone=True)))
    create_platform_tables(op.get_bind(), only=("processed_events",))


def downgrade():
    drop_platform_tables(op.get_bind(), only=("processed_events",))
    op.drop_column("auth_sessions", "tokens_valid_from")
