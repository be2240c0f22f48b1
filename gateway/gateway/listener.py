"""``python -m gateway.listener`` (or ``python -m gateway listen``): ends or refreshes login
sessions when org says an account's credentials or grants changed.

Access tokens carry the account's grants and live up to ``GATEWAY_ACCESS_TTL``; without
this, a disabled account or a revoked grant would keep working until the token expired.
On ``org.grant.created``/``org.grant.revoked`` the account's grants version is bumped:
access tokens carrying an older version are refused, so the client refreshes and gets
the new grants (a counter, not a time: a token issued in the same second as the change is
refused too). On ``org.account.credentials_changed`` (disabled, password reset or
changed) every session of the account ends, and the version is bumped as well, so a
login that org was answering at that moment re-reads the account.

These events decide who stays signed in, so the listener takes them only from org: an
event not published by org's broker user (``fazhi-org``; ``events.handle_event``'s
``publisher``) is dead-lettered with a warning, never applied.
"""
if __name__ == "__main__":
    from fazhi_shared.service.green import monkey_patch

    monkey_patch()

from sqlalchemy import MetaData, text, update  # noqa: E402

from datetime import datetime, timezone  # noqa: E402

from fazhi_shared.service.defaults import Database  # noqa: E402
from fazhi_shared.service.events import handle_event, idempotent  # noqa: E402
from fazhi_shared.service.rpc import ServiceBase  # noqa: E402
from fazhi_shared.service.tables import platform_tables  # noqa: E402

from gateway.config import DATABASE_URL  # noqa: E402
from gateway.models import AuthSession  # noqa: E402


def _now() -> datetime:
    # Real time, like token iat and the gateway's revocations (not the settable clock).
    return datetime.now(timezone.utc)


def end_sessions(session, account_id: str) -> int:
    return session.execute(update(AuthSession).where(
        AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=_now())).rowcount


def refuse_older_tokens(session, account_id: str) -> int:
    """Bump the account's grants version; returns the new one. Access tokens issued at an
    older version are refused from the moment this commits."""
    return session.execute(text(
        "INSERT INTO account_versions (account_id, grants_version, changed_at) "
        "VALUES (:id, 1, clock_timestamp()) ON CONFLICT (account_id) DO UPDATE SET "
        "grants_version = account_versions.grants_version + 1, "
        "changed_at = clock_timestamp() RETURNING grants_version"),
        {"id": account_id}).scalar()


class SessionListener(ServiceBase):
    name = "gateway_sessions"
    identity = "gateway"     # a process of the gateway: its broker user and signing key
    # Besides the gateway's own tables, only processed_events (made by its migrations).
    tables = platform_tables(MetaData())
    db = Database(DATABASE_URL)

    @handle_event("org", "account.credentials_changed", publisher="org")
    @idempotent
    def on_credentials_changed(self, session, envelope, principal):
        end_sessions(session, envelope["payload"]["id"])
        refuse_older_tokens(session, envelope["payload"]["id"])

    @handle_event("org", "grant.revoked", publisher="org")
    @idempotent
    def on_grant_revoked(self, session, envelope, principal):
        refuse_older_tokens(session, envelope["payload"]["account_id"])

    @handle_event("org", "grant.created", publisher="org")
    @idempotent
    def on_grant_created(self, session, envelope, principal):
        refuse_older_tokens(session, envelope["payload"]["account_id"])


if __name__ == "__main__":
    from fazhi_shared.service.runner import serve

    from gateway.config import SETTINGS
    from gateway.models import MIGRATIONS_DIR

    serve(SessionListener, MIGRATIONS_DIR, DATABASE_URL, settings=SETTINGS)
