"""The gateway's own schemas: tokens, errors, probes.

Request bodies of the services' routes are the services' own RPC input schemas, less
what the URL carries (``gateway.contracts.door_schema``), so validation rules stay
defined once, in each service's contract.
"""
from __future__ import annotations

from marshmallow import fields

from fazhi_shared.schemas import BaseSchema, PageInput
from fazhi_org_contract import schemas as org


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
    status = fields.String(metadata={"example": "ready",
                                     "description": "ready, degraded (200) or unavailable (503)"})
    checks = fields.Dict(keys=fields.String(), values=fields.String())
    degraded = fields.List(fields.String(), metadata={
        "description": "services that do not answer while the gateway stays ready: their "
                       "own routes answer 503"})
    error = fields.Nested(ErrorBody)
