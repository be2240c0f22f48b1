"""Unit versions from a sequence, so read models apply only newer state

Every unit gets ``version``, taken from the sequence ``unit_version_seq`` (not the
settable clock) whenever the unit changes: created (the column default, so the workbook's
COPY gets one too), renamed, moved — and for a move, every unit whose path changed. Other
services' read models compare versions per unit and apply only newer state.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SEQUENCE unit_version_seq AS bigint")
    op.add_column("units", sa.Column("version", sa.BigInteger))
    # Existing units: parents before children, so older state keeps the smaller number.
    op.execute("UPDATE units SET version = v.n FROM (SELECT id, nextval('unit_version_seq') AS n"
               " FROM (SELECT id FROM units ORDER BY length(path), id) o) v"
               " WHERE units.id = v.id")
    op.alter_column("units", "version", nullable=False,
                    server_default=sa.text("nextval('unit_version_seq')"))
    op.execute("ALTER SEQUENCE unit_version_seq OWNED BY units.version")


def downgrade():
    op.drop_column("units", "version")   # drops the owned sequence with it
