"""Marshmallow base schemas and cursor pagination — one way for every list.

Lists are keyset-paginated: the response is ``{"items": [...], "next_cursor": str|null}``
and the next page is asked for with ``cursor=<next_cursor>``. The cursor is opaque
(base64 of the last row's sort key), so pages stay stable while rows are added.
"""
from __future__ import annotations

import base64
import json

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import tuple_

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


def paginate(session, stmt, sort_columns, cursor: str | None, limit: int,
             row_key=None) -> dict:
    """Run ``stmt`` ordered by ``sort_columns`` (ascending, last one unique) one page at a time.

    ``row_key(row)`` gives the sort values of a result row (default: the attributes named
    like the columns). Returns ``{"items": rows, "next_cursor": ...}``.
    """
    if cursor:
        values = decode_cursor(cursor, len(sort_columns))
        stmt = stmt.where(tuple_(*sort_columns) > tuple_(*values))
    rows = session.execute(stmt.order_by(*sort_columns).limit(limit + 1)).all()
    rows = [r[0] if len(r) == 1 else r for r in rows]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        key = row_key(last) if row_key else [getattr(last, c.key) for c in sort_columns]
        next_cursor = encode_cursor(key)
    return {"items": rows, "next_cursor": next_cursor}


__all__ = ["BaseSchema", "Id", "PageInput", "page_of", "paginate", "encode_cursor",
           "decode_cursor", "ValidationError"]
