"""Payloads of the events legal emits (the envelope's ``payload``; see
``fazhi_shared.service.outbox``). No names of residents, no phones, no ID numbers: ids
only, and consumers that need more ask by RPC. ``EVENTS`` maps the short name to its
schema."""
from marshmallow import fields

from fazhi_shared.schemas import BaseSchema, VocabularyField

from fazhi_legal_contract.vocabulary import (CONSULTATION_TOPICS, PROMOTION_OUTCOMES,
                                             PROMOTION_TARGETS)


class LiterateConfirmed(BaseSchema):
    """``legal.person.confirmed``: a legal-literate person was confirmed."""
    literate_id = fields.String(required=True)
    person_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    building_ids = fields.List(fields.String(), required=True)
    confirmed_at = fields.String(required=True)


class PromotionDecided(BaseSchema):
    """``legal.promotion.decided``: a promotion was confirmed (and applied in org) or
    refused; ``reasons`` are codes of the ``eligibility_reasons`` vocabulary."""
    promotion_id = fields.String(required=True)
    literate_id = fields.String(required=True)
    person_id = fields.String(required=True)
    target = VocabularyField(PROMOTION_TARGETS, required=True)
    outcome = VocabularyField(PROMOTION_OUTCOMES, required=True)
    reasons = fields.List(fields.String(), required=True)
    warnings = fields.List(fields.String(), required=True)
    decided_at = fields.String(required=True)


class AgreementExpiring(BaseSchema):
    """``legal.agreement.expiring``: an adviser agreement ends within the warning period
    (30 days); sent once per agreement."""
    agreement_id = fields.String(required=True)
    firm_id = fields.String(required=True)
    ends_on = fields.String(required=True)
    days_left = fields.Integer(required=True)
    compound_ids = fields.List(fields.String(), required=True)


class DutyShift(BaseSchema):
    """One half-day shift as the duty board needs it (a lawyer's name is public there)."""
    shift_id = fields.String(required=True)
    roster_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    helper_id = fields.String(required=True)
    helper_name = fields.String(required=True)
    helper_kind = fields.String(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    capacity = fields.Integer(required=True)
    version = fields.Integer(required=True)
    active = fields.Boolean(required=True, metadata={
        "description": "false: the shift was removed from the roster"})


class RosterPublished(BaseSchema):
    """``legal.roster.published``: a roster and all its shifts, now public."""
    roster_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    starts_on = fields.String(required=True)
    ends_on = fields.String(required=True)
    shifts = fields.List(fields.Nested(DutyShift), required=True)


class ShiftChanged(DutyShift):
    """``legal.shift.changed``: one shift of a published roster edited, swapped or
    removed — its whole new state (apply the newer ``version``)."""


class BookingChanged(BaseSchema):
    """``legal.booking.confirmed`` / ``legal.booking.cancelled``."""
    booking_id = fields.String(required=True)
    shift_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    person_id = fields.String(required=True)
    on_behalf = fields.Boolean(required=True, metadata={
        "description": "taken by staff on the resident's behalf (代办)"})
    acted_by = fields.String(allow_none=True, metadata={"description": "account id"})
    occurred_at = fields.String(required=True)


class ConsultationCompleted(BaseSchema):
    """``legal.consultation.completed``."""
    consultation_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    topic = VocabularyField(CONSULTATION_TOPICS, required=True)
    follow_up_needed = fields.Boolean(required=True)
    helper_id = fields.String(allow_none=True)
    completed_at = fields.String(required=True)


class ConsultationEscalated(BaseSchema):
    """``legal.consultation.escalated``: a consultation turned into a dispute — the
    disputes service opens a case from it. ``summary`` never holds phone or ID numbers
    (they are masked before it is stored)."""
    consultation_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    path = fields.String(required=True, metadata={
        "description": "unit path of the compound, or of the resident's building"})
    person_id = fields.String(required=True, allow_none=True, metadata={
        "description": "the resident's org person id; null for an anonymous walk-in"})
    topic = VocabularyField(CONSULTATION_TOPICS, required=True)
    summary = fields.String(required=True)
    escalated_by = fields.String(required=True, allow_none=True, metadata={
        "description": "account id of who escalated it"})
    occurred_at = fields.String(required=True, metadata={"description": "UTC, ISO 8601"})


EVENTS = {
    "person.confirmed": LiterateConfirmed,
    "promotion.decided": PromotionDecided,
    "agreement.expiring": AgreementExpiring,
    "roster.published": RosterPublished,
    "shift.changed": ShiftChanged,
    "booking.confirmed": BookingChanged,
    "booking.cancelled": BookingChanged,
    "consultation.completed": ConsultationCompleted,
    "consultation.escalated": ConsultationEscalated,
}
