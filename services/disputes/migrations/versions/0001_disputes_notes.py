"""disputes: platform tables (with the unit-tree read model) and notes

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    create_platform_tables(op.get_bind(), unit_tree=True)
    op.create_table(
        "notes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(36), nullable=False, index=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_account_id", sa.String(36)),
        sa.Column("author_person_id", sa.String(36)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_notes_path_prefix", "notes", ["path"],
                    postgresql_ops={"path": "text_pattern_ops"})


def downgrade():
    op.drop_table("notes")
    drop_platform_tables(op.get_bind(), unit_tree=True)
