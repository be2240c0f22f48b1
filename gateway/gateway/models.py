"""The gateway's own database: login sessions, the versions of accounts' grants, and the
failed sign-ins that throttle logins.

Tokens are stateless JWTs, but each carries its session id (``sid``); a session row that
is revoked or expired makes both tokens useless at once (logout, account disabled). An
access token also carries the version of its account's grants (``gv``): a newer version
in ``account_versions`` makes it stale.
"""
from __future__ import annotations

import os

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fazhi_shared.service.migrations import upgrade

from gateway import config

# Like the services, migrations live beside the package (gateway/migrations).
MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "migrations")


class Base(DeclarativeBase):
    pass


class AuthSession(Base):
    """One login: created by ``/auth/login``, ended by ``/auth/logout`` or expiry."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)     # UUIDv7
    account_id: Mapped[str] = mapped_column(String(36), nullable=False)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at = mapped_column(DateTime(timezone=True), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Refresh tokens rotate: only the token with this jti refreshes. The one it replaced
    # (``previous_refresh_jti``, at ``rotated_at``) may be used once more within the grace
    # (a second browser tab); any other spent token ends the session (theft).
    refresh_jti: Mapped[str | None] = mapped_column(String(36), nullable=True)
    previous_refresh_jti: Mapped[str | None] = mapped_column(String(36), nullable=True)
    rotated_at = mapped_column(DateTime(timezone=True), nullable=True)
    grace_used: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                             server_default=false())

    # To end every session of an account (disabled account, password change).
    __table_args__ = (Index("auth_sessions_account", "account_id"),)


class AccountVersion(Base):
    """How many times an account's grants or credentials changed, as org's events told
    the session listener (``gateway.listener``). An access token carries the version it
    was issued at (``gv``); one with an older version is refused as stale, and the client
    refreshes to get the new grants. A counter, not a time: a change in the same
    wall-clock second as the token's issue still counts. No row: version 0."""

    __tablename__ = "account_versions"

    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    grants_version: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # The database's clock_timestamp() of the last change: a login compares it with the
    # moment it started, to see a change applied while org was answering it.
    changed_at = mapped_column(DateTime(timezone=True), nullable=False)


class LoginThrottle(Base):
    """Failed sign-ins of one account or from one client address, shared by every
    gateway worker and replica. ``key`` is ``account:`` or ``address:`` and a keyed hash
    (HMAC) of the normalised username or address: no personal data at rest. Correct
    sign-ins are never counted; a key's failures are forgotten a while after its last."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    last_failed_at = mapped_column(DateTime(timezone=True), nullable=False)
    # Until then the login answers 429 without asking org.
    locked_until = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("login_throttles_last_failed", "last_failed_at"),)


def migrate() -> None:
    """Create the gateway database if needed and bring it to the newest schema."""
    url = config.DATABASE_URL.get()
    try:
        upgrade(MIGRATIONS_DIR, url)
    except Exception as exc:
        raise RuntimeError(f"cannot migrate the gateway database ({exc}): is PostgreSQL "
                           f"reachable at {url.split('@')[-1]}?") from exc
