"""disputes: platform tables (with the unit-tree read model), cases, the case file, the
hash-chained case log and its heads, maintained statistics, campaigns

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
from alembic import op
from sqlalchemy import text

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OWN = ("cases", "case_parties", "case_records", "agreements", "attachments", "case_log",
       "case_chain_heads", "stat_counters", "current_counters", "campaigns", "rectification_items")


def upgrade():
    from disputes.models import Base

    bind = op.get_bind()
    create_platform_tables(bind, unit_tree=True)
    Base.metadata.create_all(bind, tables=[Base.metadata.tables[n] for n in OWN])
    bind.execute(text("CREATE SEQUENCE case_number_seq"))


def downgrade():
    from disputes.models import Base

    bind = op.get_bind()
    bind.execute(text("DROP SEQUENCE case_number_seq"))
    Base.metadata.drop_all(bind, tables=[Base.metadata.tables[n] for n in OWN])
    drop_platform_tables(bind, unit_tree=True)
