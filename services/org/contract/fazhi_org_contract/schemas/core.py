"""Core contract: units, people, accounts and grants.

Consumers (the gateway, other services' read models, tests) import these, so a change
that breaks the contract breaks their tests.
"""
from marshmallow import ValidationError, fields, validate

from fazhi_org_contract.vocabulary import (CLAIM_DECISIONS, CLAIM_STATUSES, GENDERS,
                                           PERSON_GRANTABLE_ROLES, RELATIONS, UNIT_KINDS)
from fazhi_org_contract.vocabulary import ROLES as ROLE_TERMS
from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_org_contract.identifiers import (ID_NUMBER_CHECK_DIGIT, ID_NUMBER_FORMAT,
                                            canonical_id_number, canonical_phone,
                                            id_number_problem, is_mobile)

Name = lambda **kw: fields.String(validate=validate.Length(min=1, max=200), **kw)  # noqa: E731


class FullMatch(validate.Regexp):
    """``Regexp`` that must match the whole value (``Regexp`` uses ``re.match``, where
    ``$`` also matches before a trailing newline). Write ``[0-9]``, not ``\\d``."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class PhoneField(fields.String):
    """A phone number, loaded in its canonical form (``identifiers.canonical_phone``);
    ``mobile=True`` takes mainland mobile numbers only (where a code is texted)."""

    default_error_messages = {"invalid_phone": "Not a valid phone number."}

    def __init__(self, *, mobile: bool = False, **kw):
        super().__init__(**kw)
        self.mobile = mobile

    def _deserialize(self, value, attr, data, **kwargs):
        phone = canonical_phone(super()._deserialize(value, attr, data, **kwargs))
        if phone is None or (self.mobile and not is_mobile(phone)):
            raise self.make_error("invalid_phone")
        return phone


Phone = PhoneField


class IdNumber(fields.String):
    """A resident ID number with a valid GB 11643 check digit, loaded in its canonical
    form (``identifiers.canonical_id_number``: ASCII, ``X`` in capitals)."""

    default_error_messages = {ID_NUMBER_FORMAT: ID_NUMBER_FORMAT,
                              ID_NUMBER_CHECK_DIGIT: ID_NUMBER_CHECK_DIGIT}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = id_number_problem(value)
        if problem is not None:
            raise self.make_error(problem)
        return canonical_id_number(value)


# -- units ------------------------------------------------------------------------------
class UnitCreate(BaseSchema):
    parent_id = Id(required=True, allow_none=True,
                   metadata={"description": "null only for a city (city admins)"})
    kind = VocabularyField(UNIT_KINDS, required=True)
    name = Name(required=True)


class UnitRename(BaseSchema):
    id = Id(required=True)
    name = Name(required=True)


class UnitMove(BaseSchema):
    id = Id(required=True)
    new_parent_id = Id(required=True)


class UnitRef(BaseSchema):
    id = Id(required=True)


class UnitList(PageInput):
    parent_id = Id(load_default=None, allow_none=True)
    kind = VocabularyField(UNIT_KINDS, load_default=None, allow_none=True)
    include_retired = fields.Boolean(load_default=False, metadata={
        "description": "also the retired units (hidden by default)"})
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                      metadata={"description": "part of the name; full-width or half-width "
                                               "characters and spaces make no difference"})


class UnitRetire(BaseSchema):
    id = Id(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class UnitExport(PageInput):
    root_id = Id(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=2000, validate=validate.Range(min=1, max=5000))


class UnitCrumb(BaseSchema):
    """A unit above another: what a breadcrumb shows."""
    id = fields.String()
    kind = fields.String()
    name = fields.String()


class Unit(BaseSchema):
    id = fields.String()
    parent_id = fields.String(allow_none=True)
    kind = fields.String()
    name = fields.String()
    path = fields.String()
    ancestors = fields.List(fields.Nested(UnitCrumb), metadata={
        "description": "the units above this one, from the city down (the ids of the "
                       "path, with their kinds and names): breadcrumbs; a compound's "
                       "street and community. Not in export_units."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer(metadata={
        "description": "grows with every change of the unit (read models keep the newest)"})
    retired_at = fields.DateTime(allow_none=True, metadata={
        "description": "when the unit was retired (null: in use); a retired unit is hidden "
                       "from lists and takes no new records"})
    retired_reason = fields.String(allow_none=True)


UnitPage = page_of(Unit)


# -- people -----------------------------------------------------------------------------


class PersonCreate(BaseSchema):
    name = Name(required=True)
    phone = Phone(load_default=None, allow_none=True)
    id_number = IdNumber(load_default=None, allow_none=True)
    gender = VocabularyField(GENDERS, load_default=None, allow_none=True)
    unit_id = Id(required=True, metadata={"description": "the unit that scopes this record"})


class PersonUpdate(BaseSchema):
    id = Id(required=True)
    name = Name()
    phone = Phone(allow_none=True)
    id_number = IdNumber(allow_none=True)
    gender = VocabularyField(GENDERS, allow_none=True)


class PersonReveal(BaseSchema):
    id = Id(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class PersonList(PageInput):
    unit_id = Id(load_default=None, allow_none=True)
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class Person(BaseSchema):
    id = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True, metadata={
        "description": "always masked (reveal_person is the audited unmasked read)"})
    id_number = fields.String(allow_none=True, metadata={"description": "always masked"})
    gender = fields.String(allow_none=True)
    path = fields.String()
    created_at = fields.DateTime()


class PersonRevealed(BaseSchema):
    id = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True)
    id_number = fields.String(allow_none=True)


PersonPage = page_of(Person)


class PersonFactsQuery(BaseSchema):
    person_id = Id(required=True)
    on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the day the age is reckoned on; default today (Asia/Shanghai)"})


class PersonFacts(BaseSchema):
    """Facts derived from the person's resident ID number (GB 11643: birth date in digits
    7–14, digit 17 odd = male) without revealing it. ``age`` and ``gender`` are null when
    no ID number is recorded. Someone born on 29 February turns a year older on 1 March
    in a year without that day."""
    person_id = fields.String()
    on = fields.Date()
    age = fields.Integer(allow_none=True, metadata={
        "description": "completed years on ``on``; null without an ID number, when its "
                       "birth-date digits are not a date, or before the birth date"})
    gender = VocabularyField(GENDERS, allow_none=True, metadata={
        "description": "male / female as the ID number says"})
    has_id_number = fields.Boolean()


# -- accounts, grants, login ---------------------------------------------------------------
class AccountCreate(BaseSchema):
    username = fields.String(required=True, validate=FullMatch(
        r"[A-Za-z0-9_.@-]{3,64}", error="3–64 letters, digits or _.@-"))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=8, max=128))
    person_id = Id(required=True)


class GrantCreate(BaseSchema):
    account_id = Id(required=True)
    role = VocabularyField(ROLE_TERMS, required=True)
    unit_id = Id(required=True)


class PersonGrantCreate(BaseSchema):
    """Give the account linked to a person a duty role at a unit (the legal service
    appointing mediators, legal-literate people, assessors, grid workers)."""
    person_id = Id(required=True)
    role = VocabularyField(PERSON_GRANTABLE_ROLES, required=True)
    unit_id = Id(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={
        "description": "why (an appointment, its decision number); kept in the audit log"})


class GrantRef(BaseSchema):
    grant_id = Id(required=True)


class Revoked(BaseSchema):
    id = fields.String()
    revoked = fields.Boolean()


class Credentials(BaseSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=128))


class AccountRef(BaseSchema):
    account_id = Id(required=True)


class Grant(BaseSchema):
    id = fields.String()
    role = fields.String()
    unit_id = fields.String()
    path = fields.String()


class PersonGrant(Grant):
    """A grant given by a person's id: with the account and person it belongs to, and
    whether it is new (``false``: the account already held it)."""
    account_id = fields.String()
    person_id = fields.String()
    created = fields.Boolean()


class Account(BaseSchema):
    id = fields.String()
    username = fields.String()
    person_id = fields.String()
    display_name = fields.String()
    disabled = fields.Boolean()
    password_changed_at = fields.DateTime(allow_none=True)
    grants = fields.List(fields.Nested(Grant))


AccountPage = page_of(Account)


class AccountList(PageInput):
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))


Password = lambda **kw: fields.String(validate=validate.Length(min=8, max=128),  # noqa: E731
                                      load_only=True, **kw)


class PasswordReset(BaseSchema):
    account_id = Id(required=True)
    new_password = Password(required=True)


class PasswordChange(BaseSchema):
    old_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=1, max=128))
    new_password = Password(required=True)


class AccountDisable(BaseSchema):
    account_id = Id(required=True)
    disabled = fields.Boolean(required=True)


# -- resident registration, confirmation, errands (代办) -----------------------------------


class PhoneCodeRequest(BaseSchema):
    phone = Phone(required=True, mobile=True)


class PhoneCodeSent(BaseSchema):
    sent = fields.Boolean()
    expires_in = fields.Integer()


class Registration(BaseSchema):
    phone = Phone(required=True, mobile=True)
    code = fields.String(required=True, validate=FullMatch(r"[0-9]{6}",
                                                           error="Must be 6 digits."))
    name = Name(required=True)
    password = Password(required=True)
    unit_id = Id(required=True)
    relation = VocabularyField(RELATIONS, required=True)


class ResidentClaim(BaseSchema):
    id = fields.String()
    account_id = fields.String(allow_none=True)
    person_id = fields.String()
    unit_id = fields.String()
    relation = fields.String()
    status = fields.String()
    path = fields.String()
    note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


ResidentClaimPage = page_of(ResidentClaim)


class RegistrationResult(BaseSchema):
    account = fields.Nested(Account)
    claim = fields.Nested(ResidentClaim)


class ClaimList(PageInput):
    status = VocabularyField(CLAIM_STATUSES, load_default=None, allow_none=True)
    unit_id = Id(load_default=None, allow_none=True)


class ClaimDecision(BaseSchema):
    claim_id = Id(required=True)
    decision = VocabularyField(CLAIM_DECISIONS, required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class RegisterFor(BaseSchema):
    name = Name(required=True)
    phone = Phone(load_default=None, allow_none=True)
    unit_id = Id(required=True)
    relation = VocabularyField(RELATIONS, required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class ErrandCreate(BaseSchema):
    resident_person_id = Id(required=True)
    action = fields.String(required=True, validate=validate.Length(min=1, max=60))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class Errand(BaseSchema):
    id = fields.String()
    actor_account_id = fields.String(allow_none=True)
    actor_person_id = fields.String(allow_none=True)
    resident_person_id = fields.String()
    action = fields.String()
    note = fields.String(allow_none=True)
    ref_entity = fields.String(allow_none=True)
    ref_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


ErrandPage = page_of(Errand)


class ErrandList(PageInput):
    resident_person_id = Id(load_default=None, allow_none=True)


class RegisteredFor(BaseSchema):
    claim = fields.Nested(ResidentClaim)
    errand = fields.Nested(Errand)


# -- events (payload of the envelope; see fazhi_shared.service.outbox) ----------------------------------
class UnitCreatedEvent(BaseSchema):
    """``org.unit.created``: the unit's whole state, with its version.

    Every unit event carries the unit's state and ``version`` (from org's database
    sequence, bumped on every change of the unit): a read model applies an event only when
    its version is newer than what it holds for the unit, so events may arrive in any order.
    """
    id = fields.String(required=True)
    parent_id = fields.String(allow_none=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    path = fields.String(required=True)
    version = fields.Integer(load_default=0, metadata={
        "description": "the unit's version; 0 from a producer that does not give it "
                       "(creation is a unit's first state, so any later state wins)"})


class UnitRenamedEvent(UnitCreatedEvent):
    """``org.unit.renamed``: the unit's whole state after the rename."""
    version = fields.Integer(required=True)


