"""Newest-first pages: keyset pagination on a UUIDv7 id, descending.

Ids are UUIDv7 (time-ordered, drawn when the row is written), so "by id, descending" is
"newest first" without a time column that a test clock or two rows in one instant would
make ambiguous. The cursor is the last id of the page, opaque like every cursor
(``fazhi_shared.schemas.encode_cursor``); rows added meanwhile appear on a new first page,
never shifting the pages after it.
"""
from __future__ import annotations

from fazhi_shared.schemas import decode_cursor, encode_cursor


def newest_first(session, stmt, id_col, cursor: str | None, limit: int) -> dict:
    """One page of ``stmt`` by ``id_col`` descending: ``{"items", "next_cursor"}``."""
    if cursor:
        [last] = decode_cursor(cursor, 1)
        stmt = stmt.where(id_col < last)
    rows = session.execute(stmt.order_by(id_col.desc()).limit(limit + 1)).all()
    rows = [r[0] if len(r) == 1 else r for r in rows]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, id_col.key)])
    return {"items": rows, "next_cursor": next_cursor}
