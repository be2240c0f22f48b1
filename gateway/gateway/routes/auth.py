"""``/api/v1/auth/*`` and ``/api/v1/me``: sign in, refresh, sign out, who am I; lifting
the lock that failed sign-ins put on an account or a client address."""
from flask import g, request

from fazhi_org_contract.roles import ACCOUNT_ADMINS
from fazhi_org_contract.schemas import Credentials

from gateway import auth, errors
from gateway.api import Blueprint
from gateway.schemas import ErrorResponse, Me, RefreshInput, TokenPair

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与令牌 / sign-in and tokens")


@blp.route("/auth/login", methods=["POST"])
@auth.public
@blp.arguments(Credentials)
@blp.alt_response(200, schema=TokenPair, success=True)
@blp.alt_response(429, schema=ErrorResponse, description=(
    "Too many failed sign-ins for this account or from this address: try again after "
    "`Retry-After` seconds (org is not asked meanwhile)."))
def login(credentials):
    """Sign in with username and password: an access token and a refresh token."""
    try:
        return auth.login(credentials["username"], credentials["password"],
                          request.headers.get("User-Agent"))
    except auth.LoginThrottled as throttled:
        return errors.error_response(throttled, {"Retry-After": str(throttled.retry_after)})


@blp.route("/auth/refresh", methods=["POST"])
@auth.public
@blp.arguments(RefreshInput)
@blp.alt_response(200, schema=TokenPair, success=True)
def refresh(body):
    """A new access token carrying the account's current grants, and a new refresh token:
    the one sent is spent (presented again later, it ends the session)."""
    return auth.refresh(body["refresh_token"])


@blp.route("/auth/logout", methods=["POST"])
@auth.authenticated
@blp.alt_response(204, description="Signed out: both tokens are refused from now on.",
                  success=True)
def logout():
    """End this session."""
    auth.logout(g.user)
    return "", 204


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
