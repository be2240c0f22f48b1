"""Law-aided deliberation meetings (援法议事)."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, page_of

from fazhi_deliberation_contract.vocabulary import MAX_PARTICIPANTS, MAX_TEXT, MAX_TITLE

__all__ = ["Participant", "MeetingCreate", "Meeting", "MeetingRef", "MeetingList",
           "MeetingPage", "MeetingRecordedEvent", "EVENTS"]


class Participant(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(load_default="resident", validate=validate.OneOf(
        ("resident", "owner", "legal_adviser", "community_worker", "property_staff",
         "owners_committee", "other")))
    person_id = Id(load_default=None, allow_none=True)
    household_unit_id = Id(load_default=None, allow_none=True)


class MeetingCreate(BaseSchema):
    compound_id = Id(required=True)
    topic = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE))
    held_on = fields.Date(required=True)
    participants = fields.List(fields.Nested(Participant), required=True,
                               validate=validate.Length(min=1, max=MAX_PARTICIPANTS))
    minutes = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    resolutions = fields.List(fields.String(validate=validate.Length(min=1, max=MAX_TEXT)),
                              load_default=list, validate=validate.Length(max=50))
    matter_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20))


class Meeting(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    topic = fields.String()
    held_on = fields.Date()
    participants = fields.List(fields.Dict())
    legal_adviser = fields.String(allow_none=True)
    minutes = fields.String()
    resolutions = fields.List(fields.String())
    matter_ids = fields.List(fields.String())
    created_at = fields.DateTime()


class MeetingRef(BaseSchema):
    meeting_id = Id(required=True)


class MeetingList(PageInput):
    compound_id = Id(load_default=None, allow_none=True)


MeetingPage = page_of(Meeting)


class MeetingRecordedEvent(BaseSchema):
    """``deliberation.meeting.recorded``: participants by person id only."""
    meeting_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    held_on = fields.String(required=True)
    participants = fields.List(fields.Dict(), required=True, metadata={
        "description": "person_id and household_unit_id of the participants known by id"})


EVENTS = {"meeting.recorded": MeetingRecordedEvent}
