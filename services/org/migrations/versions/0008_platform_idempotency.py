"""Idempotency keys of gateway writes (a platform table)

Revision ID: 0008
Revises: 0007
"""
from alembic import op

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    create_platform_tables(op.get_bind(), only=("idempotency_keys",))


def downgrade():
    drop_platform_tables(op.get_bind(), only=("idempotency_keys",))
