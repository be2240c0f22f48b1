"""The operation log is read by unit and by actor (the administrator's pages)

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Scope is a path prefix (fazhi_shared.service.scope.under): LIKE 'prefix/%'.
    op.execute("CREATE INDEX IF NOT EXISTS audit_log_path ON audit_log "
               "(path text_pattern_ops)")
    op.execute("CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor_account_id)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS audit_log_actor")
    op.execute("DROP INDEX IF EXISTS audit_log_path")
