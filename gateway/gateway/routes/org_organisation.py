"""``/api/v1/org/...``: the organisation — Party organisations and members, public profiles,
the compound's bodies (owners' committee, property company, people's mediation committee,
law-aided deliberation venue), micro-grids and grid workers, the "five haves" (五有).

Thin calls to org's ``OrganisationRpc`` (``org/api_organisation.py``) through
``rpc.call`` (dates sent as ISO strings). Bodies and queries are
validated with org's contract schemas (the gateway's ``*Body``/``*Params`` variants
leave out the id the URL carries); rules only org can judge (a mediation committee of
3–9 with a woman and a chair, a three-year term…) come back from it as 422 naming the
field. The declarations below match org's own (``org.organisation``): never stricter, and
org re-checks the role on the unit and the scope (outside it: 404).
"""
from __future__ import annotations

from fazhi_shared.context import ROLES, STAFF_ROLES
from fazhi_shared.schemas import page_of
from org import schemas as org
from org.roles import BODY_WRITERS, ORG_WRITERS, PARTY_ORG_WRITERS_AT_STREET

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import allow, authenticated
from gateway.schemas import (BodyDissolveBody, BodyListParams, CoverageParams,
                             DeliberationVenueBody, FiveHavesParams, GridEnsureBody,
                             GridWorkerAssignBody, GridWorkerUnassignBody, MediationCommitteeBody,
                             OwnersCommitteeBody, PartyMemberAddBody, PartyMemberListParams,
                             PartyMemberRemoveBody, PropertyCompanyBody, ShowIdentityBody)

blp = Blueprint("org_organisation", __name__, url_prefix="/api/v1/org",
                description="党组织、小区组织、微网格与“五有” / "
                            "Party organisations, compound bodies, micro-grids, five haves")

# Judicial staff keep the street-level kinds; org refuses them (403) for the others.
PARTY_ORG_WRITERS = PARTY_ORG_WRITERS_AT_STREET
COMMITTEE_WRITERS = BODY_WRITERS["owners_committee"]
# Whoever writes some kind of body may dissolve one; org checks the body's own kind.
BODY_DISSOLVERS = COMMITTEE_WRITERS
# Readable inside the compound (residents see who serves them): all roles.
COMPOUND_READERS = ROLES
# org.organisation.REPORT_READERS and the staff-only records (Party members).
STAFF_READERS = STAFF_ROLES

PartyOrgPage = page_of(org.PartyOrg)
PartyMemberPage = page_of(org.PartyMember)
BodyPage = page_of(org.Body)



# -- Party organisations ----------------------------------------------------------------------
@blp.route("/party-orgs", methods=["POST"])
@allow(*PARTY_ORG_WRITERS)
@blp.arguments(org.PartyOrgCreate)
@blp.ok(201, org.PartyOrg)
def create_party_org(body):
    """A Party organisation attached to a unit of its level (street working committee and
    judicial-office branch: street; community branch: community; compound group:
    compound), under ``parent_id`` or else the only organisation of the parent kind above."""
    return rpc.call("org", "create_party_org", **body), 201