class UnitMovedEvent(UnitCreatedEvent):
    """``org.unit.moved``: the unit's whole state after the move (``parent_id`` and
    ``path`` are the new ones); every path under ``old_path`` now lies under ``new_path``,
    and every unit whose path changed has version ``version``."""
    version = fields.Integer(required=True)
    old_path = fields.String(required=True)
    new_path = fields.String(required=True)
    old_parent_id = fields.String(allow_none=True)
    new_parent_id = fields.String(required=True)


class UnitRetiredEvent(UnitCreatedEvent):
    """``org.unit.retired``: the unit's whole state when it was retired, with its new
    version. A retired unit takes no new records: services keeping records on units
    refuse new ones on it (its existing records stay, under the same path). A building is
    retired with its units: one event each."""
    version = fields.Integer(required=True)
    retired_at = fields.String(required=True)


class PersonChangedEvent(BaseSchema):
    """``org.person.created`` / ``org.person.updated`` (no sensitive fields)."""
    id = fields.String(required=True)
    name = fields.String(required=True)
    path = fields.String(required=True)


class AccountCreatedEvent(BaseSchema):
    """``org.account.created``"""
    id = fields.String(required=True)
    person_id = fields.String(required=True)


class GrantEvent(BaseSchema):
    """``org.grant.created`` / ``org.grant.revoked``"""
    id = fields.String(required=True)
    account_id = fields.String(required=True)
    person_id = fields.String(required=True)
    role = fields.String(required=True)
    path = fields.String(required=True)


class AccountChangedEvent(BaseSchema):
    """``org.account.credentials_changed`` (password reset/changed, disabled, enabled)"""
    id = fields.String(required=True)


class ResidentClaimEvent(BaseSchema):
    """``org.resident_claim.created`` / ``.confirmed`` / ``.rejected``"""
    id = fields.String(required=True)
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)


class ErrandEvent(BaseSchema):
    """``org.errand.recorded``"""
    id = fields.String(required=True)
    resident_person_id = fields.String(required=True)
    action = fields.String(required=True)


EVENTS = {
    "unit.created": UnitCreatedEvent, "unit.renamed": UnitRenamedEvent,
    "unit.moved": UnitMovedEvent, "unit.retired": UnitRetiredEvent,
    "person.created": PersonChangedEvent,
    "person.updated": PersonChangedEvent, "account.created": AccountCreatedEvent,
    "grant.created": GrantEvent,
    "grant.revoked": GrantEvent, "account.credentials_changed": AccountChangedEvent,
    "resident_claim.created": ResidentClaimEvent,
    "resident_claim.confirmed": ResidentClaimEvent,
    "resident_claim.rejected": ResidentClaimEvent, "errand.recorded": ErrandEvent,
}
