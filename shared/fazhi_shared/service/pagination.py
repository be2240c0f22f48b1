"""Keyset pagination of SQLAlchemy queries (the cursor format is ``fazhi_shared.schemas``)."""
from __future__ import annotations

from sqlalchemy import tuple_

from ..schemas import decode_cursor, encode_cursor


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
