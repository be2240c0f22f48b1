"""``/api/v1/auth/*`` and ``/api/v1/me``: sign in, refresh, sign out, who am I."""
from flask import g, request

from fazhi_org_contract.schemas import Credentials

from gateway import auth
from gateway.api import Blueprint
from gateway.schemas import Me, RefreshInput, TokenPair

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与令牌 / sign-in and tokens")


@blp.route("/auth/login", methods=["POST"])
@auth.public
@blp.arguments(Credentials)
@blp.alt_response(200, schema=TokenPair, success=True)
def login(credentials):
    """Sign in with username and password: an access token and a refresh token."""
    return auth.login(credentials["username"], credentials["password"],
                      request.headers.get("User-Agent"))


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
