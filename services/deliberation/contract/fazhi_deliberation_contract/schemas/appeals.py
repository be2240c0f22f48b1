"""Appeals (诉求) and the public-opinion mirror (民情反光镜); participation scores."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_deliberation_contract.vocabulary import (APPEAL_CATEGORIES, APPEAL_STATUSES,
                                                    MAX_SUMMARY, MAX_TEXT,
                                                    RESPONSIBLE_BODIES, SATISFACTION)

__all__ = ["AppealSubmit", "Appeal", "AppealRef", "AppealList", "AppealPage",
           "AppealAssign", "AppealAnswer", "AppealRate", "AppealReopen", "AppealRefer",
           "MirrorBoard", "MyScoreQuery", "ScoreRankingQuery", "ScoreRanking", "MyScore",
           "AppealSubmitted", "AppealAssigned", "AppealAnswered", "AppealOverdue",
           "AppealReopened", "AppealReferred", "EVENTS"]


class AppealSubmit(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "the caller's home or the compound"})
    category = VocabularyField(APPEAL_CATEGORIES, load_default="other")
    summary = fields.String(required=True, validate=validate.Length(min=1, max=MAX_SUMMARY))
    text = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    anonymous = fields.Boolean(load_default=False, metadata={
        "description": "staff never see who asked (the submitter still follows it)"})


class Appeal(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    path = fields.String()
    category = fields.String()
    summary = fields.String()
    text = fields.String()
    anonymous = fields.Boolean()
    person_id = fields.String(allow_none=True, metadata={"description": "null if anonymous"})
    status = fields.String()
    responsible = fields.String(allow_none=True)
    reply_days = fields.Integer(allow_none=True)
    reply_due_on = fields.Date(allow_none=True)
    due_approximate = fields.Boolean()
    overdue = fields.Boolean()
    reply = fields.String(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    satisfaction = fields.String(allow_none=True)
    reopen_count = fields.Integer()
    referred_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    mine = fields.Boolean(metadata={"description": "the caller submitted it"})


class AppealRef(BaseSchema):
    appeal_id = Id(required=True)


class AppealList(PageInput):
    compound_id = Id(load_default=None, allow_none=True)
    status = VocabularyField(APPEAL_STATUSES, load_default=None, allow_none=True)
    overdue = fields.Boolean(load_default=None, allow_none=True)
    mine = fields.Boolean(load_default=False)


AppealPage = page_of(Appeal)


class AppealAssign(AppealRef):
    category = VocabularyField(APPEAL_CATEGORIES, load_default=None, allow_none=True)
    responsible = VocabularyField(RESPONSIBLE_BODIES, required=True)
    reply_days = fields.Integer(load_default=None, allow_none=True,
                                validate=validate.Range(min=1, max=60),
                                metadata={"description": "working days; default the setting"})


class AppealAnswer(AppealRef):
    reply = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class AppealRate(AppealRef):
    satisfaction = VocabularyField(SATISFACTION, required=True)


class AppealReopen(AppealRef):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class AppealRefer(AppealRef):
    note = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))


class MirrorBoard(BaseSchema):
    """Aggregates only: never who asked."""
    compound_id = fields.String()
    topics = fields.List(fields.Dict(), metadata={
        "description": "per category: appeals, answered, overdue, satisfied"})
    responses = fields.List(fields.Dict(), metadata={
        "description": "recent replies: category, summary, reply, replied_at"})


class ScoreRankingQuery(BaseSchema):
    compound_id = Id(required=True)
    by = fields.String(load_default="household", validate=validate.OneOf(("household", "person")))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class ScoreRanking(BaseSchema):
    compound_id = fields.String()
    by = fields.String()
    rows = fields.List(fields.Dict(), metadata={
        "description": "rank, unit_id (household) or person_id, points"})


class MyScoreQuery(BaseSchema):
    """No input: the caller's own points."""


class MyScore(BaseSchema):
    person_id = fields.String(allow_none=True)
    points = fields.Integer()
    by_reason = fields.Dict()


# -- events ---------------------------------------------------------------------------------
class _AppealEvent(BaseSchema):
    appeal_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    category = fields.String(required=True)
    occurred_at = fields.String(required=True, metadata={"description": "UTC ISO time"})


class AppealSubmitted(_AppealEvent):
    """``deliberation.appeal.submitted`` (person_id null when anonymous)."""
    person_id = fields.String(allow_none=True)
    household_unit_id = fields.String(allow_none=True)


class AppealAssigned(_AppealEvent):
    """``deliberation.appeal.assigned``"""
    responsible = fields.String(required=True)
    reply_due_on = fields.String(required=True)


class AppealAnswered(_AppealEvent):
    """``deliberation.appeal.answered``"""


class AppealOverdue(_AppealEvent):
    """``deliberation.appeal.overdue``"""
    responsible = fields.String(allow_none=True)
    reply_due_on = fields.String(required=True)


class AppealReopened(_AppealEvent):
    """``deliberation.appeal.reopened``"""


class AppealReferred(BaseSchema):
    """``deliberation.appeal.referred``: an appeal that is really a dispute, passed on to
    the dispute service. The summary carries no phone or ID numbers (they are removed)."""
    appeal_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    path = fields.String(required=True)
    person_id = fields.String(allow_none=True, metadata={"description": "null if anonymous"})
    category = fields.String(required=True)
    summary = fields.String(required=True)
    referred_by = fields.String(allow_none=True, metadata={"description": "account id"})
    occurred_at = fields.String(required=True)


EVENTS = {"appeal.submitted": AppealSubmitted, "appeal.assigned": AppealAssigned,
          "appeal.answered": AppealAnswered, "appeal.overdue": AppealOverdue,
          "appeal.reopened": AppealReopened, "appeal.referred": AppealReferred}
