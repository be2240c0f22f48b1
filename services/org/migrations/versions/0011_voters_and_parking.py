"""Who votes for an organisation owner or the developer; units that are parking spaces

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # The designated representative of an organisation owner or the developer: the
    # person who casts its vote (an electorate names the voter of each entry).
    op.add_column("owners", sa.Column("representative_person_id", sa.String(36),
                                      sa.ForeignKey("people.id"), nullable=True))
    # A parking space with its own title: deliberation decides whether its area counts.
    op.add_column("units", sa.Column("is_parking", sa.Boolean(), nullable=False,
                                     server_default=sa.text("false")))


def downgrade():
    op.drop_column("units", "is_parking")
    op.drop_column("owners", "representative_person_id")
