"""Major matters and owners' votes: the matter and its agenda, the frozen electorate (the
voter roll and its objections), live turnout and the result (DOMAIN-RULES §1)."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_deliberation_contract.vocabulary import (ELECTORATE_SCOPES, MATTER_CATEGORIES,
                                                    MATTER_STATUSES, MAX_ITEMS,
                                                    MAX_NOTICE_DAYS, MAX_TEXT, MAX_TITLE,
                                                    OBJECTION_STATUSES)

__all__ = ["AgendaItemInput", "MatterCreate", "MatterRef", "MatterList", "AgendaItem",
           "Matter", "MatterPage", "NoticeGive", "VotingOpen", "VoteClose", "Turnout",
           "ItemResult", "MatterResult", "VoterRollList", "VoterRollEntry", "VoterRollPage",
           "ObjectionCreate", "Objection", "ObjectionList", "ObjectionPage",
           "ObjectionDecide", "ProposalCreate", "ProposalTally", "DeliberationCompoundRef",
           "MatterFile", "MatterNoticedEvent", "VotingOpenedEvent", "VoteClosedEvent",
           "EVENTS"]

Title = lambda **kw: fields.String(validate=validate.Length(min=1, max=MAX_TITLE), **kw)  # noqa: E731
Text = lambda **kw: fields.String(validate=validate.Length(max=MAX_TEXT), **kw)  # noqa: E731


class AgendaItemInput(BaseSchema):
    title = Title(required=True)
    category = VocabularyField(MATTER_CATEGORIES, load_default=None, allow_none=True,
                               metadata={"description": "default: the matter's category"})
    description = Text(load_default="")


class MatterCreate(BaseSchema):
    compound_id = Id(required=True)
    title = Title(required=True)
    category = VocabularyField(MATTER_CATEGORIES, required=True)
    description = Text(load_default="")
    items = fields.List(fields.Nested(AgendaItemInput), required=True,
                        validate=validate.Length(min=1, max=MAX_ITEMS))
    electorate_scope = VocabularyField(ELECTORATE_SCOPES, load_default="compound")
    building_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=200),
                               metadata={"description": "the buildings sharing the part "
                                         "(scope buildings) or the building of the home "
                                         "(business_use: exactly one)"})
    unit_id = Id(load_default=None, allow_none=True, metadata={
        "description": "business_use: the home to be turned into business premises; its "
                       "owner does not vote"})
    voting_days = fields.Integer(load_default=None, allow_none=True,
                                 validate=validate.Range(min=1, max=365),
                                 metadata={"description": "default: the setting"})
    deemed_consent = fields.Boolean(load_default=False, metadata={
        "description": "the compound's rules adopt deemed consent of non-voters and the "
                       "notice warns of it (only where the setting allows)"})


class MatterRef(BaseSchema):
    matter_id = Id(required=True)


class DeliberationCompoundRef(BaseSchema):
    compound_id = Id(required=True)


class MatterList(PageInput):
    compound_id = Id(load_default=None, allow_none=True)
    status = VocabularyField(MATTER_STATUSES, load_default=None, allow_none=True)


class AgendaItem(BaseSchema):
    id = fields.String()
    seq = fields.Integer()
    title = fields.String()
    category = fields.String()
    rule = fields.String(metadata={"description": "rules vocabulary"})
    description = fields.String()


class Matter(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    path = fields.String()
    title = fields.String()
    category = fields.String()
    description = fields.String()
    status = fields.String()
    electorate_scope = fields.String()
    building_ids = fields.List(fields.String())
    unit_id = fields.String(allow_none=True)
    items = fields.List(fields.Nested(AgendaItem))
    notice_days = fields.Integer(allow_none=True)
    voting_days = fields.Integer()
    noticed_on = fields.Date(allow_none=True)
    notice_period_ends = fields.Date(allow_none=True, metadata={
        "description": "the notice period's last day; voting opens the day after at the "
                       "earliest"})
    notice_end_approximate = fields.Boolean(metadata={
        "description": "computed with weekends only (no official calendar for that year)"})
    roll_objections_until = fields.Date(allow_none=True)
    voting_opened_at = fields.DateTime(allow_none=True)
    voting_ends_on = fields.Date(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    total_area = fields.Integer(allow_none=True, metadata={"description": "0.01 m², frozen"})
    total_owners = fields.Integer(allow_none=True)
    electronic_ballots = fields.Boolean()
    deemed_consent = fields.Boolean()
    created_at = fields.DateTime()


MatterPage = page_of(Matter)


class NoticeGive(MatterRef):
    noticed_on = fields.Date(load_default=None, allow_none=True,
                             metadata={"description": "default today (Asia/Shanghai)"})
    notice_days = fields.Integer(load_default=None, allow_none=True,
                                 validate=validate.Range(min=1, max=MAX_NOTICE_DAYS),
                                 metadata={"description": "default: the setting; never "
                                           "fewer than the setting"})


class VotingOpen(MatterRef):
    pass


class VoteClose(MatterRef):
    pass


class Turnout(BaseSchema):
    """Turnout only: no yes/no split before the vote closes."""
    matter_id = fields.String()
    status = fields.String()
    total_area = fields.Integer()
    total_owners = fields.Integer()
    items = fields.List(fields.Dict(), metadata={
        "description": "per item: item_id, participating_area, participating_owners"})
    as_of = fields.DateTime()


class ItemResult(BaseSchema):
    item_id = fields.String()
    seq = fields.Integer()
    title = fields.String()
    category = fields.String()
    rule = fields.String()
    total_area = fields.Integer()
    total_owners = fields.Integer()
    participating_area = fields.Integer()
    participating_owners = fields.Integer()
    yes_area = fields.Integer()
    yes_owners = fields.Integer()
    no_area = fields.Integer()
    no_owners = fields.Integer()
    abstain_area = fields.Integer()
    abstain_owners = fields.Integer()
    quorum_met = fields.Boolean()
    area_passed = fields.Boolean()
    owners_passed = fields.Boolean()
    passed = fields.Boolean()
    deemed_consent = fields.Dict(allow_none=True, metadata={
        "description": "reported apart from real ballots: the non-voters' area and heads "
                       "and what the outcome would be if they followed the majority"})


class MatterResult(BaseSchema):
    matter_id = fields.String()
    title = fields.String()
    closed_at = fields.DateTime()
    items = fields.List(fields.Nested(ItemResult))
    posted_until = fields.Date(metadata={"description": "the result stays posted until"})
    objections_until = fields.Date()
    challenge_until = fields.Date(metadata={
        "description": "art. 280: a court challenge within one year of knowing the decision"})


class VoterRollList(PageInput):
    matter_id = Id(required=True)


class VoterRollEntry(BaseSchema):
    id = fields.String()
    name = fields.String(metadata={"description": "the owner's name, surname kept"})
    kind = fields.String()
    area = fields.Integer()
    heads = fields.Integer()
    units = fields.List(fields.String(), metadata={"description": "unit names"})


VoterRollPage = page_of(VoterRollEntry)


class ObjectionCreate(MatterRef):
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class Objection(BaseSchema):
    id = fields.String()
    matter_id = fields.String()
    text = fields.String()
    status = fields.String()
    decision = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ObjectionList(PageInput):
    matter_id = Id(required=True)


ObjectionPage = page_of(Objection)


class ObjectionDecide(BaseSchema):
    objection_id = Id(required=True)
    status = VocabularyField(OBJECTION_STATUSES, required=True)
    decision = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class ProposalCreate(BaseSchema):
    compound_id = Id(required=True)
    owner_id = Id(required=True, metadata={"description": "org's owner id"})
    text = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))


class ProposalTally(BaseSchema):
    compound_id = fields.String()
    proposing_owners = fields.Integer()
    total_owners = fields.Integer()
    extraordinary_meeting_due = fields.Boolean(metadata={
        "description": "owners proposing ≥ 20 % of all owners"})


class MatterFile(BaseSchema):
    """A PDF of the matter (notice, paper ballots, result) in the shared file store."""
    address = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    filename = fields.String()


# -- events ---------------------------------------------------------------------------------
class MatterNoticedEvent(BaseSchema):
    """``deliberation.matter.noticed``"""
    matter_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    category = fields.String(required=True)
    noticed_on = fields.String(required=True)
    notice_period_ends = fields.String(required=True)
    total_area = fields.Integer(required=True)
    total_owners = fields.Integer(required=True)


class VotingOpenedEvent(BaseSchema):
    """``deliberation.matter.opened``"""
    matter_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    opened_at = fields.String(required=True)
    voting_ends_on = fields.String(required=True)


class VoteClosedEvent(BaseSchema):
    """``deliberation.matter.closed``: the result as aggregates (never who voted what)."""
    matter_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    closed_at = fields.String(required=True)
    items = fields.List(fields.Dict(), required=True, metadata={
        "description": "per item: item_id, rule, every figure, quorum_met, passed"})


EVENTS = {"matter.noticed": MatterNoticedEvent, "matter.opened": VotingOpenedEvent,
          "matter.closed": VoteClosedEvent}
