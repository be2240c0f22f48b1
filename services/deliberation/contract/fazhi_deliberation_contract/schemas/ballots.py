"""Ballots: one per owner per agenda item, by channel; receipts; the owner's own view."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, FileRef, Id, PageInput, VocabularyField, page_of

from fazhi_deliberation_contract.vocabulary import CHANNELS, CHOICES

__all__ = ["BallotChoice", "BallotCast", "Ballot", "BallotRef", "BallotList", "BallotPage",
           "MyBallots", "ReceiptCheck", "Receipt", "BallotCastEvent", "EVENTS"]


class BallotChoice(BaseSchema):
    item_id = Id(required=True)
    choice = VocabularyField(CHOICES, required=True)


class BallotCast(BaseSchema):
    matter_id = Id(required=True)
    choices = fields.List(fields.Nested(BallotChoice), required=True,
                          validate=validate.Length(min=1, max=30))
    channel = VocabularyField(CHANNELS, load_default="online")
    entry_id = Id(load_default=None, allow_none=True, metadata={
        "description": "the voter-roll entry (staff channels); online: the caller's own"})
    ballot_code = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=20), metadata={
        "description": "paper: the code printed on the owner's ballot (checked)"})
    proxy_name = fields.String(load_default=None, allow_none=True,
                               validate=validate.Length(max=100))
    proxy_person_id = Id(load_default=None, allow_none=True)
    proxy_is_property_staff = fields.Boolean(load_default=False)
    proxy_evidence = fields.Nested(FileRef, load_default=None, allow_none=True, metadata={
        "description": "the written proxy, uploaded to the file store"})


class Ballot(BaseSchema):
    id = fields.String()
    matter_id = fields.String()
    item_id = fields.String()
    entry_id = fields.String()
    choice = fields.String()
    channel = fields.String()
    entered_by_account_id = fields.String(allow_none=True)
    proxy_name = fields.String(allow_none=True)
    receipt_code = fields.String()
    version = fields.Integer(metadata={"description": "1 + the ballots it replaced"})
    cast_at = fields.DateTime()


class BallotRef(BaseSchema):
    ballot_id = Id(required=True)


class BallotList(PageInput):
    matter_id = Id(required=True)


BallotPage = page_of(Ballot)


class MyBallots(BaseSchema):
    matter_id = fields.String()
    entry_id = fields.String(allow_none=True)
    area = fields.Integer(allow_none=True)
    ballots = fields.List(fields.Nested(Ballot))


class ReceiptCheck(BaseSchema):
    matter_id = Id(required=True)
    receipt_code = fields.String(required=True, validate=validate.Length(min=4, max=40))


class Receipt(BaseSchema):
    matter_id = fields.String()
    receipt_code = fields.String()
    counted = fields.Boolean(metadata={"description": "a current ballot carries this code"})
    item_titles = fields.List(fields.String())


class BallotCastEvent(BaseSchema):
    """``deliberation.ballot.cast`` (no choice: who voted what is never published)."""
    matter_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    entry_id = fields.String(required=True)
    voter_person_id = fields.String(allow_none=True)
    household_unit_id = fields.String(allow_none=True)
    channel = fields.String(required=True)
    first = fields.Boolean(required=True, metadata={"description": "not a replacement"})
    cast_at = fields.String(required=True)


EVENTS = {"ballot.cast": BallotCastEvent}
