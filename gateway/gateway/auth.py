"""Authentication and role declarations.

Login asks org to check the password, opens a session row and returns two HS256 JWTs
bound to it: a short access token carrying the account's grants and a long refresh
token. Every authenticated request verifies the access token and checks (one indexed
query) that its session is still active, so logout takes effect at once, and that the
token's grants version (``gv``) is still the account's: the session listener bumps it on
org's grant and credential events, so a changed account's older tokens are refused at
once, even one issued in the same second. Refresh re-reads the account from org, so
revoked grants and disabled accounts take effect within one access-token lifetime even
without the listener, and rotates the refresh token: the one presented is
spent, and a spent one presented again ends the session (a copy is in other hands),
except once within ``GATEWAY_REFRESH_GRACE`` seconds of its replacement (a second tab).

Logins are throttled: failed sign-ins are counted per account and per client address in
the gateway's database (every worker and replica shares them); beyond the free ones each
failure locks the key for a doubling delay, during which the login answers 429 with
``Retry-After`` without asking org. Correct sign-ins never count. Admins lift locks.

Every route declares who may call it: ``@public``, ``@authenticated`` (any signed-in
account, even one without grants: it must still be able to see itself and log out) or
``@allow(*roles)``. The check runs before the view, so a caller without one of the roles
gets 403 before any RPC. Services still re-check scope themselves.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app, g, request
from sqlalchemy import text, update

from fazhi_shared import clock
from fazhi_shared.context import ROLES, Grant
from fazhi_shared.service.db import read_engine_for, transaction
from fazhi_shared.errors import Forbidden, NotFound, TooManyRequests, Unauthenticated
from fazhi_shared.ids import new_id

from gateway import config, rpc
from gateway.models import AuthSession

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
DECLARATION = "_fazhi_access"
SESSION_ENDED = ("登录已失效，请重新登录。", "Your session has ended; please sign in again.")
BAD_LOGIN = ("用户名或密码错误。", "Wrong username or password.")
TOKEN_STALE = ("您的权限已变更，请刷新令牌。", "Your roles changed; refresh your token.")


# -- role declarations --------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: tuple | None = None          # None: any signed-in account


def _declare(view, access: Access):
    setattr(view, DECLARATION, access)
    return view


def public(view):
    """Anyone may call this route, signed in or not."""
    return _declare(view, Access(public=True))


def authenticated(view):
    """Any signed-in account may call this route, whatever its roles."""
    return _declare(view, Access())


def allow(*roles: str):
    """Only accounts holding one of ``roles`` (on any unit) may call this route."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"allow() needs roles from fazhi_shared.context.ROLES, got {roles}")

    def decorate(view):
        return _declare(view, Access(roles=tuple(roles)))

    return decorate


def declaration(view) -> Access | None:
    """The access a view declared (None when it declared none: a bug the tests catch)."""
    return getattr(view, DECLARATION, None)


# -- the signed-in user -------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    account_id: str
    person_id: str | None
    grants: tuple            # of fazhi_shared.context.Grant
    session_id: str

    @property
    def roles(self) -> set:
        return {grant.role for grant in self.grants}


def enforce() -> None:
    """``before_request``: apply the route's declaration (401/403 before the view runs)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is None:
        return                          # no route: Flask answers 404/405
    access = declaration(view)
    if access is None:
        # Fail closed: an undeclared route is a programming error, never an open door.
        log.error("route %s declares no access", request.endpoint)
        raise Forbidden()
    if access.public:
        return
    g.user = user_from_request()
    if access.roles is not None and not (g.user.roles & set(access.roles)):
        raise Forbidden()


def user_from_request() -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    claims = decode(token.strip(), "access")
    state = session_state(claims["sid"], claims.get("gv", 0))
    if state == "ended":
        raise Unauthenticated(*SESSION_ENDED)
    if state == "stale":
        raise Unauthenticated(*TOKEN_STALE)
    return User(account_id=claims["sub"], person_id=claims.get("pid"),
                grants=tuple(Grant(role, path) for role, path in claims.get("g", [])),
                session_id=claims["sid"])


# -- tokens ---------------------------------------------------------------------------------
def _secret() -> str:
    return current_app.config["GATEWAY_JWT_SECRET"]


def issue_access(account: dict, session_id: str, grants_version: int) -> str:
    """An access token carrying the account's grants as org answered them, and the
    version of the account's grants read before org was asked (``gv``)."""
    now = _utcnow()
    claims = {
        "typ": "access", "sub": account["id"], "pid": account.get("person_id"),
        "g": [[gr["role"], gr["path"]] for gr in account.get("grants", [])],
        "gv": grants_version, "sid": session_id, "jti": new_id(), "iat": now,
        "exp": now + timedelta(seconds=current_app.config["GATEWAY_ACCESS_TTL"]),
    }
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM)


