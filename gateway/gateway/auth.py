"""Authentication and role declarations.

Login asks org to check the password, opens a session row and returns two HS256 JWTs
bound to it: a short access token carrying the account's grants and a long refresh
token. Every authenticated request verifies the access token and checks (one indexed
query) that its session is still active, so logout takes effect at once. Refresh
re-reads the account from org, so revoked grants and disabled accounts take effect
within one access-token lifetime.

Every route declares who may call it: ``@public``, ``@authenticated`` (any signed-in
account, even one without grants: it must still be able to see itself and log out) or
``@allow(*roles)``. The check runs before the view, so a caller without one of the roles
gets 403 before any RPC. Services still re-check scope themselves.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app, g, request
from sqlalchemy import text, update

from fazhi_shared import clock
from fazhi_shared.context import ROLES, Grant
from fazhi_shared.service.db import read_engine_for, transaction
from fazhi_shared.errors import Forbidden, NotFound, Unauthenticated
from fazhi_shared.ids import new_id

from gateway import rpc
from gateway.models import AuthSession

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
DECLARATION = "_fazhi_access"
SESSION_ENDED = ("登录已失效，请重新登录。", "Your session has ended; please sign in again.")
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
    state = session_state(claims["sid"], claims.get("iat"))
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


def issue_access(account: dict, session_id: str) -> str:
    now = _utcnow()
    claims = {
        "typ": "access", "sub": account["id"], "pid": account.get("person_id"),
        "g": [[gr["role"], gr["path"]] for gr in account.get("grants", [])],
        "sid": session_id, "jti": new_id(), "iat": now,
        "exp": now + timedelta(seconds=current_app.config["GATEWAY_ACCESS_TTL"]),
    }
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM)


def issue_refresh(account_id: str, session_id: str, expires_at: datetime) -> str:
    claims = {"typ": "refresh", "sub": account_id, "sid": session_id, "jti": new_id(),
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


def _utcnow() -> datetime:
    # Real time, not fazhi_shared.clock: token expiry must not follow a test-set clock.
    return datetime.now(timezone.utc)


# -- sessions -------------------------------------------------------------------------------
def _db_url() -> str:
    return current_app.config["GATEWAY_DATABASE_URL"]


def open_session(account_id: str, user_agent: str | None) -> AuthSession:
    # created_at is business time (fazhi_shared.clock, like org's password_changed_at it is
    # compared with); expires_at is real time, compared with the database's now().
    row = AuthSession(id=new_id(), account_id=account_id, created_at=clock.now(),
                      expires_at=_utcnow() + timedelta(
                          seconds=current_app.config["GATEWAY_REFRESH_TTL"]),
                      user_agent=(user_agent or "")[:300] or None)
    with transaction(_db_url()) as session:
        session.add(row)
    return row


ACTIVE = "revoked_at IS NULL AND expires_at > now()"


def session_state(session_id: str, issued_at: int | None = None) -> str:
    """One primary-key lookup: ``ended`` (revoked or expired), ``stale`` (an access token
    issued at ``issued_at``, before the account's grants last changed) or ``active``."""
    with read_engine_for(_db_url()).connect() as conn:
        row = conn.execute(text(
            "SELECT extract(epoch FROM tokens_valid_from) AS valid_from FROM auth_sessions "
            f"WHERE id = :id AND {ACTIVE}"), {"id": session_id}).first()
    if row is None:
        return "ended"
    # iat has whole seconds: a token from the same second as the change still passes.
    if row.valid_from is not None and issued_at is not None and issued_at < int(row.valid_from):
        return "stale"
    return "active"


def session_started(session_id: str) -> datetime | None:
    """When an active session started; None when it is revoked, expired or unknown."""
    with read_engine_for(_db_url()).connect() as conn:
        return conn.execute(text(
            f"SELECT created_at FROM auth_sessions WHERE id = :id AND {ACTIVE}"),
            {"id": session_id}).scalar()


def revoke_session(session_id: str) -> None:
    with transaction(_db_url()) as session:
        session.execute(update(AuthSession)
                        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
                        .values(revoked_at=_utcnow()))


# -- use cases ------------------------------------------------------------------------------
def _access_payload(account: dict, session_id: str) -> dict:
    return {"access_token": issue_access(account, session_id), "token_type": "Bearer",
            "expires_in": current_app.config["GATEWAY_ACCESS_TTL"], "account": account}


def login(username: str, password: str, user_agent: str | None) -> dict:
    """Check the credentials with org and open a session: access and refresh tokens."""
    account = rpc.call_anonymous("org", "authenticate", username=username, password=password)
    if account.get("disabled"):
        raise Unauthenticated("用户名或密码错误。", "Wrong username or password.")
    row = open_session(account["id"], user_agent)
    return {**_access_payload(account, row.id),
            "refresh_token": issue_refresh(account["id"], row.id, row.expires_at)}


def refresh(refresh_token: str) -> dict:
    """A new access token with the account's current grants, while the session lives.

    The session ends here when the account is gone or disabled, or when its password
    changed after the session started (a reset must lock out whoever had the old one).
    """
    claims = decode(refresh_token, "refresh")
    started = session_started(claims["sid"])
    if started is None:
        raise Unauthenticated(*SESSION_ENDED)
    try:
        account = rpc.call_system("org", "get_account", account_id=claims["sub"])
    except NotFound:
        account = None
    if account is None or account.get("disabled") or _changed_since(
            account.get("password_changed_at"), started):
        revoke_session(claims["sid"])
        raise Unauthenticated(*SESSION_ENDED)
    return _access_payload(account, claims["sid"])


def _changed_since(changed_at: str | None, started: datetime) -> bool:
    return bool(changed_at) and clock.parse_time(changed_at) > started


def logout(user: User) -> None:
    """End the session: both of its tokens are refused from now on."""
    revoke_session(user.session_id)
