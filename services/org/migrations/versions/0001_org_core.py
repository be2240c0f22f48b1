"""org core: units, people, accounts, grants, platform tables

Revision ID: 0001
Revises:
Create Date: 2026-11-26
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
    op.create_table(
        "units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("units.id"), index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_units_path_prefix", "units", ["path"],
                    postgresql_ops={"path": "text_pattern_ops"})
    op.create_index("ix_units_kind_name", "units", ["kind", "name", "id"])
    op.create_table(
        "people",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("id_number_enc", sa.LargeBinary),
        sa.Column("id_number_blind", sa.String(64), unique=True),
        sa.Column("id_number_masked", sa.String(18)),
        sa.Column("gender", sa.String(10)),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_people_path_prefix", "people", ["path"],
                    postgresql_ops={"path": "text_pattern_ops"})
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id"), nullable=False,
                  index=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False,
                  index=True),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
    )
    op.create_index("uq_grants_active", "grants", ["account_id", "role", "unit_id"],
                    unique=True, postgresql_where=sa.text("revoked_at IS NULL"))
    create_platform_tables(op.get_bind())


def downgrade():
    drop_platform_tables(op.get_bind())
    for table in ("grants", "accounts", "people", "units"):
        op.drop_table(table)
