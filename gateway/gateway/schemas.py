"""The gateway's own schemas: tokens, errors, and request bodies shaped for REST.

Where a URL already names the record (``/units/<id>``), the body is org's contract schema
without that field, so validation rules stay defined once, in ``org.schemas``.
"""
from __future__ import annotations

from marshmallow import fields

from fazhi_shared.schemas import BaseSchema, PageInput
from org import schemas as org


# -- bodies: org's contract minus the id the URL carries ----------------------------------
class UnitRenameBody(org.UnitRename):
    class Meta:
        exclude = ("id",)


class UnitMoveBody(org.UnitMove):
    class Meta:
        exclude = ("id",)


class PersonUpdateBody(org.PersonUpdate):
    class Meta:
        exclude = ("id",)


class PersonRevealBody(org.PersonReveal):
    class Meta:
        exclude = ("id",)


class GrantCreateBody(org.GrantCreate):
    class Meta:
        exclude = ("account_id",)


class Page(PageInput):
    """``?limit=&cursor=`` of a list without other filters."""


# -- auth ---------------------------------------------------------------------------------
class RefreshInput(BaseSchema):
    refresh_token = fields.String(required=True)


class AccessToken(BaseSchema):
    access_token = fields.String(metadata={"description": "send as `Authorization: Bearer …`"})
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "seconds"})
    account = fields.Nested(org.Account)


class TokenPair(AccessToken):
    refresh_token = fields.String(metadata={"description": "for /auth/refresh"})


class MeGrant(BaseSchema):
    role = fields.String()
    path = fields.String()


class Me(BaseSchema):
    """The signed-in account as the access token states it."""
    account_id = fields.String()
    person_id = fields.String()
    session_id = fields.String()
    roles = fields.List(fields.String())
    grants = fields.List(fields.Nested(MeGrant))


class Revoked(BaseSchema):
    id = fields.String()
    revoked = fields.Boolean()


class Pong(BaseSchema):
    service = fields.String()
    database = fields.Boolean()


# -- health and errors --------------------------------------------------------------------
class ErrorBody(BaseSchema):
    code = fields.String(metadata={"example": "validation_failed"})
    message = fields.String(
        metadata={"description": "Chinese, or English with Accept-Language: en"})
    fields_ = fields.Dict(data_key="fields", keys=fields.String(),
                          values=fields.List(fields.String()),
                          metadata={"description": "field → messages (validation errors)"})


class ErrorResponse(BaseSchema):
    error = fields.Nested(ErrorBody)


class Health(BaseSchema):
    status = fields.String(metadata={"example": "ok"})


class Readiness(BaseSchema):
    status = fields.String(metadata={"example": "ready"})
    checks = fields.Dict(keys=fields.String(), values=fields.String())
    error = fields.Nested(ErrorBody)


# -- registry and organisation: org's contract minus the ids the URL carries ----------------
# Bodies (JSON) end in ``Body``; query strings end in ``Params`` (org's own ``*Query`` names
# are taken). Validation rules stay in ``org.schemas``; only the URL's ids are left out.
class UnitAreaSetBody(org.UnitAreaSet):
    class Meta:
        exclude = ("unit_id",)


class OwnerCreateBody(org.OwnerCreate):
    class Meta:
        exclude = ("compound_id",)


class OwnerListParams(org.OwnerList):
    class Meta:
        exclude = ("compound_id",)


class UnitTransferBody(org.UnitTransfer):
    class Meta:
        exclude = ("unit_id",)


class UnitOwnersParams(org.UnitOwnersQuery):
    class Meta:
        exclude = ("unit_id",)


class CompoundOwnersParams(org.CompoundOwnersQuery):
    class Meta:
        exclude = ("compound_id",)


class ElectorateParams(org.ElectorateQuery):
    class Meta:
        exclude = ("compound_id",)


class MoveInBody(org.MoveIn):
    class Meta:
        exclude = ("unit_id",)


class MoveOutBody(org.MoveOut):
    class Meta:
        exclude = ("residency_id",)


class ResidentListParams(org.ResidentList):
    class Meta:
        exclude = ("unit_id",)


class ImportUpload(BaseSchema):
    """``multipart/form-data`` with the workbook in the field ``file`` (.xlsx, ≤ 10 MB)."""
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": ".xlsx, at most 10 MB"})


class PartyMemberAddBody(org.PartyMemberAdd):
    class Meta:
        exclude = ("party_org_id",)


class PartyMemberRemoveBody(org.PartyMemberRemove):
    class Meta:
        exclude = ("party_org_id", "person_id")


class PartyMemberListParams(org.PartyMemberList):
    class Meta:
        exclude = ("party_org_id",)


class ShowIdentityBody(org.ShowIdentitySet):
    class Meta:
        exclude = ("person_id",)


class OwnersCommitteeBody(org.OwnersCommitteeSetUp):
    class Meta:
        exclude = ("compound_id",)


class PropertyCompanyBody(org.PropertyCompanySetUp):
    class Meta:
        exclude = ("compound_id",)


class MediationCommitteeBody(org.MediationCommitteeSetUp):
    class Meta:
        exclude = ("compound_id",)


class DeliberationVenueBody(org.DeliberationVenueSetUp):
    class Meta:
        exclude = ("compound_id",)


class BodyDissolveBody(org.BodyDissolve):
    class Meta:
        exclude = ("id",)


class BodyListParams(org.BodyList):
    class Meta:
        exclude = ("compound_id",)


class GridEnsureBody(org.GridEnsure):
    class Meta:
        exclude = ("compound_id",)


class GridWorkerAssignBody(org.GridWorkerAssign):
    class Meta:
        exclude = ("compound_id",)


class GridWorkerUnassignBody(org.GridWorkerUnassign):
    class Meta:
        exclude = ("compound_id", "person_id")


class FiveHavesParams(org.FiveHavesQuery):
    class Meta:
        exclude = ("compound_id",)


class CoverageParams(org.CoverageQuery):
    class Meta:
        exclude = ("unit_id",)
