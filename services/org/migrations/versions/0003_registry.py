"""registry: one open ownership per (unit, owner), one open voter per unit, one open
residency per (unit, person); import jobs record when they last reported progress

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # The database, not only the code, keeps "co-owners name exactly one voter" and
    # "a person lives in a unit once at a time", even under concurrent writers.
    op.create_index("uq_ownerships_open_owner", "ownerships", ["unit_id", "owner_id"],
                    unique=True, postgresql_where=sa.text("valid_to IS NULL"))
    op.create_index("uq_ownerships_open_voter", "ownerships", ["unit_id"], unique=True,
                    postgresql_where=sa.text("valid_to IS NULL AND is_voter"))
    op.create_index("uq_residencies_open", "residencies", ["unit_id", "person_id"],
                    unique=True, postgresql_where=sa.text("moved_out IS NULL"))
    # A poller tells a stalled import (its process died) from a slow one by this.
    op.add_column("import_jobs", sa.Column("updated_at", sa.DateTime(timezone=True)))


def downgrade():
    op.drop_column("import_jobs", "updated_at")
    op.drop_index("uq_residencies_open", table_name="residencies")
    op.drop_index("uq_ownerships_open_voter", table_name="ownerships")
    op.drop_index("uq_ownerships_open_owner", table_name="ownerships")
