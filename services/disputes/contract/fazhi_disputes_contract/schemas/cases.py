"""Cases: intake, the case as read, workflow actions and the list with its filters."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_disputes_contract.vocabulary import (ACTIONS, CATEGORIES, LEVELS, MAX_PARTIES,
                                                MAX_SEARCH, MAX_TEXT, PARTY_ROLES,
                                                PASS_OUT_BODIES, PRIOR_AUTHORITIES, RISK_FLAGS,
                                                SOURCES, STATES, SUBTYPES, URGENCIES)

__all__ = ["DisputeParty", "DisputeCreate", "DisputeReport", "DisputeRef", "DisputeAction",
           "DisputeConfirmationWindow", "Dispute", "DisputeList", "DisputePage",
           "DisputeListItem"]


class DisputeParty(BaseSchema):
    person_id = Id(required=True, metadata={"description": "an org person"})
    role = VocabularyField(PARTY_ROLES, required=True)
    name = fields.String(dump_only=True, allow_none=True,
                         metadata={"description": "org's name of the person when registered"})


class DisputeCreate(BaseSchema):
    """A case registered by staff (every case is registered: DOMAIN-RULES §2)."""
    unit_id = Id(required=True, metadata={"description": "where: a compound, building or "
                                                         "unit of org's tree"})
    source = VocabularyField(SOURCES, required=True)
    category = VocabularyField(CATEGORIES, required=True)
    subtype = VocabularyField(SUBTYPES, load_default=None, allow_none=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    urgency = VocabularyField(URGENCIES, load_default="normal")
    risk_flags = fields.List(VocabularyField(RISK_FLAGS), load_default=list,
                             validate=validate.Length(max=len(RISK_FLAGS)))
    parties = fields.List(fields.Nested(DisputeParty), required=True,
                          validate=validate.Length(min=1, max=MAX_PARTIES))
    prior_authority = VocabularyField(PRIOR_AUTHORITIES, load_default=None, allow_none=True,
                                      metadata={"description": "already accepted by a court, "
                                                               "the police or another authority"})


class DisputeReport(BaseSchema):
    """A resident reports a problem from the phone pages: they are the applicant."""
    unit_id = Id(load_default=None, allow_none=True,
                 metadata={"description": "default: the resident's own unit"})
    category = VocabularyField(CATEGORIES, load_default="property")
    subtype = VocabularyField(SUBTYPES, load_default=None, allow_none=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class DisputeRef(BaseSchema):
    case_id = Id(required=True)


class DisputeAction(BaseSchema):
    """One workflow action (``disputes.domain.workflow``): which fields each needs is
    data there; a missing one is refused naming it."""
    case_id = Id(required=True)
    action = VocabularyField(ACTIONS, required=True)
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=MAX_TEXT))
    to_body = VocabularyField(PASS_OUT_BODIES, load_default=None, allow_none=True)
    mediator_person_id = Id(load_default=None, allow_none=True)
    routes_advised = fields.List(VocabularyField(PASS_OUT_BODIES), load_default=list)
    expected_version = fields.Integer(load_default=None, allow_none=True)


class DisputeConfirmationWindow(BaseSchema):
    offered = fields.Boolean()
    last_day = fields.Date(allow_none=True)
    approximate = fields.Boolean()


class Dispute(BaseSchema):
    id = fields.String()
    number = fields.String()
    unit_id = fields.String()
    compound_id = fields.String()
    path = fields.String()
    source = fields.String()
    category = fields.String()
    subtype = fields.String(allow_none=True)
    description = fields.String()
    urgency = fields.String()
    risk_flags = fields.List(fields.String())
    prior_authority = fields.String(allow_none=True)
    parties = fields.List(fields.Nested(DisputeParty))
    state = fields.String()
    level = fields.String()
    handling_unit_id = fields.String(allow_none=True)
    mediator_person_id = fields.String(allow_none=True)
    reached_mediation = fields.Boolean()
    outcome = fields.String(allow_none=True)
    concluded_level = fields.String(allow_none=True)
    pass_out_body = fields.String(allow_none=True)
    registered_at = fields.DateTime()
    concluded_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    due_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    confirmation = fields.Nested(DisputeConfirmationWindow, allow_none=True)
    allowed_actions = fields.List(fields.String(), metadata={
        "description": "what the workflow allows now (settling and records have their own routes)"})
    version = fields.Integer()


class DisputeListItem(BaseSchema):
    id = fields.String()
    number = fields.String()
    unit_id = fields.String()
    compound_id = fields.String()
    category = fields.String()
    subtype = fields.String(allow_none=True)
    summary = fields.String()
    urgency = fields.String()
    state = fields.String()
    level = fields.String()
    overdue = fields.Boolean()
    registered_at = fields.DateTime()
    due_on = fields.Date(allow_none=True)


class DisputeList(PageInput):
    unit_id = Id(load_default=None, allow_none=True,
                 metadata={"description": "cases located at this unit or below"})
    state = VocabularyField(STATES, load_default=None, allow_none=True)
    category = VocabularyField(CATEGORIES, load_default=None, allow_none=True)
    level = VocabularyField(LEVELS, load_default=None, allow_none=True)
    source = VocabularyField(SOURCES, load_default=None, allow_none=True)
    urgency = VocabularyField(URGENCIES, load_default=None, allow_none=True)
    overdue = fields.Boolean(load_default=None, allow_none=True)
    mine = fields.Boolean(load_default=False, metadata={
        "description": "a mediator's caseload; a resident's own cases"})
    registered_from = fields.Date(load_default=None, allow_none=True)
    registered_to = fields.Date(load_default=None, allow_none=True)
    q = fields.String(load_default=None, allow_none=True,
                      validate=validate.Length(max=MAX_SEARCH),
                      metadata={"description": "Chinese full-text search of descriptions"})


DisputePage = page_of(DisputeListItem)
