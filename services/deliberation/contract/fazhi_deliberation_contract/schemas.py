"""The deliberation contract's schemas: RPC inputs and outputs and event payloads.

Consumers (the gateway, other services, tests) import these, so a change that breaks the
contract breaks their tests. ``EVENTS`` maps every event this service emits (short name)
to its payload schema. Schema class names are also OpenAPI component names, shared by
every service behind the gateway: name them after your domain.
"""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, page_of

from fazhi_deliberation_contract.vocabulary import MAX_NOTE_TEXT, NOTE_KINDS


# -- notes ------------------------------------------------------------------------------
class NoteCreate(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "the unit the note is about; it "
                                                         "scopes who may see the note"})
    kind = fields.String(required=True, validate=validate.OneOf(NOTE_KINDS.codes))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTE_TEXT))


class NoteList(PageInput):
    unit_id = Id(load_default=None, allow_none=True,
                 metadata={"description": "only notes on this unit and the units below it"})


class Note(BaseSchema):
    id = fields.String()
    unit_id = fields.String()
    path = fields.String()
    kind = fields.String()
    visibility = fields.String(metadata={"description": "public or staff (from the kind)"})
    text = fields.String()
    author_person_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


NotePage = page_of(Note)


# -- events (payload of the envelope; see fazhi_shared.service.outbox) ----------------------
class NoteCreatedEvent(BaseSchema):
    """``deliberation.note.created`` (without the text: consumers that need it ask by RPC)."""
    id = fields.String(required=True)
    unit_id = fields.String(required=True)
    kind = fields.String(required=True)
    visibility = fields.String(required=True)
    author_person_id = fields.String(allow_none=True)
    created_at = fields.String(required=True)


EVENTS = {"note.created": NoteCreatedEvent}
