"""Law firms, adviser agreements, helpers (lawyers and volunteers), duty rosters in
half-day shifts, swaps, the on-duty board, exports and calendar feeds."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, FileRef, Id, PageInput, VocabularyField, page_of  # noqa: F401

from fazhi_legal_contract.vocabulary import (FEED_KINDS, HELPER_KINDS, MAX_NAME,
                                             MAX_SLOT_CAPACITY, MAX_TEXT)

_NAME = validate.Length(min=1, max=MAX_NAME)


class FirmCreate(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "the city or street it serves"})
    name = fields.String(required=True, validate=_NAME)
    licence_no = fields.String(load_default=None, allow_none=True,
                               validate=validate.Length(max=40))


class Firm(BaseSchema):
    id = fields.String()
    path = fields.String()
    name = fields.String()
    licence_no = fields.String(allow_none=True)
    created_at = fields.DateTime()


FirmPage = page_of(Firm)


class LegalScopedList(PageInput):
    unit_id = Id(load_default=None, allow_none=True)


class DutyHelperCreate(BaseSchema):
    unit_id = Id(required=True)
    name = fields.String(required=True, validate=_NAME)
    kind = VocabularyField(HELPER_KINDS, required=True)
    firm_id = Id(load_default=None, allow_none=True)
    person_id = Id(load_default=None, allow_none=True, metadata={
        "description": "the org person (their login sees their own shifts)"})


class DutyHelper(BaseSchema):
    id = fields.String()
    path = fields.String()
    name = fields.String()
    kind = fields.String()
    firm_id = fields.String(allow_none=True)
    person_id = fields.String(allow_none=True)


DutyHelperPage = page_of(DutyHelper)


class AbsenceCreate(BaseSchema):
    helper_id = Id(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=MAX_NAME))


class Absence(BaseSchema):
    id = fields.String()
    helper_id = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String(allow_none=True)


class AgreementCreate(BaseSchema):
    firm_id = Id(required=True)
    unit_id = Id(required=True, metadata={"description": "the street (or city) that signs"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    compound_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))
    helper_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=50))


class Agreement(BaseSchema):
    id = fields.String()
    firm_id = fields.String()
    firm_name = fields.String()
    path = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    compound_ids = fields.List(fields.String())
    helper_ids = fields.List(fields.String())
    expiry_warned_at = fields.DateTime(allow_none=True)


AgreementPage = page_of(Agreement)


class RosterGenerate(BaseSchema):
    agreement_id = Id(required=True)
    compound_id = Id(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(load_default=4, validate=validate.Range(min=1,
                                                                      max=MAX_SLOT_CAPACITY))
    weekdays = fields.List(fields.Integer(validate=validate.Range(min=0, max=6)),
                           load_default=lambda: [0, 1, 2, 3, 4],
                           metadata={"description": "0 = Monday"})
    working_days_only = fields.Boolean(load_default=True, metadata={
        "description": "skip public holidays (and keep make-up working days)"})


class RosterShift(BaseSchema):
    id = fields.String()
    roster_id = fields.String()
    compound_id = fields.String()
    helper_id = fields.String()
    helper_name = fields.String()
    helper_kind = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    part = fields.String()
    capacity = fields.Integer()
    booked = fields.Integer()
    version = fields.Integer()


RosterShiftPage = page_of(RosterShift)


class Roster(BaseSchema):
    id = fields.String()
    agreement_id = fields.String()
    compound_id = fields.String()
    compound_name = fields.String(allow_none=True)
    path = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)
    shifts = fields.List(fields.Nested(RosterShift))
    shares = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "helper id -> shifts"})


class RosterSummary(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    compound_name = fields.String(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)


RosterPage = page_of(RosterSummary)


class RosterRef(BaseSchema):
    id = Id(required=True)


class RosterList(PageInput):
    compound_id = Id(load_default=None, allow_none=True)


class ShiftEdit(BaseSchema):
    id = Id(required=True)
    helper_id = Id(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(load_default=None, allow_none=True)
    ends_at = fields.AwareDateTime(load_default=None, allow_none=True)
    capacity = fields.Integer(load_default=None, allow_none=True,
                              validate=validate.Range(min=1, max=MAX_SLOT_CAPACITY))


class ShiftAdd(BaseSchema):
    roster_id = Id(required=True)
    helper_id = Id(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    capacity = fields.Integer(load_default=4, validate=validate.Range(min=1,
                                                                      max=MAX_SLOT_CAPACITY))


class ShiftRef(BaseSchema):
    id = Id(required=True)


class MyDutyShifts(PageInput):
    pass


class ShiftSwapRequest(BaseSchema):
    shift_id = Id(required=True)
    to_helper_id = Id(required=True)
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=MAX_TEXT))


class ShiftSwapDecide(BaseSchema):
    id = Id(required=True)
    approve = fields.Boolean(required=True)
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=MAX_TEXT))


class ShiftSwap(BaseSchema):
    id = fields.String()
    shift_id = fields.String()
    from_helper_id = fields.String()
    to_helper_id = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


ShiftSwapPage = page_of(ShiftSwap)


class ShiftSwapList(PageInput):
    roster_id = Id(load_default=None, allow_none=True)


class DutyQuery(BaseSchema):
    compound_id = Id(required=True)


class DutyEntry(BaseSchema):
    shift_id = fields.String()
    helper_name = fields.String()
    helper_kind = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()


class DutyNow(BaseSchema):
    compound_id = fields.String()
    now = fields.List(fields.Nested(DutyEntry))
    next = fields.List(fields.Nested(DutyEntry))


class CalendarFeedCreate(BaseSchema):
    kind = VocabularyField(FEED_KINDS, required=True)
    subject_id = Id(required=True, metadata={"description": "a helper id or a compound id"})


class CalendarFeed(BaseSchema):
    id = fields.String()
    kind = fields.String()
    subject_id = fields.String()
    path = fields.String()
    url = fields.String(allow_none=True, metadata={
        "description": "the secret subscription URL; given once, when created"})
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


CalendarFeedPage = page_of(CalendarFeed)


class CalendarFeedRef(BaseSchema):
    id = Id(required=True)


class CalendarFeedToken(BaseSchema):
    token = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{20,100}$", error="Not a feed address."))
