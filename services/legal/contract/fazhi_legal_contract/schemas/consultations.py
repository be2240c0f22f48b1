"""Consultations with pre-booking (预邀服务): slots, bookings, walk-ins, the
consultation record, and its escalation into a dispute."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_legal_contract.vocabulary import (CONSULTATION_STATUSES, CONSULTATION_TOPICS,
                                             MAX_TEXT)

_TEXT = validate.Length(max=MAX_TEXT)


class DutySlotQuery(PageInput):
    compound_id = Id(required=True)


class DutySlot(BaseSchema):
    shift_id = fields.String()
    helper_name = fields.String()
    helper_kind = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    booked = fields.Integer()
    free = fields.Integer()


DutySlotPage = page_of(DutySlot)


class BookingCreate(BaseSchema):
    shift_id = Id(required=True)
    person_id = Id(load_default=None, allow_none=True, metadata={
        "description": "on a resident's behalf (代办): the resident; omit to book for "
                       "yourself"})
    unit_id = Id(load_default=None, allow_none=True, metadata={
        "description": "on a resident's behalf: their unit (scope)"})
    topic = VocabularyField(CONSULTATION_TOPICS, load_default="other")
    note = fields.String(load_default=None, allow_none=True, validate=_TEXT)


class Booking(BaseSchema):
    id = fields.String()
    shift_id = fields.String()
    compound_id = fields.String()
    person_id = fields.String()
    topic = fields.String()
    note = fields.String(allow_none=True)
    status = fields.String()
    on_behalf = fields.Boolean()
    acted_by = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    helper_name = fields.String()
    created_at = fields.DateTime()
    cancelled_at = fields.DateTime(allow_none=True)


BookingPage = page_of(Booking)


class BookingRef(BaseSchema):
    id = Id(required=True)


class BookingList(PageInput):
    shift_id = Id(load_default=None, allow_none=True)
    mine = fields.Boolean(load_default=False)


class ConsultationCreate(BaseSchema):
    compound_id = Id(required=True)
    booking_id = Id(load_default=None, allow_none=True, metadata={
        "description": "the booking it follows; none for a walk-in"})
    person_id = Id(load_default=None, allow_none=True, metadata={
        "description": "the resident; none for an anonymous walk-in"})
    shift_id = Id(load_default=None, allow_none=True)
    topic = VocabularyField(CONSULTATION_TOPICS, required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    advice = fields.String(load_default=None, allow_none=True, validate=_TEXT)
    follow_up_needed = fields.Boolean(load_default=False)
    complete = fields.Boolean(load_default=False)


class ConsultationComplete(BaseSchema):
    id = Id(required=True)
    advice = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    follow_up_needed = fields.Boolean(load_default=False)


class ConsultationRef(BaseSchema):
    id = Id(required=True)


class ConsultationList(PageInput):
    compound_id = Id(load_default=None, allow_none=True)
    status = VocabularyField(CONSULTATION_STATUSES, load_default=None, allow_none=True)


class Consultation(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    path = fields.String()
    booking_id = fields.String(allow_none=True)
    shift_id = fields.String(allow_none=True)
    channel = fields.String()
    person_id = fields.String(allow_none=True)
    helper_id = fields.String(allow_none=True)
    topic = fields.String()
    summary = fields.String()
    advice = fields.String(allow_none=True)
    follow_up_needed = fields.Boolean()
    status = fields.String()
    recorded_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    escalated_at = fields.DateTime(allow_none=True)


ConsultationPage = page_of(Consultation)
