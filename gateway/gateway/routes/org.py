"""``/api/v1/org/*``: units, people, accounts and grants — thin calls to the org service.

Bodies and queries are validated with org's contract schemas (``org.schemas``) so a bad
request never leaves the gateway; the loaded data goes to the RPC as keyword arguments.
The org service re-checks scope: a record outside the caller's units is a 404 from there.
Responses are passed through as org dumped them (already in the contract's shape).
"""
from fazhi_shared.context import ROLES, STAFF_ROLES
from org import schemas as org
from org.roles import ACCOUNT_ADMINS, ANY_UNIT_WRITER, REVEALERS

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import allow
from gateway.schemas import (GrantCreateBody, Page, PersonRevealBody, PersonUpdateBody, Pong,
                             Revoked, UnitMoveBody, UnitRenameBody)

blp = Blueprint("org", __name__, url_prefix="/api/v1/org",
                description="组织架构、人员与账号 / units, people, accounts")

UNIT_WRITERS = ANY_UNIT_WRITER



# -- units ----------------------------------------------------------------------------------
@blp.route("/units", methods=["GET"])
@allow(*ROLES)
@blp.arguments(org.UnitList, location="query")
@blp.ok(200, org.UnitPage)
def list_units(query):
    """Units the caller may see, by name; filter by parent and kind."""
    return rpc.call("org", "list_units", **query)


@blp.route("/units", methods=["POST"])
@allow(*UNIT_WRITERS)
@blp.arguments(org.UnitCreate)
@blp.ok(201, org.Unit)
def create_unit(body):
    """Create a unit one level below its parent."""
    return rpc.call("org", "create_unit", **body), 201


@blp.route("/units/<id:unit_id>", methods=["GET"])
@allow(*ROLES)
@blp.ok(200, org.Unit)
def get_unit(unit_id):
    """One unit."""
    return rpc.call("org", "get_unit", id=unit_id)


@blp.route("/units/<id:unit_id>", methods=["PATCH"])
@allow(*UNIT_WRITERS)
@blp.arguments(UnitRenameBody)
@blp.ok(200, org.Unit)
def rename_unit(body, unit_id):
    """Rename a unit (its path, made of ids, does not change)."""
    return rpc.call("org", "rename_unit", id=unit_id, **body)


@blp.route("/units/<id:unit_id>/move", methods=["POST"])
@allow(*UNIT_WRITERS)
@blp.arguments(UnitMoveBody)
@blp.ok(200, org.Unit)
def move_unit(body, unit_id):
    """Move a unit and everything under it to a new parent."""
    return rpc.call("org", "move_unit", id=unit_id, **body)


@blp.route("/units/<id:unit_id>/children", methods=["GET"])
@allow(*ROLES)
@blp.arguments(Page, location="query")
@blp.ok(200, org.UnitPage)
def list_children(query, unit_id):
    """The units directly under a unit."""
    return rpc.call("org", "list_units", parent_id=unit_id, **query)


@blp.route("/compounds", methods=["GET"])
@allow(*ROLES)
@blp.arguments(Page, location="query")
@blp.ok(200, org.UnitPage)
def list_compounds(query):
    """The compounds the caller may see."""
    return rpc.call("org", "list_units", kind="compound", **query)


# -- people ---------------------------------------------------------------------------------
@blp.route("/people", methods=["POST"])
@allow(*STAFF_ROLES)
@blp.arguments(org.PersonCreate)
@blp.ok(201, org.Person)
def create_person(body):
    """Register a person under a unit (the ID number is stored encrypted)."""
    return rpc.call("org", "create_person", **body), 201


@blp.route("/people", methods=["GET"])
@allow(*STAFF_ROLES)
@blp.arguments(org.PersonList, location="query")
@blp.ok(200, org.PersonPage)
def list_people(query):
    """People in the caller's scope; phones and ID numbers masked."""
    return rpc.call("org", "list_people", **query)


@blp.route("/people/<id:person_id>", methods=["GET"])
@allow(*STAFF_ROLES)
@blp.ok(200, org.Person)
def get_person(person_id):
    """One person, ID number masked."""
    return rpc.call("org", "get_person", id=person_id)


@blp.route("/people/<id:person_id>", methods=["PATCH"])
@allow(*STAFF_ROLES)
@blp.arguments(PersonUpdateBody)
@blp.ok(200, org.Person)
def update_person(body, person_id):
    """Correct a person's record (audited)."""
    return rpc.call("org", "update_person", id=person_id, **body)


@blp.route("/people/<id:person_id>/reveal", methods=["POST"])
@allow(*REVEALERS)
@blp.arguments(PersonRevealBody)
@blp.ok(200, org.PersonRevealed)
def reveal_person(body, person_id):
    """The unmasked phone and ID number, for a stated reason (the read is audited)."""
    return rpc.call("org", "reveal_person", id=person_id, **body)


# -- accounts and grants ----------------------------------------------------------------------
@blp.route("/accounts", methods=["POST"])
@allow(*ACCOUNT_ADMINS)
@blp.arguments(org.AccountCreate)
@blp.ok(201, org.Account)
def create_account(body):
    """Create a login for a person."""
    return rpc.call("org", "create_account", **body), 201


@blp.route("/accounts/<id:account_id>", methods=["GET"])
@allow(*ACCOUNT_ADMINS)
@blp.ok(200, org.Account)
def get_account(account_id):
    """An account with its active grants."""
    return rpc.call("org", "get_account", account_id=account_id)


@blp.route("/accounts/<id:account_id>/grants", methods=["POST"])
@allow(*ACCOUNT_ADMINS)
@blp.arguments(GrantCreateBody)
@blp.ok(201, org.Grant)
def grant_role(body, account_id):
    """Give an account a role on a unit (granting it again changes nothing)."""
    return rpc.call("org", "grant_role", account_id=account_id, **body), 201


@blp.route("/grants/<id:grant_id>", methods=["DELETE"])
@allow(*ACCOUNT_ADMINS)
@blp.ok(200, Revoked)
def revoke_grant(grant_id):
    """Revoke a grant; it disappears from the account's tokens at their next refresh."""
    return rpc.call("org", "revoke_grant", grant_id=grant_id)


# -- no-op --------------------------------------------------------------------------------------
@blp.route("/ping", methods=["GET"])
@allow(*ROLES)
@blp.ok(200, Pong)
def ping():
    """One round trip to org and back (the benchmark's no-op call)."""
    return rpc.call("org", "ping")
