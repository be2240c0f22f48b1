"""org's HTTP surface: the routes the gateway mounts under ``/api/v1/org``.

Each route names the RPC method it calls, the RPC's own input schema (the gateway leaves
out the fields the URL carries), the response schema and who may call it — the first
gate; org re-checks the role on the unit and the scope (outside it: 404). See
``fazhi_shared.http`` for how a request becomes a call.

A route's roles are the very tuples of ``roles`` that org's use case checks, so they are
exactly the roles org accepts for some unit (``tests/service/test_route_roles.py`` calls
every route as each declared role, and each write as every other role).
"""
from fazhi_shared.context import ROLES, STAFF_ROLES
from fazhi_shared.http import PUBLIC, SIGNED_IN, Download, Route, Upload
from fazhi_shared.schemas import page_of

from fazhi_org_contract import schemas as s
from fazhi_org_contract.schemas import admin as a
from fazhi_org_contract.roles import (ACCOUNT_ADMINS, ACCOUNT_MATRIX, ANY_UNIT_WRITER,
                                      AUDIT_READERS, BODY_WRITERS, PERSON_FACT_READERS,
                                      CLAIM_DECIDERS, ERRAND_RUNNERS, ORG_WRITERS,
                                      PARTY_ORG_WRITERS_AT_STREET, PEOPLE_WRITERS,
                                      REGISTRY_READERS,
                                      REGISTRY_WRITERS, REVEALERS, WORKBOOK_EXPORTERS)
from fazhi_org_contract.vocabulary import MAX_IMPORT_BYTES, XLSX

UNIT_WRITERS = ANY_UNIT_WRITER
# Judicial staff keep the street-level kinds; org refuses them (403) for the others.
PARTY_ORG_WRITERS = PARTY_ORG_WRITERS_AT_STREET
COMMITTEE_WRITERS = BODY_WRITERS["owners_committee"]
# Whoever writes some kind of body may dissolve one; org checks the body's own kind.
BODY_DISSOLVERS = COMMITTEE_WRITERS
# Readable inside the compound (residents see who serves them): all roles.
COMPOUND_READERS = ROLES
# Who may give a duty role by a person's id: whoever the matrix lets grant something.
GRANT_GIVERS = tuple(ACCOUNT_MATRIX["grant"])
# The coverage report and the staff-only records (Party members).
STAFF_READERS = STAFF_ROLES

PartyOrgPage = page_of(s.PartyOrg)
PartyMemberPage = page_of(s.PartyMember)
BodyPage = page_of(s.Body)

WORKBOOK_UPLOAD = Upload(field="file", max_bytes=MAX_IMPORT_BYTES, content_types=(XLSX, ""),
                         magic=b"PK",
                         kind_zh="不是有效的 .xlsx 文件，请使用模板。",
                         kind_en="Not an .xlsx workbook; use the template.")

# A compound's export or a city's coverage report is built in a worker process and may
# take seconds: its call waits this long instead of the default RPC timeout.
EXPORT_SECONDS = 30.0

