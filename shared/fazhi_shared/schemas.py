"""Marshmallow base schemas and cursor pagination — one way for every list.

Every schema derives from :class:`BaseSchema`, which refuses, for every service at once,
input that would otherwise fail further down as a 500: unknown fields; control characters
in any text (PostgreSQL refuses NUL, a workbook cannot hold the others); dates outside
:data:`EARLIEST`–:data:`LATEST` (a term or a time zone added to 9999-12-31 overflows).

Lists are keyset-paginated: the response is ``{"items": [...], "next_cursor": str|null}``
and the next page is asked for with ``cursor=<next_cursor>``. The cursor is opaque
(base64 of the last row's sort key), so pages stay stable while rows are added; a cursor
that is not one we made is a 422 naming ``cursor``.
"""
from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate

from .errors import ValidationFailed
from .http import Vocabulary
from .i18n import Translated
from .ids import is_id

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# Refused in every text field: C0 controls but tab, line feed and carriage return; DEL;
# C1 controls; lone surrogates; U+FFFE/U+FFFF. None can be stored in PostgreSQL text (NUL)
# or written to an .xlsx (XML 1.0) — and none belongs in a name or a search.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTROL_MESSAGE = "Must not contain control characters."
# Dates the platform accepts: any real record, with room for terms and time zones.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
DATE_RANGE_MESSAGE = f"Must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def no_control_characters(value) -> None:
    """Validator of every text field of a :class:`BaseSchema`."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE)


def date_in_range(value) -> None:
    """Validator of every date and date-time field of a :class:`BaseSchema`."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST <= day <= LATEST:
        raise ValidationError(DATE_RANGE_MESSAGE)


def guard_field(field) -> None:
    """Give a field (and the fields inside a list, tuple or mapping) the base checks."""
    if field is None or getattr(field, "_fazhi_guarded", False):
        return
    field._fazhi_guarded = True
    # A new list: marshmallow's copies of a field share the declared field's list.
    if isinstance(field, fields.String):
        field.validators = [*field.validators, no_control_characters]
    elif isinstance(field, (fields.Date, fields.DateTime)):
        field.validators = [*field.validators, date_in_range]
    elif isinstance(field, fields.List):
        guard_field(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            guard_field(inner)
    elif isinstance(field, fields.Mapping):
        guard_field(field.key_field)
        guard_field(field.value_field)


class BaseSchema(Schema):
    """Unknown fields are refused (marshmallow's RAISE): a typo is never silently ignored.
    Every text field refuses control characters (tab and line breaks are kept), every date
    field dates outside ``EARLIEST``–``LATEST``: each a 422 naming the field."""

    def on_bind_field(self, field_name, field_obj) -> None:
        guard_field(field_obj)


class Id(fields.String):
    """A UUIDv7 string id."""

    default_error_messages = {"invalid_id": "Not a valid UUID."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not is_id(value):
            raise self.make_error("invalid_id")
        return value


class OneOfVocabulary(validate.OneOf):
    """``OneOf`` the codes of a :class:`~fazhi_shared.http.Vocabulary`. A refusal names what
    is accepted in the reader's words: the Chinese labels in Chinese ("必须是以下之一：小区、
    楼栋。"), the codes in English ("Must be one of: compound, building.")."""

    def __init__(self, vocabulary: Vocabulary):
        super().__init__(vocabulary.codes, labels=[t.zh for t in vocabulary])
        self.vocabulary = vocabulary
        self.message = Translated(f"Must be one of: {', '.join(vocabulary.codes)}.",
                                  f"必须是以下之一：{'、'.join(t.zh for t in vocabulary)}。")

    def __call__(self, value):
        try:
            if value in self.choices:
                return value
        except TypeError:
            pass
        raise ValidationError(self.message)


class VocabularyField(fields.String):
    """A code of a vocabulary (kinds, relations, roles …), refused with the labels (see
    :class:`OneOfVocabulary`); its OpenAPI property lists the codes (``enum``) and their
    Chinese labels (``x-labels``), so clients show labels without keeping copies."""

    def __init__(self, vocabulary: Vocabulary, **kwargs):
        validators = kwargs.pop("validate", None) or []
        if callable(validators):
            validators = [validators]
        metadata = {"x-labels": {t.code: t.zh for t in vocabulary},
                    **kwargs.pop("metadata", {})}
        super().__init__(validate=[OneOfVocabulary(vocabulary), *validators],
                         metadata=metadata, **kwargs)
        self.vocabulary = vocabulary


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


MAX_CURSOR = 2048           # characters of a cursor; a sort key's text at most 1,000
MAX_CURSOR_TEXT = 1000


def encode_cursor(values) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _fits(value, kind) -> bool:
    if kind is str:
        return (isinstance(value, str) and len(value) <= MAX_CURSOR_TEXT
                and not has_control_characters(value))
    if kind is int:
        return type(value) is int and -2 ** 63 <= value < 2 ** 63
    return isinstance(value, kind) and not isinstance(value, bool)


def decode_cursor(cursor: str, n: int, kinds: tuple | None = None) -> list:
    """The ``n`` sort values a cursor holds, each of its kind (``str`` unless ``kinds`` says
    otherwise: every sort key today is text). Anything else — garbage, other JSON, values
    of another kind, text with control characters — is a 422 naming ``cursor``, never a
    value handed to SQL."""
    kinds = tuple(kinds) if kinds is not None else (str,) * n
    try:
        if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR:
            raise ValueError
        pad = "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(cursor + pad))
        if not isinstance(values, list) or len(values) != n or len(kinds) != n:
            raise ValueError
        if not all(_fits(v, k) for v, k in zip(values, kinds)):
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed.for_field("cursor", "分页游标无效。", "Invalid cursor.") from None


__all__ = ["BaseSchema", "FileRef", "Id", "OneOfVocabulary", "PageInput", "VocabularyField",
           "page_of", "encode_cursor",
           "decode_cursor", "ValidationError", "has_control_characters", "EARLIEST", "LATEST"]
