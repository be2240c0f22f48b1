"""Versioned lists per compound (public legal service items, property services, law and
policy basis) and owners' conventions (管理规约): every version is kept."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField, page_of

from fazhi_legal_contract.vocabulary import (LIST_KINDS, MAX_DOCUMENT, MAX_LIST_ITEMS,
                                             MAX_NAME, MAX_TEXT)


class ListItem(BaseSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME * 2))
    detail = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=MAX_TEXT))


class ListPublish(BaseSchema):
    compound_id = Id(required=True)
    kind = VocabularyField(LIST_KINDS, required=True)
    items = fields.List(fields.Nested(ListItem), required=True,
                        validate=validate.Length(min=1, max=MAX_LIST_ITEMS))


class ListQuery(BaseSchema):
    compound_id = Id(required=True)
    kind = VocabularyField(LIST_KINDS, required=True)
    version = fields.Integer(load_default=None, allow_none=True,
                             validate=validate.Range(min=1),
                             metadata={"description": "default: the newest"})


class ListVersions(PageInput):
    compound_id = Id(required=True)
    kind = VocabularyField(LIST_KINDS, required=True)


class ServiceList(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    kind = fields.String()
    version = fields.Integer()
    items = fields.List(fields.Nested(ListItem))
    published_at = fields.DateTime()
    published_by = fields.String(allow_none=True)


ServiceListPage = page_of(ServiceList)


class ConventionPublish(BaseSchema):
    compound_id = Id(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME * 2))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_DOCUMENT))
    adopted_by_matter_id = fields.String(required=True, validate=validate.Length(
        min=1, max=100), metadata={"description": "the owners' decision that adopted it "
                                                  "(a deliberation matter id, opaque)"})
    adopted_on = fields.Date(required=True)


class ConventionQuery(BaseSchema):
    compound_id = Id(required=True)
    version = fields.Integer(load_default=None, allow_none=True,
                             validate=validate.Range(min=1))


class ConventionVersions(PageInput):
    compound_id = Id(required=True)


class Convention(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    version = fields.Integer()
    title = fields.String()
    text = fields.String()
    adopted_by_matter_id = fields.String()
    adopted_on = fields.Date()
    published_at = fields.DateTime()


ConventionPage = page_of(Convention)
