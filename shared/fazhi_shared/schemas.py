"""Marshmallow base schemas and cursor pagination — one way for every list.

Lists are keyset-paginated: the response is ``{"items": [...], "next_cursor": str|null}``
and the next page is asked for with ``cursor=<next_cursor>``. The cursor is opaque
(base64 of the last row's sort key), so pages stay stable while rows are added.
"""
from __future__ import annotations

import base64
import json

from marshmallow import Schema, ValidationError, fields, validate

from .errors import ValidationFailed
from .ids import is_id

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BaseSchema(Schema):
    """Unknown fields are refused (marshmallow's RAISE): a typo is never silently ignored."""


class Id(fields.String):
    """A UUIDv7 string id."""

    default_error_messages = {"invalid_id": "Not a valid UUID."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not is_id(value):
            raise self.make_error("invalid_id")
        return value


class FileRef(BaseSchema):
    """A file in the shared store (``fazhi_shared.files``): what an upload hands an RPC and
    what a download RPC answers. Files themselves never travel through the broker."""
    address = fields.String(required=True, validate=validate.Regexp(
        r"^sha256:[0-9a-f]{64}$", error="Not a file address."))
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    content_type = fields.String(required=True, validate=validate.Length(max=200))
    filename = fields.String(required=True, validate=validate.Length(min=1, max=255))


class PageInput(BaseSchema):
    cursor = fields.String(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=MAX_LIMIT))


def page_of(item_schema) -> type:
    """Output schema of one page of ``item_schema`` (for OpenAPI and dumping)."""
    return type(f"{item_schema.__name__}Page", (BaseSchema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "next_cursor": fields.String(allow_none=True),
    })


def encode_cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, n: int) -> list:
    try:
        pad = "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(cursor + pad))
        if not isinstance(values, list) or len(values) != n:
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValidationFailed.for_field("cursor", "分页游标无效。", "Invalid cursor.") from None


__all__ = ["BaseSchema", "FileRef", "Id", "PageInput", "page_of", "encode_cursor",
           "decode_cursor", "ValidationError"]
