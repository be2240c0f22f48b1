"""``python -m gateway.listener`` (or ``python -m gateway listen``): ends or refreshes login
sessions when org says an account's credentials or grants changed.

Access tokens carry the account's grants and live up to ``GATEWAY_ACCESS_TTL``; without
this, a disabled account or a revoked grant would keep working until the token expired.
On ``org.account.credentials_changed`` (disabled, password reset or changed) every
session of the account ends; on ``org.grant.created``/``org.grant.revoked`` its access
tokens issued before now are refused, so the client refreshes and gets the new grants.
"""
if __name__ == "__main__":
    from fazhi_shared.service.green import monkey_patch

    monkey_patch()

from sqlalchemy import MetaData, update  # noqa: E402

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
    return session.execute(update(AuthSession).where(
        AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(tokens_valid_from=_now())).rowcount


class SessionListener(ServiceBase):
    name = "gateway_sessions"
    # Only processed_events is used (and created by the gateway's migrations).
    tables = platform_tables(MetaData())
    db = Database(DATABASE_URL)

    @handle_event("org", "account.credentials_changed")
    @idempotent
    def on_credentials_changed(self, session, envelope, principal):
        end_sessions(session, envelope["payload"]["id"])

    @handle_event("org", "grant.revoked")
    @idempotent
    def on_grant_revoked(self, session, envelope, principal):
        refuse_older_tokens(session, envelope["payload"]["account_id"])

    @handle_event("org", "grant.created")
    @idempotent
    def on_grant_created(self, session, envelope, principal):
        refuse_older_tokens(session, envelope["payload"]["account_id"])


if __name__ == "__main__":
    from fazhi_shared.service.runner import serve

    from gateway.models import MIGRATIONS_DIR

    serve(SessionListener, MIGRATIONS_DIR, DATABASE_URL)
