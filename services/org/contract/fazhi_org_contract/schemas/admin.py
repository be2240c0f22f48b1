"""Contract of the administrator's pages (see org/audit_log.py, org/accounts.py): the
operation log and the unmasked-data reads (org's audit rows), and the labels of accounts
the gateway's login log and sessions pages show."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, page_of

from fazhi_org_contract.schemas.core import UnitCrumb
from fazhi_org_contract.schemas.registry import Time

__all__ = ["AuditQuery", "AuditEntry", "AuditEntryPage", "AccountLabelsQuery", "AccountLabel",
           "AccountLabels"]


class AuditQuery(PageInput):
    unit_id = Id(load_default=None, allow_none=True, metadata={
        "description": "only what happened at or under this unit"})
    actor_account_id = Id(load_default=None, allow_none=True)
    action = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=80),
                           metadata={"description": "e.g. unit.create, person.reveal"})
    entity = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=60))
    entity_id = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=36))
    since = Time(load_default=None, allow_none=True, metadata={"description": "from (incl.)"})
    until = Time(load_default=None, allow_none=True, metadata={"description": "before"})


class AuditEntry(BaseSchema):
    id = fields.String()
    at = fields.DateTime()
    actor_kind = fields.String(metadata={"description": "user, system, service, anonymous"})
    actor_account_id = fields.String(allow_none=True)
    actor_person_id = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True)
    on_behalf_of = fields.String(allow_none=True, metadata={
        "description": "the person an errand (代办) was done for"})
    on_behalf_of_name = fields.String(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String(allow_none=True)
    path = fields.String(allow_none=True)
    place = fields.List(fields.Nested(UnitCrumb), metadata={
        "description": "the units of the path, from the city down (names beside ids)"})
    detail = fields.Dict(metadata={"description": "what changed: field names, never the "
                                                  "personal data itself; a reveal's reason"})
    request_id = fields.String(allow_none=True)


AuditEntryPage = page_of(AuditEntry)


class AccountLabelsQuery(BaseSchema):
    account_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))


class AccountLabel(BaseSchema):
    id = fields.String()
    username = fields.String(metadata={"description": "a phone number is masked"})
    display_name = fields.String()
    disabled = fields.Boolean()
    manageable = fields.Boolean(metadata={
        "description": "the caller may act on it (disable it, end its sessions)"})


class AccountLabels(BaseSchema):
    items = fields.List(fields.Nested(AccountLabel))
