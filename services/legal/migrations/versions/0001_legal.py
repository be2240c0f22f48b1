"""legal: platform tables (with the unit-tree read model) and legal's own

Revision ID: 0001
Revises:
Create Date: 2026-11-30

The first revision creates legal's tables from ``legal.models`` as they stood when the
service was first deployed. Once deployed, a change to a model is a new revision written
out in full (op.add_column …), and this one must then spell its tables out instead of
reading the models.
"""
from alembic import op

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OWN = ["literates", "literate_buildings", "trainings", "training_attendance", "promotions",
       "firms", "helpers", "absences", "agreements", "rosters", "shifts", "swaps",
       "duty_board", "bookings", "consultations", "service_lists", "conventions", "feeds"]


def upgrade():
    from legal.models import Base

    bind = op.get_bind()
    create_platform_tables(bind, unit_tree=True)
    # btree_gist: the exclusion constraint below mixes "=" on a text id with "&&" on a range
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    Base.metadata.create_all(bind, tables=[Base.metadata.tables[t] for t in OWN])
    op.execute("""ALTER TABLE shifts ADD CONSTRAINT ex_shifts_helper_overlap
                  EXCLUDE USING gist (helper_id WITH =, tstzrange(starts_at, ends_at) WITH &&)""")
    op.execute("ALTER TABLE shifts ADD CONSTRAINT ck_shifts_order CHECK (ends_at > starts_at)")
    op.execute("ALTER TABLE shifts ADD CONSTRAINT ck_shifts_booked "
               "CHECK (booked >= 0 AND booked <= capacity)")


def downgrade():
    from legal.models import Base

    bind = op.get_bind()
    Base.metadata.drop_all(bind, tables=[Base.metadata.tables[t] for t in reversed(OWN)])
    drop_platform_tables(bind, unit_tree=True)
