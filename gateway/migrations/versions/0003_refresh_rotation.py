"""refresh tokens rotate: the session keeps the current and the just-replaced jti

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # NULL refresh_jti: a session opened before rotation existed; its refresh token is
    # accepted once and the session rotates from then on.
    op.add_column("auth_sessions", sa.Column("refresh_jti", sa.String(36)))
    op.add_column("auth_sessions", sa.Column("previous_refresh_jti", sa.String(36)))
    op.add_column("auth_sessions", sa.Column("rotated_at", sa.DateTime(timezone=True)))
    op.add_column("auth_sessions", sa.Column("grace_used", sa.Boolean(), nullable=False,
                                             server_default=sa.false()))


def downgrade():
    for column in ("grace_used", "rotated_at", "previous_refresh_jti", "refresh_jti"):
        op.drop_column("auth_sessions", column)
