"""Event payloads (no personal data, no descriptions: consumers ask by RPC)."""
from marshmallow import fields

from fazhi_shared.schemas import BaseSchema

__all__ = ["DisputeCaseEvent", "RectificationItemEvent"]


class DisputeCaseEvent(BaseSchema):
    """Every ``disputes.case.*`` event: the case's state after the change."""
    id = fields.String(required=True)
    number = fields.String(required=True)
    compound_id = fields.String(required=True)
    category = fields.String(required=True)
    source = fields.String(required=True)
    state = fields.String(required=True)
    level = fields.String(required=True)
    outcome = fields.String(allow_none=True)
    concluded_level = fields.String(allow_none=True)
    mediator_person_id = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    occurred_at = fields.String(required=True)


class RectificationItemEvent(BaseSchema):
    id = fields.String(required=True)
    campaign_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    issue_type = fields.String(required=True)
    state = fields.String(required=True)
    occurred_at = fields.String(required=True)


CASE_EVENTS = ("registered", "accepted", "assigned", "escalated", "settled", "failed",
               "passed_out", "refused", "overdue", "closed", "reopened")
EVENTS = {f"case.{verb}": DisputeCaseEvent for verb in CASE_EVENTS}
EVENTS.update({"rectification_item.sent_back": RectificationItemEvent,
               "rectification_item.closed": RectificationItemEvent})
