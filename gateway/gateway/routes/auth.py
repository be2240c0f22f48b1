"""``/api/v1/auth/*`` and ``/api/v1/me``: sign in, refresh, sign out, who am I; lifting
the lock that failed sign-ins put on an account or a client address.

The refresh token travels two ways. Mobile apps keep it from the JSON body and send it
back in the body. Browsers get it as the cookie ``fazhi_refresh`` — ``HttpOnly`` (no page
script reads it), ``SameSite=Strict``, ``Path=/api/v1/auth`` (sent nowhere else),
``Secure`` over https — set at login and at every refresh, cleared at logout and when a
cookie refresh is refused. A browser client says it is one with ``X-Requested-With``:
its answers then leave the token out of the body. A refresh by cookie must carry that
header (with SameSite=Strict, the CSRF defence: a cross-site form cannot add a header,
and the gateway allows no cross-origin scripts).
"""
import time

from flask import current_app, g, jsonify, request
from marshmallow import fields

from fazhi_shared.errors import Forbidden, Unauthenticated
from fazhi_shared.schemas import BaseSchema

from fazhi_org_contract.roles import ACCOUNT_ADMINS
from fazhi_org_contract.schemas import Credentials

from gateway import auth, config, errors
from gateway.api import Blueprint
from gateway.routes.admin import record_login
from gateway.schemas import ErrorResponse, Me, TokenPair

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与令牌 / sign-in and tokens")

REFRESH_COOKIE = "fazhi_refresh"
COOKIE_PATH = "/api/v1/auth"
BROWSER_HEADER = "X-Requested-With"
CSRF_REFUSED = ("用 Cookie 刷新令牌须带 X-Requested-With 请求头。",
                "A refresh with the cookie needs the X-Requested-With header.")
NO_TOKEN = ("请先登录。", "Sign in first: no refresh token was sent.")


class RefreshInput(BaseSchema):
    """``/auth/refresh``'s body: the token is optional now (browsers send the cookie).
    Supersedes ``gateway.schemas.RefreshInput``, which no route uses any more."""
    refresh_token = fields.String(load_default=None, metadata={
        "description": "the refresh token (mobile apps); browsers leave it out and send the "
                       "fazhi_refresh cookie with the X-Requested-With header"})


def _is_browser() -> bool:
    return bool(request.headers.get(BROWSER_HEADER, "").strip())


def _over_https() -> bool:
    if request.is_secure:
        return True
    # Behind the proxies GATEWAY_TRUSTED_PROXIES trusts, the one in front says the scheme.
    if auth._setting(config.TRUSTED_PROXIES) > 0:
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return proto == "https"
    return False


def _with_cookie(pair: dict):
    """The token pair as the response: the refresh token in the cookie (and, for a client
    that is not a browser, in the body too)."""
    token = pair["refresh_token"]
    lifetime = int(auth.decode(token, "refresh")["exp"] - time.time())
    response = jsonify(pair if not _is_browser() else
                       {k: v for k, v in pair.items() if k != "refresh_token"})
    response.set_cookie(REFRESH_COOKIE, token, max_age=max(lifetime, 0), path=COOKIE_PATH,
                        secure=_over_https(), httponly=True, samesite="Strict")
    return response


def _clear_cookie(response):
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, secure=_over_https(),
                           httponly=True, samesite="Strict")
    return response


@blp.route("/auth/login", methods=["POST"])
@auth.public
@blp.arguments(Credentials)
@blp.alt_response(200, schema=TokenPair, success=True)
@blp.alt_response(429, schema=ErrorResponse, description=(
    "Too many failed sign-ins for this account or from this address: try again after "
    "`Retry-After` seconds (org is not asked meanwhile)."))
def login(credentials):
    """Sign in with username and password: an access token and a refresh token."""
    agent = request.headers.get("User-Agent")
    try:
        pair = auth.login(credentials["username"], credentials["password"], agent)
    except auth.LoginThrottled as throttled:
        record_login("throttled", credentials["username"], agent)
        return errors.error_response(throttled, {"Retry-After": str(throttled.retry_after)})
    except Unauthenticated:
        record_login("failure", credentials["username"], agent)
        raise
    record_login("success", credentials["username"], agent, account_id=pair["account"]["id"],
                 session_id=auth.decode(pair["access_token"], "access")["sid"])
    return _with_cookie(pair)


@blp.route("/auth/refresh", methods=["POST"])
@auth.public
@blp.arguments(RefreshInput)
@blp.alt_response(200, schema=TokenPair, success=True)
def refresh(body):
    """A new access token carrying the account's current grants, and a new refresh token:
    the one sent is spent (presented again later, it ends the session). The token comes
    in the body, or else from the ``fazhi_refresh`` cookie — then only with the
    ``X-Requested-With`` header, and the new one goes back in the cookie only."""
    token = body.get("refresh_token")
    if token is not None:
        return _with_cookie(auth.refresh(token))
    token = request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise Unauthenticated(*NO_TOKEN)
    if not _is_browser():
        raise Forbidden(*CSRF_REFUSED)
    try:
        return _with_cookie(auth.refresh(token))
    except Unauthenticated as refused:
        return _clear_cookie(errors.error_response(refused))


@blp.route("/auth/logout", methods=["POST"])
@auth.authenticated
@blp.alt_response(204, description="Signed out: both tokens are refused from now on.",
                  success=True)
def logout():
    """End this session (and clear the browser's refresh cookie)."""
    auth.logout(g.user)
    return _clear_cookie(current_app.response_class(status=204))


@blp.route("/me", methods=["GET"])
@auth.authenticated
@blp.alt_response(200, schema=Me, success=True)
def me():
    """The signed-in account as its access token states it (no service call)."""
    user = g.user
    return {"account_id": user.account_id, "person_id": user.person_id,
            "session_id": user.session_id, "roles": sorted(user.roles),
            "grants": [{"role": gr.role, "path": gr.path} for gr in user.grants]}


@blp.route("/auth/throttles/accounts/<id:account_id>", methods=["DELETE"])
@auth.allow(*ACCOUNT_ADMINS)
@blp.alt_response(204, description="The account may sign in again at once.", success=True)
def lift_account_lock(account_id):
    """Forget an account's failed sign-ins (admins, for an account in their scope: 404
    otherwise)."""
    auth.lift_account_lock(g.user, account_id)
    return "", 204


@blp.route("/auth/throttles/addresses/<address>", methods=["DELETE"])
@auth.allow("city_admin")
@blp.alt_response(204, description="Sign-ins from the address are no longer slowed.",
                  success=True)
def lift_address_lock(address):
    """Forget a client address's failed sign-ins (an address belongs to no street: the
    city admin's)."""
    auth.lift_address_lock(g.user, address)
    return "", 204
