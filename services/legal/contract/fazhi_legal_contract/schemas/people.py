"""Legal-literate persons (法律明白人): intake, assessment, buildings, coverage, name
cards, training and promotion."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_legal_contract.vocabulary import (BARRED_ROLES, DISQUALIFICATIONS,
                                             LITERATE_STATUSES, MAX_NAME, MAX_TEXT,
                                             NOMINATIONS, POOLS, PROMOTION_OUTCOMES,
                                             PROMOTION_TARGETS)

_TEXT = validate.Length(max=MAX_TEXT)


class LiterateNominate(BaseSchema):
    person_id = Id(required=True, metadata={"description": "the org person"})
    compound_id = Id(required=True)
    building_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=50))
    pool = VocabularyField(POOLS, required=True)
    nomination = VocabularyField(NOMINATIONS, required=True)
    nominated_by = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=MAX_NAME),
                                 metadata={"description": "who nominated (a body or person)"})
    duties = fields.String(load_default=None, allow_none=True, validate=_TEXT)
    contact_route = fields.String(load_default=None, allow_none=True,
                                  validate=validate.Length(max=MAX_NAME), metadata={
                                      "description": "how residents reach them, e.g. "
                                                     "\"物业办公室转\"; a phone number is masked"})


class LiterateRef(BaseSchema):
    id = Id(required=True)


class LiterateAssess(BaseSchema):
    id = Id(required=True)
    note = fields.String(load_default=None, allow_none=True, validate=_TEXT)


class LiterateDecide(BaseSchema):
    id = Id(required=True)
    confirm = fields.Boolean(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=_TEXT, metadata={
        "description": "required when rejecting"})


class LiterateBuildings(BaseSchema):
    id = Id(required=True)
    building_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=50))


class LiterateList(PageInput):
    unit_id = Id(load_default=None, allow_none=True)
    status = VocabularyField(LITERATE_STATUSES, load_default=None, allow_none=True)


class BuildingRef(BaseSchema):
    id = fields.String()
    name = fields.String()


class Literate(BaseSchema):
    id = fields.String()
    person_id = fields.String()
    name = fields.String()
    compound_id = fields.String()
    compound_name = fields.String(allow_none=True)
    path = fields.String()
    pool = fields.String()
    nomination = fields.String()
    nominated_by = fields.String(allow_none=True)
    status = fields.String()
    duties = fields.String(allow_none=True)
    contact_route = fields.String(allow_none=True)
    assessment_note = fields.String(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    buildings = fields.List(fields.Nested(BuildingRef))
    confirmed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


LiteratePage = page_of(Literate)


class LiterateProfile(BaseSchema):
    """What anyone sees on the public profile (a QR code on the building's door opens
    it): no phone number, no ID number."""
    id = fields.String()
    name = fields.String()
    compound_name = fields.String(allow_none=True)
    buildings = fields.List(fields.Nested(BuildingRef))
    duties = fields.String(allow_none=True)
    contact_route = fields.String(allow_none=True)
    pool = fields.String()


class BuildingCoverageQuery(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "a compound, community or street"})


class CompoundCoverage(BaseSchema):
    compound_id = fields.String()
    compound_name = fields.String()
    buildings = fields.Integer()
    covered = fields.Integer()
    uncovered = fields.List(fields.Nested(BuildingRef))


class CommunityCoverage(BaseSchema):
    community_id = fields.String()
    community_name = fields.String()
    confirmed = fields.Integer()
    target = fields.Integer()
    meets_target = fields.Boolean()


class BuildingCoverage(BaseSchema):
    unit_id = fields.String()
    compounds = fields.List(fields.Nested(CompoundCoverage))
    communities = fields.List(fields.Nested(CommunityCoverage))
    buildings_without = fields.Integer()
    target_per_community = fields.Integer()


# -- training -------------------------------------------------------------------------------
class TrainingCreate(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "the street or community it serves"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME))
    organiser = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME),
                              metadata={"description": "the judicial office running it"})
    held_on = fields.Date(required=True)
    hours = fields.Float(required=True, validate=validate.Range(min=0.5, max=24))


class Training(BaseSchema):
    id = fields.String()
    path = fields.String()
    title = fields.String()
    organiser = fields.String()
    held_on = fields.Date()
    hours = fields.Float()
    attendees = fields.Integer()


TrainingPage = page_of(Training)


class TrainingList(PageInput):
    unit_id = Id(load_default=None, allow_none=True)


class AttendanceRecord(BaseSchema):
    training_id = Id(required=True)
    literate_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=500))


class TrainingReportQuery(BaseSchema):
    unit_id = Id(required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))


class TrainingReportLine(BaseSchema):
    literate_id = fields.String()
    name = fields.String()
    compound_name = fields.String(allow_none=True)
    sessions = fields.Integer()
    hours = fields.Float()
    below_minimum = fields.Boolean()


class TrainingReport(BaseSchema):
    year = fields.Integer()
    minimum_sessions = fields.Integer()
    lines = fields.List(fields.Nested(TrainingReportLine))
    below_minimum = fields.Integer()


# -- promotion ------------------------------------------------------------------------------
class PromotionRequest(BaseSchema):
    literate_id = Id(required=True)
    target = VocabularyField(PROMOTION_TARGETS, required=True)
    unit_id = Id(load_default=None, allow_none=True, metadata={
        "description": "where the new role applies (default: the person's compound; for "
                       "a mediator, the unit of the mediation committee)"})
    on = fields.Date(load_default=None, allow_none=True,
                     metadata={"description": "the day of promotion (default today)"})
    disqualifications = fields.List(VocabularyField(DISQUALIFICATIONS), load_default=list)
    held_roles = fields.List(VocabularyField(BARRED_ROLES), load_default=list, metadata={
        "description": "posts the person holds that bar an assessor"})
    senior_high = fields.Boolean(load_default=True, metadata={
        "description": "has senior-high school education or above"})
    reason = fields.String(load_default=None, allow_none=True, validate=_TEXT)


class EligibilityReason(BaseSchema):
    code = fields.String()
    zh = fields.String()
    en = fields.String()


class Promotion(BaseSchema):
    id = fields.String()
    literate_id = fields.String()
    person_id = fields.String()
    target = fields.String()
    outcome = VocabularyField(PROMOTION_OUTCOMES)
    reasons = fields.List(fields.Nested(EligibilityReason))
    warnings = fields.List(fields.Nested(EligibilityReason))
    unit_id = fields.String(allow_none=True)
    on = fields.Date()
    decided_at = fields.DateTime()


PromotionPage = page_of(Promotion)


class PromotionList(PageInput):
    literate_id = Id(load_default=None, allow_none=True)
