"""Special campaigns and their rectification items (整改销号)."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_disputes_contract.vocabulary import (CAMPAIGN_STATES, ITEM_ACTIONS, ITEM_STATES,
                                                MAX_CAMPAIGN_UNITS, MAX_TEXT, MAX_TITLE,
                                                SUBTYPES)

__all__ = ["CampaignCreate", "Campaign", "CampaignList", "CampaignPage", "CampaignRef",
           "RectificationItemCreate", "RectificationItem", "RectificationItemList",
           "RectificationItemPage", "RectificationItemAction", "CampaignUnitProgress",
           "CampaignProgress"]


class CampaignCreate(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    unit_ids = fields.List(Id(), required=True,
                           validate=validate.Length(min=1, max=MAX_CAMPAIGN_UNITS))
    issue_types = fields.List(VocabularyField(SUBTYPES), required=True,
                              validate=validate.Length(min=1))


class Campaign(BaseSchema):
    id = fields.String()
    name = fields.String()
    path = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    unit_ids = fields.List(fields.String())
    issue_types = fields.List(fields.String())
    state = VocabularyField(CAMPAIGN_STATES)
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class CampaignList(PageInput):
    state = VocabularyField(CAMPAIGN_STATES, load_default=None, allow_none=True)


CampaignPage = page_of(Campaign)


class CampaignRef(BaseSchema):
    campaign_id = Id(required=True)


class RectificationItemCreate(BaseSchema):
    campaign_id = Id(required=True)
    unit_id = Id(required=True)
    issue_type = VocabularyField(SUBTYPES, required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    assignee_person_id = Id(load_default=None, allow_none=True)
    due_on = fields.Date(load_default=None, allow_none=True)


class RectificationItem(BaseSchema):
    id = fields.String()
    campaign_id = fields.String()
    unit_id = fields.String()
    path = fields.String()
    issue_type = fields.String()
    description = fields.String()
    assignee_person_id = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)
    state = VocabularyField(ITEM_STATES)
    sent_back_count = fields.Integer()
    updated_at = fields.DateTime()


class RectificationItemList(PageInput):
    campaign_id = Id(required=True)
    state = VocabularyField(ITEM_STATES, load_default=None, allow_none=True)


RectificationItemPage = page_of(RectificationItem)


class RectificationItemAction(BaseSchema):
    item_id = Id(required=True)
    action = VocabularyField(ITEM_ACTIONS, required=True)
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(min=1, max=MAX_TEXT))


class CampaignUnitProgress(BaseSchema):
    unit_id = fields.String()
    name = fields.String()
    total = fields.Integer()
    closed = fields.Integer()
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())


class CampaignProgress(BaseSchema):
    campaign_id = fields.String()
    total = fields.Integer()
    closed = fields.Integer()
    units = fields.List(fields.Nested(CampaignUnitProgress))