ROUTES = (
    # -- units, people, accounts and grants ------------------------------------------------
    Route("GET", "/units", "list_units", s.UnitList, s.UnitPage, ROLES, 200,
          "Units the caller may see, by name; filter by parent and kind."),
    Route("POST", "/units", "create_unit", s.UnitCreate, s.Unit, UNIT_WRITERS, 201,
          "Create a unit one level below its parent."),
    Route("GET", "/units/<id:unit_id>", "get_unit", s.UnitRef, s.Unit, ROLES, 200,
          "One unit.",
          args={"unit_id": "id"}),
    Route("PATCH", "/units/<id:unit_id>", "rename_unit", s.UnitRename, s.Unit, UNIT_WRITERS, 200,
          "Rename a unit (its path, made of ids, does not change).",
          args={"unit_id": "id"}),
    Route("POST", "/units/<id:unit_id>/move", "move_unit", s.UnitMove, s.Unit, UNIT_WRITERS, 200,
          "Move a unit and everything under it to a new parent.",
          args={"unit_id": "id"}),
    Route("POST", "/units/<id:unit_id>/retirement", "retire_unit", s.UnitRetire, s.Unit, UNIT_WRITERS, 200,
          "Retire a building (with its units) or a dwelling nobody owns, lives in or "
          "claims, with the reason: it stays readable but is hidden from lists and "
          "imports, takes no new records and leaves its name free (``org.unit.retired``).",
          args={"unit_id": "id"}),
    Route("GET", "/units/<id:unit_id>/children", "list_units", s.UnitList, s.UnitPage, ROLES, 200,
          "The units directly under a unit.",
          args={"unit_id": "parent_id"}),
    Route("GET", "/compounds", "list_units", s.UnitList, s.UnitPage, ROLES, 200,
          "The compounds the caller may see.",
          fixed={"kind": "compound"}),
    Route("POST", "/people", "create_person", s.PersonCreate, s.Person, PEOPLE_WRITERS, 201,
          "Register a person under a unit (the ID number is stored encrypted)."),
    Route("GET", "/people", "list_people", s.PersonList, s.PersonPage, STAFF_ROLES, 200,
          "People in the caller's scope; phones and ID numbers masked."),
    Route("GET", "/people/<id:person_id>", "get_person", s.UnitRef, s.Person, STAFF_ROLES, 200,
          "One person, phone and ID number masked (``reveal`` is the audited way).",
          args={"person_id": "id"}),
    Route("PATCH", "/people/<id:person_id>", "update_person", s.PersonUpdate, s.Person, PEOPLE_WRITERS, 200,
          "Correct a person's record (audited).",
          args={"person_id": "id"}),
    Route("POST", "/people/<id:person_id>/reveal", "reveal_person", s.PersonReveal, s.PersonRevealed, REVEALERS, 200,
          "The unmasked phone and ID number, for a stated reason (the read is audited).",
          args={"person_id": "id"}),
    Route("GET", "/people/<id:person_id>/facts", "person_facts", s.PersonFactsQuery, s.PersonFacts, PERSON_FACT_READERS, 200,
          "A person's age on ``on`` (default today) and gender, derived from the ID "
          "number without revealing it; null when no ID number is recorded."),
    Route("POST", "/people/<id:person_id>/grants", "grant_person_role", s.PersonGrantCreate, s.PersonGrant, GRANT_GIVERS, 201,
          "Give the person's account a duty role (grid worker, people's assessor, "
          "mediator, legal-literate person) at a unit, with the reason; 409 when the "
          "person has no account. Giving it again changes nothing (``created: false``).",
          created_flag="created"),
    Route("POST", "/accounts", "create_account", s.AccountCreate, s.Account, ACCOUNT_ADMINS, 201,
          "Create a login for a person."),
    Route("GET", "/accounts/<id:account_id>", "get_account", s.AccountRef, s.Account, ACCOUNT_ADMINS, 200,
          "An account with its active grants."),
    Route("POST", "/accounts/<id:account_id>/grants", "grant_role", s.GrantCreate, s.Grant, ACCOUNT_ADMINS, 201,
          "Give an account a role on a unit (granting it again changes nothing)."),
    Route("DELETE", "/grants/<id:grant_id>", "revoke_grant", s.GrantRef, s.Revoked, ACCOUNT_ADMINS, 200,
          "Revoke a grant; it disappears from the account's tokens at their next "
          "refresh."),
    # -- account administration, residents' registration, errands (代办) ---------------------
    Route("GET", "/accounts", "list_accounts", s.AccountList, s.AccountPage, ACCOUNT_ADMINS, 200,
          "Accounts of the people under the admin's units."),
    Route("PUT", "/accounts/<id:account_id>/password", "reset_password", s.PasswordReset, s.Account, ACCOUNT_ADMINS, 200,
          "Set a new password for an account (audited); its older sessions cannot "
          "refresh."),
    Route("PUT", "/accounts/<id:account_id>/disabled", "set_account_disabled", s.AccountDisable, s.Account, ACCOUNT_ADMINS, 200,
          "Disable or re-enable an account (audited)."),
    Route("PUT", "/me/password", "change_password", s.PasswordChange, s.Account, SIGNED_IN, 200,
          "Change one's own password, giving the current one."),
    Route("POST", "/registration/code", "request_phone_code", s.PhoneCodeRequest, s.PhoneCodeSent, PUBLIC, 200,
          "Send a verification code to a phone (1 a minute, 5 an hour)."),
    Route("POST", "/registration", "register_resident", s.Registration, s.RegistrationResult, PUBLIC, 201,
          "Register with the code and claim a unit; staff or the owners' committee "
          "confirm."),
    Route("GET", "/resident-claims", "list_resident_claims", s.ClaimList, s.ResidentClaimPage, CLAIM_DECIDERS, 200,
          "Residents' claims on units in the caller's scope."),
    Route("POST", "/resident-claims/<id:claim_id>/decision", "decide_resident_claim", s.ClaimDecision, s.ResidentClaim, CLAIM_DECIDERS, 200,
          "Confirm (the account becomes a resident of the unit) or reject a claim."),
    Route("POST", "/errands/registrations", "register_resident_for", s.RegisterFor, s.RegisteredFor, ERRAND_RUNNERS, 201,
          "Register a resident who cannot use a phone, on their behalf."),
    Route("POST", "/errands", "record_errand", s.ErrandCreate, s.Errand, ERRAND_RUNNERS, 201,
          "Record something done for a resident (who acted for whom is kept)."),
    Route("GET", "/errands", "list_errands", s.ErrandList, s.ErrandPage, STAFF_ROLES, 200,
          "Errands in the caller's scope, optionally for one resident."),
    # -- the administrator's pages ----------------------------------------------------------
    Route("GET", "/audit-log", "list_audit_log", a.AuditQuery, a.AuditEntryPage, AUDIT_READERS, 200,
          "The operation log: who changed what, on whose behalf, when (names beside ids), "
          "newest first, in the caller's scope; filter by unit, actor, action, entity, "
          "time. Rows without a unit (logins) for grants on a city only."),
    Route("GET", "/unmasked-reads", "list_unmasked_reads", a.AuditQuery, a.AuditEntryPage, AUDIT_READERS, 200,
          "Who read unmasked personal data (ID numbers, phones: reveals with their "
          "reason, workbook exports), newest first, in the caller's scope."),
    # -- the registry: areas, owners, ownership, electorate, residents, workbooks ------------
    Route("PUT", "/units/<id:unit_id>/area", "set_unit_area", s.UnitAreaSet, s.UnitArea, REGISTRY_WRITERS, 200,
          "Set a unit's registered / surveyed / contract areas in 0.01 m² (omitted: "
          "kept; null: cleared). Returns the exclusive area and its source (SPC art. "
          "8)."),
    Route("POST", "/compounds/<id:compound_id>/owners", "create_owner", s.OwnerCreate, s.Owner, REGISTRY_WRITERS, 201,
          "Find or create an owner of the compound: a person (by ``person_id`` or name "
          "+ ID number), an organisation (credit code) or the developer. ``201`` when "
          "created, ``200`` when an existing owner matched (``created: false``).",
          created_flag="created"),
    Route("GET", "/compounds/<id:compound_id>/owners", "list_owners", s.OwnerList, s.OwnerPage, REGISTRY_READERS, 200,
          "The compound's owner records (every kind), by id; filter by kind or name."),
    Route("PUT", "/owners/<id:owner_id>/representative", "set_owner_representative", s.OwnerRepresentativeSet, s.Owner, REGISTRY_WRITERS, 200,
          "Record who votes for an organisation owner or the developer (its designated "
          "representative, a person); null clears it."),
    Route("POST", "/units/<id:unit_id>/transfers", "transfer_unit", s.UnitTransfer, s.UnitOwners, REGISTRY_WRITERS, 201,
          "From ``at`` (default now) the unit belongs to ``owners`` (co-owners name "
          "exactly one voter). Stating the current owners again changes nothing."),
    Route("GET", "/units/<id:unit_id>/owners", "unit_owners", s.UnitOwnersQuery, s.UnitOwners, REGISTRY_READERS, 200,
          "The unit's owners at ``as_of`` (default now), the voter first."),
    Route("GET", "/compounds/<id:compound_id>/ownership", "compound_owners", s.CompoundOwnersQuery, s.CompoundOwnerPage, REGISTRY_READERS, 200,
          "The owners (co-owners too) holding units of the compound at ``as_of``, with "
          "the units they hold and those they vote for."),
    Route("GET", "/compounds/<id:compound_id>/electorate", "electorate", s.ElectorateQuery, s.Electorate, REGISTRY_READERS, 200,
          "The electorate at ``as_of`` (default now): each owner once with the total "
          "area of the units they vote for, and the totals A_total / N_total (SPC art. "
          "9). Not paginated: the totals and the list are one snapshot."),
    Route("POST", "/units/<id:unit_id>/residents", "move_in", s.MoveIn, s.Resident, REGISTRY_WRITERS, 201,
          "A person moves into the unit on ``date`` (default today): ``person_id``, or "
          "``name`` (+ ``phone``, ``id_number``) for someone new."),
    Route("POST", "/residencies/<id:residency_id>/move-out", "move_out", s.MoveOut, s.Resident, REGISTRY_WRITERS, 200,
          "End a residency on ``date`` (the first day away; default today)."),
    Route("GET", "/units/<id:unit_id>/residents", "list_residents", s.ResidentList, s.ResidentPage, REGISTRY_READERS, 200,
          "The unit's residents on day ``on`` (default today), phones masked."),
    Route("POST", "/compounds/<id:compound_id>/imports", "start_import", s.ImportStart, s.ImportJob, REGISTRY_WRITERS, 202,
          "Upload a workbook (``multipart/form-data``, field ``file``, .xlsx ≤ 10 MB) "
          "to import into the compound in the background; ``202`` with the running job "
          "— poll ``GET /imports/<id>``. Bad rows are skipped and listed with their row "
          "number and reason; importing the same workbook again changes nothing.",
          upload=WORKBOOK_UPLOAD),
    Route("GET", "/compounds/<id:compound_id>/imports", "list_imports", s.ImportList, s.ImportSummaryPage, REGISTRY_READERS, 200,
          "The compound's past imports, newest first: file, status, counts, rows in "
          "error and who started it (the row errors: ``GET /imports/<id>``)."),
    Route("GET", "/imports/<id:job_id>", "get_import", s.ImportRef, s.ImportJob, REGISTRY_READERS, 200,
          "An import's status (running / done / failed), progress, counts and row "
          "errors."),
    Route("GET", "/workbook-template", "import_template", s.TemplateQuery, s.WorkbookFile, SIGNED_IN, 200,
          "The empty import workbook with its 说明 (instructions) sheet.",
          download=Download(XLSX, "import-template.xlsx", private=False)),
    Route("GET", "/compounds/<id:compound_id>/workbook", "export_workbook", s.WorkbookExportQuery, s.WorkbookFile, WORKBOOK_EXPORTERS, 200,
          "The compound's buildings, units, owners and residents in the import layout, "
          "ID numbers and phones unmasked (audited); importing it back changes nothing.",
          download=Download(XLSX, "compound-{compound_id}.xlsx", private=True),
          timeout=EXPORT_SECONDS),
    # -- Party organisations, compound bodies, micro-grids, the five haves -------------------
    Route("POST", "/party-orgs", "create_party_org", s.PartyOrgCreate, s.PartyOrg, PARTY_ORG_WRITERS, 201,
          "A Party organisation attached to a unit of its level (street working "
          "committee and judicial-office branch: street; community branch: community; "
          "compound group: compound), under ``parent_id`` or else the only organisation "
          "of the parent kind above."),
    Route("GET", "/party-orgs", "list_party_orgs", s.PartyOrgList, PartyOrgPage, COMPOUND_READERS, 200,
          "The organisations attached at or under ``unit_id`` (creation order)."),
    Route("GET", "/party-orgs/<id:party_org_id>", "get_party_org", s.PartyOrgRef, s.PartyOrg, COMPOUND_READERS, 200,
          "One organisation with its current member count.",
          args={"party_org_id": "id"}),
    Route("POST", "/party-orgs/<id:party_org_id>/members", "add_party_member", s.PartyMemberAdd, s.PartyMember, PARTY_ORG_WRITERS, 201,
          "Add a person to the organisation (a former member rejoins)."),
    Route("GET", "/party-orgs/<id:party_org_id>/members", "list_party_members", s.PartyMemberList, PartyMemberPage, STAFF_READERS, 200,
          "The members (staff only: membership is public only by the member's choice)."),
    Route("POST", "/party-orgs/<id:party_org_id>/members/<id:person_id>/leave", "remove_party_member", s.PartyMemberRemove, s.PartyMember, PARTY_ORG_WRITERS, 200,
          "End a membership on ``left_on`` (the day they left; default today)."),
    Route("PUT", "/people/<id:person_id>/party-identity", "set_show_identity", s.ShowIdentitySet, s.PublicProfile, SIGNED_IN, 200,
          "Whether “中共党员” shows on the person's public profile: the member's own choice "
          "(any signed-in member for themself), or recorded by writers of their "
          "organisation. Returns the profile as others now see it."),
    Route("GET", "/people/<id:person_id>/public-profile", "get_public_profile", s.PersonProfileRef, s.PublicProfile, SIGNED_IN, 200,
          "Name, current duties in compounds, and “中共党员” only if the person shows it "
          "(for the person, staff in scope, and residents of the compound they are kept "
          "in or serve)."),
    Route("POST", "/compounds/<id:compound_id>/owners-committee", "set_up_owners_committee", s.OwnersCommitteeSetUp, s.Body, COMMITTEE_WRITERS, 201,
          "Record the owners' committee (members, term); the current one is dissolved."),
    Route("POST", "/compounds/<id:compound_id>/property-company", "set_up_property_company", s.PropertyCompanySetUp, s.Body, COMMITTEE_WRITERS, 201,
          "Record the property company and its contract period; replaces the current "
          "one."),
    Route("POST", "/compounds/<id:compound_id>/mediation-committee", "set_up_mediation_committee", s.MediationCommitteeSetUp, s.Body, ORG_WRITERS, 201,
          "Set up the people's mediation committee: 3–9 members, at least one recorded "
          "as female, exactly one chair, a three-year term (People's Mediation Law "
          "arts. 8–9) — otherwise 422 naming the field with every reason. Replaces the "
          "current one."),
    Route("POST", "/compounds/<id:compound_id>/mediation-committee/members", "seat_mediation_committee_member", s.MediationSeat, s.Body, ORG_WRITERS, 200,
          "Seat a person on the compound's current mediation committee as a member "
          "(at most nine members); seating a member again changes nothing. 409 when the "
          "compound has no current committee.",
          args={"compound_id": "unit_id"}),
    Route("POST", "/compounds/<id:compound_id>/deliberation-venue", "set_up_deliberation_venue", s.DeliberationVenueSetUp, s.Body, ORG_WRITERS, 201,
          "Record the law-aided deliberation venue (address, opening hours); replaces "
          "the current one."),
    Route("POST", "/bodies/<id:body_id>/dissolution", "dissolve_body", s.BodyDissolve, s.Body, BODY_DISSOLVERS, 200,
          "Dissolve a body (a contract ended, a committee stood down), with the reason. "
          "The owners' committee may dissolve only its own record and the property "
          "company.",
          args={"body_id": "id"}),
    Route("GET", "/compounds/<id:compound_id>/bodies", "list_bodies", s.BodyList, BodyPage, COMPOUND_READERS, 200,
          "The compound's bodies, current only or with dissolved ones (creation order)."),
    Route("GET", "/compounds/<id:compound_id>/organisation", "get_compound_organisation", s.CompoundRef, s.CompoundOrganisation, COMPOUND_READERS, 200,
          "The three-way linkage at a glance: owners' committee, property company, "
          "mediation committee, deliberation venue, Party groups and the micro-grid."),
    Route("PUT", "/compounds/<id:compound_id>/grid", "ensure_grid", s.GridEnsure, s.Grid, ORG_WRITERS, 200,
          "The compound's micro-grid, made on the first call (one per compound; "
          "``name`` is used only then)."),
    Route("GET", "/compounds/<id:compound_id>/grid", "get_grid", s.CompoundRef, s.Grid, COMPOUND_READERS, 200,
          "The micro-grid with the grid workers on duty today."),
    Route("POST", "/compounds/<id:compound_id>/grid/workers", "assign_grid_worker", s.GridWorkerAssign, s.GridWorker, ORG_WRITERS, 201,
          "Put a person on the compound's grid from ``since`` (the grid is made if "
          "needed)."),
    Route("POST", "/compounds/<id:compound_id>/grid/workers/<id:person_id>/unassign", "unassign_grid_worker", s.GridWorkerUnassign, s.GridWorker, ORG_WRITERS, 200,
          "Take a grid worker off duty from ``until`` (default today)."),
    Route("GET", "/compounds/<id:compound_id>/five-haves", "get_five_haves", s.FiveHavesQuery, s.FiveHaves, COMPOUND_READERS, 200,
          "One compound's checklist on ``as_of`` (default today): which of the five it "
          "has, what it lacks, and whether a grid worker is on duty."),
    Route("GET", "/units/<id:unit_id>/five-haves-coverage", "five_haves_coverage", s.CoverageQuery, s.Coverage, STAFF_READERS, 200,
          "Every compound under a community, street or city: each one's checklist, per "
          "have the compounds lacking it, and the counts. Not paginated: one report."),
    Route("GET", "/units/<id:unit_id>/five-haves-coverage.xlsx", "export_five_haves_coverage", s.CoverageQuery, s.WorkbookFile, STAFF_READERS, 200,
          "The same report as an .xlsx: a row per compound (street, community, 有/无 per "
          "have, what it lacks, a grid worker on duty) and a summary sheet with the counts.",
          download=Download(XLSX, "five-haves-coverage-{unit_id}.xlsx", private=True),
          timeout=EXPORT_SECONDS),
)
