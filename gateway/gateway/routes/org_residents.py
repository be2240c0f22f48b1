"""``/api/v1/org/...``: account administration, residents' phone registration and its
confirmation, and errands (代办) done for residents. Thin calls to the org service, which
re-checks scope (outside it: 404)."""
from marshmallow import fields, validate

from fazhi_shared.context import STAFF_ROLES
from fazhi_shared.schemas import BaseSchema
from org import schemas as org
from org.roles import ACCOUNT_ADMINS, CLAIM_DECIDERS, ERRAND_RUNNERS

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import allow, authenticated, public

blp = Blueprint("org_residents", __name__, url_prefix="/api/v1/org",
                description="账号管理、居民注册与代办 / accounts, registration, errands")




class PasswordBody(BaseSchema):
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=8, max=128))


class DisabledBody(BaseSchema):
    disabled = fields.Boolean(required=True)


class DecisionBody(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["confirm", "reject"]))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


# -- account administration ---------------------------------------------------------------
@blp.route("/accounts", methods=["GET"])
@allow(*ACCOUNT_ADMINS)
@blp.arguments(org.AccountList, location="query")
@blp.ok(200, org.AccountPage)
def list_accounts(query):
    """Accounts of the people under the admin's units."""
    return rpc.call("org", "list_accounts", **query)


@blp.route("/accounts/<id:account_id>/password", methods=["PUT"])
@allow(*ACCOUNT_ADMINS)
@blp.arguments(PasswordBody)
@blp.ok(200, org.Account)
def reset_password(body, account_id):
    """Set a new password for an account (audited); its older sessions cannot refresh."""
    return rpc.call("org", "reset_password", account_id=account_id, **body)


@blp.route("/accounts/<id:account_id>/disabled", methods=["PUT"])
@allow(*ACCOUNT_ADMINS)
@blp.arguments(DisabledBody)
@blp.ok(200, org.Account)
def set_disabled(body, account_id):
    """Disable or re-enable an account (audited)."""
    return rpc.call("org", "set_account_disabled", account_id=account_id, **body)


@blp.route("/me/password", methods=["PUT"])
@authenticated
@blp.arguments(org.PasswordChange)
@blp.ok(200, org.Account)
def change_password(body):
    """Change one's own password, giving the current one."""
    return rpc.call("org", "change_password", **body)


# -- residents' registration ----------------------------------------------------------------
@blp.route("/registration/code", methods=["POST"])
@public
@blp.arguments(org.PhoneCodeRequest)
@blp.ok(200, org.PhoneCodeSent)
def request_code(body):
    """Send a verification code to a phone (1 a minute, 5 an hour)."""
    return rpc.call_anonymous("org", "request_phone_code", **body)


@blp.route("/registration", methods=["POST"])
@public
@blp.arguments(org.Registration)
@blp.ok(201, org.RegistrationResult)
def register(body):
    """Register with the code and claim a unit; staff or the owners' committee confirm."""
    return rpc.call_anonymous("org", "register_resident", **body), 201


@blp.route("/resident-claims", methods=["GET"])
@allow(*CLAIM_DECIDERS)
@blp.arguments(org.ClaimList, location="query")
@blp.ok(200, org.ResidentClaimPage)
def list_claims(query):
    """Residents' claims on units in the caller's scope."""
    return rpc.call("org", "list_resident_claims", **query)


@blp.route("/resident-claims/<id:claim_id>/decision", methods=["POST"])
@allow(*CLAIM_DECIDERS)
@blp.arguments(DecisionBody)
@blp.ok(200, org.ResidentClaim)
def decide_claim(body, claim_id):
    """Confirm (the account becomes a resident of the unit) or reject a claim."""
    return rpc.call("org", "decide_resident_claim", claim_id=claim_id, **body)


# -- errands (代办) -----------------------------------------------------------------------------
@blp.route("/errands/registrations", methods=["POST"])
@allow(*ERRAND_RUNNERS)
@blp.arguments(org.RegisterFor)
@blp.ok(201, org.RegisteredFor)
def register_for(body):
    """Register a resident who cannot use a phone, on their behalf."""
    return rpc.call("org", "register_resident_for", **body), 201


@blp.route("/errands", methods=["POST"])
@allow(*ERRAND_RUNNERS)
@blp.arguments(org.ErrandCreate)
@blp.ok(201, org.Errand)
def record_errand(body):
    """Record something done for a resident (who acted for whom is kept)."""
    return rpc.call("org", "record_errand", **body), 201


@blp.route("/errands", methods=["GET"])
@allow(*STAFF_ROLES)
@blp.arguments(org.ErrandList, location="query")
@blp.ok(200, org.ErrandPage)
def list_errands(query):
    """Errands in the caller's scope, optionally for one resident."""
    return rpc.call("org", "list_errands", **query)

