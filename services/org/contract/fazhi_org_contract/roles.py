"""Who may do what in the org service, in one place.

The use cases check these on the caller's grants (``Principal.can_act_at``); the gateway
imports the same tuples for its route declarations, so the first gate and the service's
own check cannot drift apart. Pure data: no imports beyond the role list.
"""
from fazhi_shared.context import ROLES, STAFF_ROLES

# Who may create, rename or move a unit of each kind (on a grant covering its parent).
UNIT_WRITERS = {
    "city": (),                                   # cities are made by the system (seed)
    "street": ("city_admin",),
    "community": ("city_admin", "street_admin"),
    "compound": ("city_admin", "street_admin"),
    "building": ("city_admin", "street_admin", "community_worker"),
    "unit": ("city_admin", "street_admin", "community_worker"),
}
# Anyone who may write some kind of unit (the gateway's gate; org checks the kind).
ANY_UNIT_WRITER = tuple(dict.fromkeys(r for roles in UNIT_WRITERS.values() for r in roles))

# Who may create and change people records.
PEOPLE_WRITERS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                  "property_staff", "judicial_staff")
ACCOUNT_ADMINS = ("city_admin", "street_admin")

# Account administration: for each action, which roles each admin role manages. An admin
# may act on an account only if every active grant of it holds a role the admin manages
# for that action, inside one of the admin's grants of that admin role (so it has at
# least one grant there); an account without grants only if its person record lies in
# the admin's scope. A new grant must itself be one the admin may give there.
# A street admin appoints no street admin and touches no city admin: peers and superiors
# are the city admins' (otherwise a password reset is a takeover of a higher account).
ACCOUNT_ACTIONS = ("grant", "revoke", "reset_password", "disable")
_CITY_MANAGES = ROLES
_STREET_MANAGES = tuple(r for r in ROLES if r not in ("city_admin", "street_admin"))
# The judicial office (at the street) appoints the people it trains and supervises:
# people's mediators, legal-literate people and people's assessors (人民陪审员) — by the
# person's id (grant_person_role), where the account's other grants do not matter.
# Revoking, resets and disabling stay with the admins.
JUDICIAL_APPOINTS = ("mediator", "legal_literate", "assessor")
ACCOUNT_MATRIX = {
    "grant": {"city_admin": _CITY_MANAGES, "street_admin": _STREET_MANAGES,
              "judicial_staff": JUDICIAL_APPOINTS},
    "revoke": {"city_admin": _CITY_MANAGES, "street_admin": _STREET_MANAGES},
    "reset_password": {"city_admin": _CITY_MANAGES, "street_admin": _STREET_MANAGES},
    "disable": {"city_admin": _CITY_MANAGES, "street_admin": _STREET_MANAGES},
}
# Roles another service (legal) gives a person's account by the person's id
# (``grant_person_role``): the duties it appoints people to; never an admin or staff role.
PERSON_GRANTABLE_ROLES = ("grid_worker", "assessor", "mediator", "legal_literate")
# Who reads a person's age and gender (``person_facts``: derived, nothing revealed).
PERSON_FACT_READERS = STAFF_ROLES

# Who may see unmasked ID numbers and phones (every read audited).
REVEALERS = ("city_admin", "street_admin", "judicial_staff", "community_worker", "auditor")

# Who may confirm a resident's claim on a unit in their scope.
CLAIM_DECIDERS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                  "owners_committee")
# Who may act for a resident (代办): staff and volunteers ("errand pioneers").
ERRAND_RUNNERS = ("community_worker", "grid_worker", "property_staff", "owners_committee",
                  "legal_literate", "volunteer", "street_admin", "city_admin")

# Who may change a compound's registry (areas, owners, ownership, residents, imports).
REGISTRY_WRITERS = ("city_admin", "street_admin", "community_worker", "property_staff",
                    "owners_committee")
# Who may read owners, residents and the electorate: staff whose grant covers the compound.
REGISTRY_READERS = STAFF_ROLES
# The workbook export carries unmasked ID numbers and phones.
WORKBOOK_EXPORTERS = ("city_admin", "street_admin", "community_worker")

# Party organisations, compound bodies, grids.
ORG_WRITERS = ("city_admin", "street_admin", "community_worker")
PARTY_ORG_WRITERS = ORG_WRITERS
# The judicial office sits at the street: its staff keep the street-level Party organisations.
PARTY_ORG_WRITERS_AT_STREET = ORG_WRITERS + ("judicial_staff",)
# The owners' committee keeps its own record and the property company it hired.
BODY_WRITERS = {
    "owners_committee": ORG_WRITERS + ("owners_committee",),
    "property_company": ORG_WRITERS + ("owners_committee",),
    "mediation_committee": ORG_WRITERS,
    "deliberation_venue": ORG_WRITERS,
}
GRID_WRITERS = ORG_WRITERS
# Any staff role in scope may read the coverage report; residents see their own compound.
REPORT_READERS = STAFF_ROLES

# The operation log and the unmasked-data reads (org's audit rows), in their scope;
# rows without a unit (a login, a key rotation) only for a grant on a city.
AUDIT_READERS = ("city_admin", "street_admin", "auditor")
# The audit actions that are reads of unmasked personal data.
UNMASKED_READS = ("person.reveal", "workbook.export")
