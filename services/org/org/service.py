"""The org service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox`` and ``ping`` (``fazhi_shared.service.defaults``).
"""
from __future__ import annotations

from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_org_contract import CONTRACT
from fazhi_org_contract import schemas as s
from fazhi_org_contract.schemas import admin as a

from org import accounts, audit_log, people, registration, units
from org.api_organisation import OrganisationRpc
from org.api_registry import RegistryRpc
from org.config import DATABASE_URL, SETTINGS
from org.models import tables


class OrgService(Service, RegistryRpc, OrganisationRpc):
    name = "org"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves

    # -- units ------------------------------------------------------------------------
    @endpoint(s.UnitCreate, s.Unit)
    def create_unit(self, caller, data):
        """Create a unit one level below ``parent_id``; emits ``org.unit.created``."""
        return units.create_unit(self.db, self.outbox, caller, data)

    @endpoint(s.UnitRef, s.Unit, readonly=True)
    def get_unit(self, caller, data):
        """The unit, or ``not_found`` when it is outside the caller's scope."""
        return units.visible_unit(self.db, caller, data["id"])

    @endpoint(s.UnitRename, s.Unit)
    def rename_unit(self, caller, data):
        """Rename; paths do not change. Emits ``org.unit.renamed``."""
        return units.rename_unit(self.db, self.outbox, caller, data)

    @endpoint(s.UnitMove, s.Unit)
    def move_unit(self, caller, data):
        """Move a unit and its subtree under a new parent; emits ``org.unit.moved``."""
        return units.move_unit(self.db, self.outbox, caller, data)

    @endpoint(s.UnitRetire, s.Unit)
    def retire_unit(self, caller, data):
        """Retire a building (with its units) or a dwelling in no use; emits
        ``org.unit.retired`` for each."""
        return units.retire_unit(self.db, self.outbox, caller, data)

    @endpoint(s.UnitList, s.Unit, many=True, readonly=True)
    def list_units(self, caller, data):
        """A page of the units the caller may see (by name), filtered by parent and kind."""
        return units.list_units(self.db, caller, data)

    @endpoint(s.UnitExport, s.Unit, many=True, readonly=True)
    def export_units(self, caller, data):
        """The tree (or a subtree) in id order, for other services' read models."""
        return units.export_units(self.db, caller, data)

    # -- people -----------------------------------------------------------------------
    @endpoint(s.PersonCreate, s.Person)
    def create_person(self, caller, data):
        """Register a person under a unit; the ID number is stored encrypted."""
        return people.create_person(self.db, self.outbox, caller, data)

    @endpoint(s.PersonUpdate, s.Person)
    def update_person(self, caller, data):
        """Correct a person's record (audited)."""
        return people.update_person(self.db, self.outbox, caller, data)

    @endpoint(s.UnitRef, s.Person, readonly=True)
    def get_person(self, caller, data):
        """A person with the ID number masked."""
        return people.get_person(self.db, caller, data)

    @endpoint(s.PersonList, s.Person, many=True, readonly=True)
    def list_people(self, caller, data):
        """A page of people in scope; phones and ID numbers masked."""
        return people.list_people(self.db, caller, data)

    @endpoint(s.PersonFactsQuery, s.PersonFacts, readonly=True)
    def person_facts(self, caller, data):
        """Age on ``on`` and gender, derived from the ID number without revealing it."""
        return people.person_facts(self.db, caller, data)

    @endpoint(s.PersonReveal, s.PersonRevealed)
    def reveal_person(self, caller, data):
        """Unmasked ID number and phone for a stated reason; the read is audited."""
        return people.reveal_person(self.db, caller, data)

    # -- accounts ---------------------------------------------------------------------
    @endpoint(s.Credentials, s.Account, anonymous=True)
    def authenticate(self, caller, data):
        """The account with its active grants when the password is right; else 401."""
        return accounts.authenticate(self.db, caller, data)

    @endpoint(s.AccountRef, s.Account, readonly=True)
    def get_account(self, caller, data):
        """An account with its active grants (self, system, or an admin in scope)."""
        return accounts.get_account(self.db, caller, data)

    @endpoint(s.AccountCreate, s.Account)
    def create_account(self, caller, data):
        """Create a login for a person (admins)."""
        return accounts.create_account(self.db, self.outbox, caller, data)

    @endpoint(s.GrantCreate, s.Grant)
    def grant_role(self, caller, data):
        """Give an account a role on a unit (idempotent); emits ``org.grant.created``."""
        return accounts.grant_role(self.db, self.outbox, caller, data)

    @endpoint(s.PersonGrantCreate, s.PersonGrant)
    def grant_person_role(self, caller, data):
        """Give the person's account a duty role at a unit (idempotent; 409 without an
        account); emits ``org.grant.created``."""
        return accounts.grant_person_role(self.db, self.outbox, caller, data)

    @endpoint(s.GrantRef)
    def revoke_grant(self, caller, data):
        """Revoke a grant; emits ``org.grant.revoked``."""
        return accounts.revoke_grant(self.db, self.outbox, caller, data)

    @endpoint(s.AccountList, s.Account, many=True, readonly=True)
    def list_accounts(self, caller, data):
        """A page of the accounts of people under the admin's grants."""
        return accounts.list_accounts(self.db, caller, data)

    @endpoint(s.PasswordReset, s.Account)
    def reset_password(self, caller, data):
        """An admin sets a new password (audited); older sessions cannot refresh."""
        return accounts.reset_password(self.db, self.outbox, caller, data)

    @endpoint(s.PasswordChange, s.Account)
    def change_password(self, caller, data):
        """The caller changes their own password, giving the current one."""
        return accounts.change_own_password(self.db, self.outbox, caller, data)

    @endpoint(s.AccountDisable, s.Account)
    def set_account_disabled(self, caller, data):
        """Disable or re-enable an account (audited); a disabled account cannot log in."""
        return accounts.set_disabled(self.db, self.outbox, caller, data)

    # -- residents: registration, confirmation, errands -------------------------------------
    @endpoint(s.PhoneCodeRequest, s.PhoneCodeSent, anonymous=True)
    def request_phone_code(self, caller, data):
        """Send a 6-digit code to the phone (at most 1 a minute, 5 an hour)."""
        return registration.request_code(self.db, caller, data)

    @endpoint(s.Registration, s.RegistrationResult, anonymous=True)
    def register_resident(self, caller, data):
        """Register with a verified phone; returns the account (no rights yet) and the
        pending claim on the unit that staff or the owners' committee confirm."""
        return registration.register(self.db, self.outbox, caller, data)

    @endpoint(s.ClaimList, s.ResidentClaim, many=True, readonly=True)
    def list_resident_claims(self, caller, data):
        """A page of residents' claims in scope (filter by status or unit)."""
        return registration.list_claims(self.db, caller, data)

    @endpoint(s.ClaimDecision, s.ResidentClaim)
    def decide_resident_claim(self, caller, data):
        """Confirm (grants ``resident`` on the unit, moves the person in) or reject a claim."""
        return registration.decide_claim(self.db, self.outbox, caller, data)

    @endpoint(s.RegisterFor, s.RegisteredFor)
    def register_resident_for(self, caller, data):
        """代办: register a resident who cannot use a phone; records who acted for whom."""
        return registration.register_for(self.db, self.outbox, caller, data)

    @endpoint(s.ErrandCreate, s.Errand)
    def record_errand(self, caller, data):
        """代办: record something done for a resident; audited on their behalf."""
        return registration.record_errand(self.db, self.outbox, caller, data)

    @endpoint(s.ErrandList, s.Errand, many=True, readonly=True)
    def list_errands(self, caller, data):
        """A page of errands in scope, optionally for one resident."""
        return registration.list_errands(self.db, caller, data)

    # -- the administrator's pages: operation log, unmasked reads, account labels --------
    @endpoint(a.AuditQuery, a.AuditEntry, many=True, readonly=True)
    def list_audit_log(self, caller, data):
        """A page of the operation log (audit rows) in the caller's scope, newest first:
        who changed what, on whose behalf, when — with names (city/street admins,
        auditors)."""
        return audit_log.list_audit_log(self.db, caller, data)

    @endpoint(a.AuditQuery, a.AuditEntry, many=True, readonly=True)
    def list_unmasked_reads(self, caller, data):
        """A page of the reads of unmasked personal data (reveals, workbook exports)."""
        return audit_log.list_unmasked_reads(self.db, caller, data)

    @endpoint(a.AccountLabelsQuery, a.AccountLabels, readonly=True)
    def account_labels(self, caller, data):
        """Names and states of the given accounts the admin sees, and whether they may
        act on each (the gateway's login log and sessions pages)."""
        return accounts.account_labels(self.db, caller, data)