@blp.route("/party-orgs", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.arguments(org.PartyOrgList, location="query")
@blp.ok(200, PartyOrgPage)
def list_party_orgs(query):
    """The organisations attached at or under ``unit_id`` (creation order)."""
    return rpc.call("org", "list_party_orgs", **query)


@blp.route("/party-orgs/<id:party_org_id>", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.ok(200, org.PartyOrg)
def get_party_org(party_org_id):
    """One organisation with its current member count."""
    return rpc.call("org", "get_party_org", id=party_org_id)


@blp.route("/party-orgs/<id:party_org_id>/members", methods=["POST"])
@allow(*PARTY_ORG_WRITERS)
@blp.arguments(PartyMemberAddBody)
@blp.ok(201, org.PartyMember)
def add_party_member(body, party_org_id):
    """Add a person to the organisation (a former member rejoins)."""
    return rpc.call("org", "add_party_member", party_org_id=party_org_id, **body), 201


@blp.route("/party-orgs/<id:party_org_id>/members", methods=["GET"])
@allow(*STAFF_READERS)
@blp.arguments(PartyMemberListParams, location="query")
@blp.ok(200, PartyMemberPage)
def list_party_members(query, party_org_id):
    """The members (staff only: membership is public only by the member's choice)."""
    return rpc.call("org", "list_party_members", party_org_id=party_org_id, **query)


@blp.route("/party-orgs/<id:party_org_id>/members/<id:person_id>/leave", methods=["POST"])
@allow(*PARTY_ORG_WRITERS)
@blp.arguments(PartyMemberRemoveBody)
@blp.ok(200, org.PartyMember)
def remove_party_member(body, party_org_id, person_id):
    """End a membership on ``left_on`` (the day they left; default today)."""
    return rpc.call("org", "remove_party_member", party_org_id=party_org_id,
                    person_id=person_id, **body)


@blp.route("/people/<id:person_id>/party-identity", methods=["PUT"])
@authenticated
@blp.arguments(ShowIdentityBody)
@blp.ok(200, org.PublicProfile)
def set_show_identity(body, person_id):
    """Whether "中共党员" shows on the person's public profile: the member's own choice
    (any signed-in member for themself), or recorded by writers of their organisation.
    Returns the profile as others now see it."""
    return rpc.call("org", "set_show_identity", person_id=person_id, **body)


@blp.route("/people/<id:person_id>/public-profile", methods=["GET"])
@authenticated
@blp.ok(200, org.PublicProfile)
def get_public_profile(person_id):
    """Name, current duties in compounds, and "中共党员" only if the person shows it (for
    the person, staff in scope, and residents of the compound they are kept in or serve)."""
    return rpc.call("org", "get_public_profile", person_id=person_id)


# -- compound bodies --------------------------------------------------------------------------
@blp.route("/compounds/<id:compound_id>/owners-committee", methods=["POST"])
@allow(*COMMITTEE_WRITERS)
@blp.arguments(OwnersCommitteeBody)
@blp.ok(201, org.Body)
def set_up_owners_committee(body, compound_id):
    """Record the owners' committee (members, term); the current one is dissolved."""
    return rpc.call("org", "set_up_owners_committee", compound_id=compound_id, **body), 201


@blp.route("/compounds/<id:compound_id>/property-company", methods=["POST"])
@allow(*COMMITTEE_WRITERS)
@blp.arguments(PropertyCompanyBody)
@blp.ok(201, org.Body)
def set_up_property_company(body, compound_id):
    """Record the property company and its contract period; replaces the current one."""
    return rpc.call("org", "set_up_property_company", compound_id=compound_id, **body), 201


@blp.route("/compounds/<id:compound_id>/mediation-committee", methods=["POST"])
@allow(*ORG_WRITERS)
@blp.arguments(MediationCommitteeBody)
@blp.ok(201, org.Body)
def set_up_mediation_committee(body, compound_id):
    """Set up the people's mediation committee: 3–9 members, at least one recorded as
    female, exactly one chair, a three-year term (People's Mediation Law arts. 8–9) —
    otherwise 422 naming the field with every reason. Replaces the current one."""
    return rpc.call("org", "set_up_mediation_committee", compound_id=compound_id, **body), 201


@blp.route("/compounds/<id:compound_id>/deliberation-venue", methods=["POST"])
@allow(*ORG_WRITERS)
@blp.arguments(DeliberationVenueBody)
@blp.ok(201, org.Body)
def set_up_deliberation_venue(body, compound_id):
    """Record the law-aided deliberation venue (address, opening hours); replaces the
    current one."""
    return rpc.call("org", "set_up_deliberation_venue", compound_id=compound_id, **body), 201


@blp.route("/bodies/<id:body_id>/dissolution", methods=["POST"])
@allow(*BODY_DISSOLVERS)
@blp.arguments(BodyDissolveBody)
@blp.ok(200, org.Body)
def dissolve_body(body, body_id):
    """Dissolve a body (a contract ended, a committee stood down), with the reason. The
    owners' committee may dissolve only its own record and the property company."""
    return rpc.call("org", "dissolve_body", id=body_id, **body)


@blp.route("/compounds/<id:compound_id>/bodies", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.arguments(BodyListParams, location="query")
@blp.ok(200, BodyPage)
def list_bodies(query, compound_id):
    """The compound's bodies, current only or with dissolved ones (creation order)."""
    return rpc.call("org", "list_bodies", compound_id=compound_id, **query)


@blp.route("/compounds/<id:compound_id>/organisation", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.ok(200, org.CompoundOrganisation)
def get_compound_organisation(compound_id):
    """The three-way linkage at a glance: owners' committee, property company, mediation
    committee, deliberation venue, Party groups and the micro-grid."""
    return rpc.call("org", "get_compound_organisation", compound_id=compound_id)


# -- micro-grids ------------------------------------------------------------------------------
@blp.route("/compounds/<id:compound_id>/grid", methods=["PUT"])
@allow(*ORG_WRITERS)
@blp.arguments(GridEnsureBody)
@blp.ok(200, org.Grid)
def ensure_grid(body, compound_id):
    """The compound's micro-grid, made on the first call (one per compound; ``name`` is
    used only then)."""
    return rpc.call("org", "ensure_grid", compound_id=compound_id, **body)


@blp.route("/compounds/<id:compound_id>/grid", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.ok(200, org.Grid)
def get_grid(compound_id):
    """The micro-grid with the grid workers on duty today."""
    return rpc.call("org", "get_grid", compound_id=compound_id)


@blp.route("/compounds/<id:compound_id>/grid/workers", methods=["POST"])
@allow(*ORG_WRITERS)
@blp.arguments(GridWorkerAssignBody)
@blp.ok(201, org.GridWorker)
def assign_grid_worker(body, compound_id):
    """Put a person on the compound's grid from ``since`` (the grid is made if needed)."""
    return rpc.call("org", "assign_grid_worker", compound_id=compound_id, **body), 201


@blp.route("/compounds/<id:compound_id>/grid/workers/<id:person_id>/unassign",
           methods=["POST"])
@allow(*ORG_WRITERS)
@blp.arguments(GridWorkerUnassignBody)
@blp.ok(200, org.GridWorker)
def unassign_grid_worker(body, compound_id, person_id):
    """Take a grid worker off duty from ``until`` (default today)."""
    return rpc.call("org", "unassign_grid_worker", compound_id=compound_id,
                    person_id=person_id, **body)


# -- the five haves ---------------------------------------------------------------------------
@blp.route("/compounds/<id:compound_id>/five-haves", methods=["GET"])
@allow(*COMPOUND_READERS)
@blp.arguments(FiveHavesParams, location="query")
@blp.ok(200, org.FiveHaves)
def get_five_haves(query, compound_id):
    """One compound's checklist on ``as_of`` (default today): which of the five it has,
    what it lacks, and whether a grid worker is on duty."""
    return rpc.call("org", "get_five_haves", compound_id=compound_id, **query)


@blp.route("/units/<id:unit_id>/five-haves-coverage", methods=["GET"])
@allow(*STAFF_READERS)
@blp.arguments(CoverageParams, location="query")
@blp.ok(200, org.Coverage)
def five_haves_coverage(query, unit_id):
    """Every compound under a community, street or city: each one's checklist, per have
    the compounds lacking it, and the counts. Not paginated: one report."""
    return rpc.call("org", "five_haves_coverage", unit_id=unit_id, **query)