def issue_refresh(account_id: str, session_id: str, expires_at: datetime, jti: str) -> str:
    """A refresh token for the session; only the one whose ``jti`` the session holds as
    current refreshes (rotation)."""
    claims = {"typ": "refresh", "sub": account_id, "sid": session_id, "jti": jti,
              "iat": _utcnow(), "exp": expires_at}
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM)


def decode(token: str, typ: str) -> dict:
    """Claims of a valid token of type ``typ``; ``Unauthenticated`` otherwise."""
    try:
        claims = jwt.decode(token, _secret(), algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "sid", "typ"]})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("登录已过期，请重新登录。", "The token has expired.") from None
    except jwt.PyJWTError:
        raise Unauthenticated("令牌无效。", "Invalid token.") from None
    if claims["typ"] != typ:
        raise Unauthenticated("令牌类型不符。", f"Not an {typ} token.")
    return claims


def _setting(setting):
    """A gateway setting: the app's config when a test or the factory set it, else the
    environment (``gateway.config``)."""
    value = current_app.config.get(setting.name)
    return setting.get() if value is None else value


def _utcnow() -> datetime:
    # Real time, not fazhi_shared.clock: token expiry must not follow a test-set clock.
    return datetime.now(timezone.utc)


# -- sessions -------------------------------------------------------------------------------
def _db_url() -> str:
    return current_app.config["GATEWAY_DATABASE_URL"]


@dataclass(frozen=True)
class Opened:
    """A new session, the account's grants version, and whether the account changed
    since ``since`` (then org's answer to the login may predate the change)."""
    row: AuthSession
    grants_version: int
    changed: bool


VERSION_OF = ("coalesce((SELECT grants_version FROM account_versions v "
              "WHERE v.account_id = {}), 0)")


def open_session(account_id: str, user_agent: str | None, since: datetime | None = None,
                 forget: str | None = None) -> Opened:
    """Open a session (and forget the failed sign-ins under throttle key ``forget``)."""
    # created_at is business time (fazhi_shared.clock, like org's password_changed_at it is
    # compared with); expires_at is real time, compared with the database's now().
    row = AuthSession(id=new_id(), account_id=account_id, created_at=clock.now(),
                      expires_at=_utcnow() + timedelta(
                          seconds=current_app.config["GATEWAY_REFRESH_TTL"]),
                      user_agent=(user_agent or "")[:300] or None, refresh_jti=new_id())
    with transaction(_db_url()) as session:
        session.add(row)
        if forget:
            session.execute(text("DELETE FROM login_throttles WHERE key = :key"),
                            {"key": forget})
        version = session.execute(text(
            "SELECT grants_version, changed_at > :since AS changed FROM account_versions "
            "WHERE account_id = :id"), {"id": account_id, "since": since}).first()
    if version is None:
        return Opened(row, 0, False)
    return Opened(row, version.grants_version, bool(version.changed))


ACTIVE = "s.revoked_at IS NULL AND s.expires_at > now()"


def session_state(session_id: str, grants_version: int = 0) -> str:
    """One primary-key lookup: ``ended`` (revoked or expired), ``stale`` (an access token
    issued at ``grants_version``, older than the account's current one) or ``active``."""
    with read_engine_for(_db_url()).connect() as conn:
        current = conn.execute(text(
            f"SELECT {VERSION_OF.format('s.account_id')} FROM auth_sessions s "
            f"WHERE s.id = :id AND {ACTIVE}"), {"id": session_id}).first()
    if current is None:
        return "ended"
    if grants_version < current[0]:
        return "stale"
    return "active"


@dataclass(frozen=True)
class Spent:
    """What spending a refresh token gives: the jti of the session's current refresh
    token, when the session started and when it expires, and the account's grants
    version (read before org is asked for the grants)."""
    refresh_jti: str
    started: datetime
    expires_at: datetime
    grants_version: int


