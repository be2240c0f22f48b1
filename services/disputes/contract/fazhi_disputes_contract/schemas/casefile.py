"""The case file: records, the settlement agreement, attachments, the case log and its
chain check, printable documents."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, FileRef, Id, PageInput, VocabularyField, page_of

from fazhi_disputes_contract.vocabulary import (AGREEMENT_FORMS, MAX_TERMS, MAX_TEXT,
                                                MAX_TITLE, RECORD_KINDS)

__all__ = ["DisputeRecordCreate", "DisputeRecord", "DisputeRecordPage", "DisputeRecordList",
           "DisputeTerm", "DisputeAgreementCreate", "DisputeAgreement",
           "DisputeAttachmentUpload", "DisputeAttachment", "DisputeAttachmentPage",
           "DisputeAttachmentRef", "DisputeAttachmentFile", "DisputeLogEntry",
           "DisputeLogPage", "DisputeLogList", "DisputeChainCheck", "DisputeDocumentQuery",
           "DisputeDocumentFile"]

# Kinds staff add by hand; the others are written by the workflow's actions.
HAND_RECORD_KINDS = ("investigation", "session", "closing_report", "note")


class DisputeRecordCreate(BaseSchema):
    case_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(HAND_RECORD_KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class DisputeRecordList(PageInput):
    case_id = Id(required=True)


class DisputeRecord(BaseSchema):
    id = fields.String()
    case_id = fields.String()
    kind = VocabularyField(RECORD_KINDS)
    text = fields.String()
    detail = fields.Dict()
    author_person_id = fields.String(allow_none=True)
    created_at = fields.DateTime()


DisputeRecordPage = page_of(DisputeRecord)


class DisputeTerm(BaseSchema):
    """One agreed term: what is done, how, where and by when (People's Mediation Law art. 29)."""
    content = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    method = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE))
    place = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE))
    due_on = fields.Date(required=True)


class DisputeAgreementCreate(BaseSchema):
    """The settlement: records the agreement and settles the case."""
    case_id = Id(required=True)
    form = VocabularyField(AGREEMENT_FORMS, required=True)
    facts = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT),
                          metadata={"description": "main facts, issues and responsibility"})
    terms = fields.List(fields.Nested(DisputeTerm), required=True,
                        validate=validate.Length(min=1, max=MAX_TERMS))
    signed_by = fields.List(Id(), load_default=list, metadata={
        "description": "the parties (person ids) who signed; a written agreement needs all"})
    mediator_signed = fields.Boolean(load_default=False)
    sealed = fields.Boolean(load_default=False, metadata={"description": "committee seal"})
    concerns_status = fields.Boolean(load_default=False, metadata={
        "description": "concerns the existence of a marriage or adoption relationship or a "
                       "person's identity: no judicial confirmation"})
    effective_on = fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "default: today"})


class DisputeAgreement(BaseSchema):
    id = fields.String()
    case_id = fields.String()
    form = fields.String()
    facts = fields.String()
    terms = fields.List(fields.Nested(DisputeTerm))
    signed_by = fields.List(fields.String())
    mediator_signed = fields.Boolean()
    sealed = fields.Boolean()
    concerns_status = fields.Boolean()
    effective_on = fields.Date()
    copies = fields.Integer(metadata={"description": "parties + 1"})


class DisputeAttachmentUpload(BaseSchema):
    case_id = Id(required=True)
    file = fields.Nested(FileRef, required=True)
    caption = fields.String(load_default="", validate=validate.Length(max=MAX_TITLE))


class DisputeAttachmentRef(BaseSchema):
    attachment_id = Id(required=True)


class DisputeAttachment(BaseSchema):
    id = fields.String()
    case_id = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    caption = fields.String()
    address = fields.String(metadata={"description": "the original (staff only; others "
                                                     "get the copy without location data)"})
    created_at = fields.DateTime()


DisputeAttachmentPage = page_of(DisputeAttachment)


class DisputeAttachmentFile(FileRef):
    pass


class DisputeLogList(PageInput):
    case_id = Id(required=True)


class DisputeLogEntry(BaseSchema):
    seq = fields.Integer()
    at = fields.DateTime()
    action = fields.String()
    actor_kind = fields.String()
    actor_person_id = fields.String(allow_none=True)
    detail = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


DisputeLogPage = page_of(DisputeLogEntry)


class DisputeChainCheck(BaseSchema):
    case_id = fields.String()
    ok = fields.Boolean()
    entries = fields.Integer()
    first_bad_seq = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


class DisputeDocumentQuery(BaseSchema):
    case_id = Id(required=True)
    document = fields.String(required=True, validate=validate.OneOf(
        ["agreement", "confirmation_application", "case_file"]))


class DisputeDocumentFile(FileRef):
    pass
