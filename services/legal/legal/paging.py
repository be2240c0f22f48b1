"""Sort keys for pages: the shared cursor holds text values only
(``fazhi_shared.schemas.decode_cursor``), so times, dates and numbers are sorted by a
fixed-width text form that orders like the value, computed the same way in SQL and in
Python. Ids are UUIDv7: by id is by creation."""
from __future__ import annotations

from datetime import timezone

from sqlalchemy import String, cast, func


def time_key(col):
    """A timestamptz as ``YYYY-MM-DDTHH:MM:SS.ffffff`` in UTC."""
    return func.to_char(func.timezone("UTC", col), 'YYYY-MM-DD"T"HH24:MI:SS.US')


def time_text(value) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def date_key(col):
    return func.to_char(col, "YYYY-MM-DD")


def number_key(col):
    return func.lpad(cast(col, String), 12, "0")


def number_text(value: int) -> str:
    return str(value).rjust(12, "0")