def spend_refresh_token(session_id: str, jti: str | None) -> Spent:
    """Rotate the session's refresh token, or end the session when ``jti`` was spent.

    The session row is locked, so two tabs refreshing at once are served one after the
    other: the first rotates, the second finds its token just replaced and, within the
    grace, gets the new current jti too (once). A spent token outside that is a copy in
    other hands: the session ends and ``Unauthenticated`` is raised.
    """
    grace = _setting(config.REFRESH_GRACE)
    with transaction(_db_url()) as session:
        row = session.execute(text(
            "SELECT refresh_jti, previous_refresh_jti, grace_used, created_at, expires_at, "
            "coalesce(rotated_at > now() - make_interval(secs => :grace), false) AS in_grace, "
            f"{VERSION_OF.format('s.account_id')} AS grants_version "
            f"FROM auth_sessions s WHERE s.id = :id AND {ACTIVE} FOR UPDATE"),
            {"id": session_id, "grace": grace}).first()
        if row is None:
            raise Unauthenticated(*SESSION_ENDED)
        # A session opened before rotation existed holds no jti: its token rotates now.
        if row.refresh_jti is None or jti == row.refresh_jti:
            current = new_id()
            session.execute(text(
                "UPDATE auth_sessions SET refresh_jti = :new, previous_refresh_jti = :old, "
                "rotated_at = now(), grace_used = false WHERE id = :id"),
                {"new": current, "old": jti, "id": session_id})
            return Spent(current, row.created_at, row.expires_at, row.grants_version)
        if jti is not None and jti == row.previous_refresh_jti and row.in_grace \
                and not row.grace_used:
            session.execute(text("UPDATE auth_sessions SET grace_used = true WHERE id = :id"),
                            {"id": session_id})
            return Spent(row.refresh_jti, row.created_at, row.expires_at,
                         row.grants_version)
        session.execute(text("UPDATE auth_sessions SET revoked_at = now() WHERE id = :id"),
                        {"id": session_id})
    log.warning("a spent refresh token was presented again: session %s ended", session_id)
    raise Unauthenticated(*SESSION_ENDED)


def revoke_session(session_id: str) -> None:
    with transaction(_db_url()) as session:
        session.execute(update(AuthSession)
                        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
                        .values(revoked_at=_utcnow()))


# -- use cases ------------------------------------------------------------------------------
def _access_payload(account: dict, session_id: str, grants_version: int) -> dict:
    return {"access_token": issue_access(account, session_id, grants_version),
            "token_type": "Bearer", "expires_in": current_app.config["GATEWAY_ACCESS_TTL"],
            "account": account}


def _current_account(account_id: str, started: datetime) -> dict | None:
    """The account as org holds it now; None when it may no longer have a session (gone,
    disabled, or its password changed after ``started``)."""
    try:
        account = rpc.call_as_gateway("org", "get_account", account_id=account_id)
    except NotFound:
        return None
    if account.get("disabled") or _changed_since(account.get("password_changed_at"), started):
        return None
    return account


def login(username: str, password: str, user_agent: str | None) -> dict:
    """Check the credentials with org and open a session: access and refresh tokens.

    Throttled first (429 without asking org while the account or the client address is
    locked); a refusal counts one failure for both, a success clears the account's.
    """
    keys = throttle_keys(username, client_address())
    since = check_throttle(keys)
    try:
        account = rpc.call_anonymous("org", "authenticate", username=username,
                                     password=password)
        if account.get("disabled"):
            raise Unauthenticated(*BAD_LOGIN)
    except Unauthenticated:
        record_failure(keys)
        raise
    opened = open_session(account["id"], user_agent, since, forget=keys[0].key)
    row = opened.row
    if opened.changed:
        # The listener applied a change of this account while org was answering: its
        # answer may hold the old grants. The version was read first, so read them again.
        account = _current_account(account["id"], row.created_at)
        if account is None:
            revoke_session(row.id)
            raise Unauthenticated(*SESSION_ENDED)
    return {**_access_payload(account, row.id, opened.grants_version),
            "refresh_token": issue_refresh(account["id"], row.id, row.expires_at,
                                           row.refresh_jti)}


def refresh(refresh_token: str) -> dict:
    """A new pair: an access token with the account's current grants and a new refresh
    token, while the session lives; the refresh token presented is spent (rotation).

    The session ends here when the refresh token was already spent (outside the grace of
    a second tab), when the account is gone or disabled, or when its password changed
    after the session started (a reset must lock out whoever had the old one).
    """
    claims = decode(refresh_token, "refresh")
    spent = spend_refresh_token(claims["sid"], claims.get("jti"))
    account = _current_account(claims["sub"], spent.started)
    if account is None:
        revoke_session(claims["sid"])
        raise Unauthenticated(*SESSION_ENDED)
    return {**_access_payload(account, claims["sid"], spent.grants_version),
            "refresh_token": issue_refresh(claims["sub"], claims["sid"], spent.expires_at,
                                           spent.refresh_jti)}


def _changed_since(changed_at: str | None, started: datetime) -> bool:
    return bool(changed_at) and clock.parse_time(changed_at) > started


def logout(user: User) -> None:
    """End the session: both of its tokens are refused from now on."""
    revoke_session(user.session_id)


# -- login throttling -----------------------------------------------------------------------
# A key's failures are forgotten this long after its last one; delays double from 1 s up
# to MAX_DELAY for each failure beyond the free ones.
FAILURE_MEMORY = 3600
MAX_DELAY = 900
_PHONE = re.compile(r"(?:\+86|0086|86)?(1[0-9]{10})", re.ASCII)


class LoginThrottled(TooManyRequests):
    """Too many failed sign-ins: try again in ``retry_after`` seconds (``Retry-After``)."""

    def __init__(self, retry_after: int):
        super().__init__(f"登录失败次数过多，请 {retry_after} 秒后再试。",
                         f"Too many failed sign-ins; try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ThrottleKey:
    key: str        # "account:<hmac>" or "address:<hmac>"
    free: int       # failures before delays begin


def client_address() -> str:
    """The client's address: the socket's, or behind ``GATEWAY_TRUSTED_PROXIES`` proxies
    the X-Forwarded-For entry the first of them appended (entries before it are the
    client's own say, never trusted). IPv6 clients count per /64: one holds all of it."""
    address = request.remote_addr or "unknown"
    trusted = _setting(config.TRUSTED_PROXIES)
    if trusted > 0:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            address = hops[-trusted]
    return normalise_address(address)


def normalise_address(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def normalise_username(username: str) -> str:
    """One form per account however it is typed: full-width characters, case, spaces,
    and a phone number's country prefix do not make a new allowance."""
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    phone = _PHONE.fullmatch(re.sub(r"[\s-]", "", name))
    return phone.group(1) if phone else name


def _digest(kind: str, value: str) -> str:
    mac = hmac.new(_secret().encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return f"{kind}:{mac.hexdigest()}"


def throttle_keys(username: str, address: str) -> tuple[ThrottleKey, ThrottleKey]:
    """The account's key and the address's (the account's first: it is cleared on success)."""
    return (ThrottleKey(_digest("account", normalise_username(username)),
                        _setting(config.LOGIN_FREE_FAILURES)),
            ThrottleKey(_digest("address", address),
                        _setting(config.LOGIN_FREE_FAILURES_PER_ADDRESS)))


def check_throttle(keys) -> datetime:
    """Raise ``LoginThrottled`` while a key is locked; else the database's clock now."""
    with read_engine_for(_db_url()).connect() as conn:
        row = conn.execute(text(
            "SELECT clock_timestamp() AS now, (SELECT max(locked_until) FROM login_throttles "
            "WHERE key IN (:account, :address)) AS locked_until"),
            {"account": keys[0].key, "address": keys[1].key}).one()
    if row.locked_until is not None and row.locked_until > row.now:
        raise LoginThrottled(max(1, math.ceil((row.locked_until - row.now).total_seconds())))
    return row.now


def record_failure(keys) -> None:
    """Count one failed sign-in under each key; beyond its free failures, lock it for a
    delay that doubles with each further failure (1 s, 2 s, 4 s … ``MAX_DELAY``)."""
    with transaction(_db_url()) as session:
        for key in keys:        # always account then address: no lock-order deadlock
            failures = session.execute(text(
                "INSERT INTO login_throttles (key, failures, last_failed_at) "
                "VALUES (:key, 1, now()) ON CONFLICT (key) DO UPDATE SET "
                "failures = CASE WHEN login_throttles.last_failed_at "
                "  < now() - make_interval(secs => :memory) THEN 1 "
                "  ELSE login_throttles.failures + 1 END, last_failed_at = now() "
                "RETURNING failures"), {"key": key.key, "memory": FAILURE_MEMORY}).scalar()
            if failures > key.free:
                delay = min(MAX_DELAY, 2 ** min(failures - key.free - 1, 20))
                session.execute(text(
                    "UPDATE login_throttles SET locked_until = now() + "
                    "make_interval(secs => :delay) WHERE key = :key"),
                    {"key": key.key, "delay": delay})
    # Forget old failures (rows being counted right now are skipped, never waited for).
    with transaction(_db_url()) as session:
        session.execute(text(
            "DELETE FROM login_throttles WHERE key IN (SELECT key FROM login_throttles "
            "WHERE last_failed_at < now() - make_interval(secs => :memory) "
            "AND (locked_until IS NULL OR locked_until < now()) "
            "LIMIT 500 FOR UPDATE SKIP LOCKED)"), {"memory": FAILURE_MEMORY})


def lift_account_lock(user: User, account_id: str) -> None:
    """Forget an account's failed sign-ins. org answers ``get_account`` as this admin only
    for an account in their scope (else 404, which is what the caller gets)."""
    account = rpc.call("org", "get_account", account_id=account_id)
    _forget(_digest("account", normalise_username(account["username"])))
    log.info("login throttle of account %s lifted by account %s", account_id, user.account_id)


def lift_address_lock(user: User, address: str) -> None:
    """Forget a client address's failed sign-ins (an address is in no unit: city admins)."""
    _forget(_digest("address", normalise_address(address)))
    log.info("login throttle of an address lifted by account %s", user.account_id)


def _forget(key: str) -> None:
    with transaction(_db_url()) as session:
        session.execute(text("DELETE FROM login_throttles WHERE key = :key"), {"key": key})
