"""The duty board: who is on duty now at a compound, and next — the residents' hot read.

It is a read model of the service's own events (``legal.roster.published`` and
``legal.shift.changed``, consumed by ``legal.handlers``): a row per published shift,
kept at the newest version, so the read is one indexed query, never a recomputation.
Residents' phones ask far more often than the board changes, so each process keeps a
compound's rows for at most ``FRESH_SECONDS`` (dropped at once when this process applies a
roster event; another replica's copy is at most that old): most reads touch no database.
"""
from __future__ import annotations

import time

from sqlalchemy import and_, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service.events import apply_newer

from legal import places
from legal.models import DutyBoard

NEXT = 3          # upcoming shifts shown after the current ones
FRESH_SECONDS = 1.0   # how old a process's copy of a compound's board may be

_boards: dict = {}    # compound id -> (monotonic expiry, (path, kind, entries))

ENTRY = ("shift_id", "helper_name", "helper_kind", "starts_at", "ends_at", "capacity")


def apply(session, shift: dict) -> bool:
    """Store one shift's state (from an event) unless a newer one is held."""
    state = {k: shift[k] for k in ("shift_id", "compound_id", "roster_id", "helper_id",
                                   "helper_name", "helper_kind", "capacity", "version",
                                   "active")}
    state["starts_at"] = clock.parse_time(shift["starts_at"])
    state["ends_at"] = clock.parse_time(shift["ends_at"])
    _boards.pop(state["compound_id"], None)
    return apply_newer(session, DutyBoard.__table__, state, key="shift_id")


def _board(session, compound_id: str, now) -> tuple | None:
    """(path, kind, entries) of a compound: its unit row and its current and coming shifts,
    in one round trip, or from this process's copy while it is fresh."""
    held = _boards.get(compound_id)
    if held and held[0] > time.monotonic():
        return held[1]
    units = places.UNITS
    board = DutyBoard.__table__
    rows = session.execute(
        select(units.c.path, units.c.kind, *(board.c[c] for c in ENTRY))
        .select_from(units.outerjoin(board, and_(
            board.c.compound_id == units.c.id, board.c.active.is_(True), board.c.ends_at > now)))
        .where(units.c.id == compound_id)
        .order_by(board.c.starts_at, board.c.shift_id).limit(NEXT + 4)).all()
    if not rows:
        return None
    value = (rows[0][0], rows[0][1],
             tuple(dict(zip(ENTRY, r[2:])) for r in rows if r[2] is not None))
    _boards[compound_id] = (time.monotonic() + FRESH_SECONDS, value)
    return value


def now_and_next(session, principal: Principal, data: dict) -> dict:
    """Who is on duty at the compound now and the next shifts (from the board)."""
    now = clock.now()
    found = _board(session, data["compound_id"], now)
    if found is None:
        raise NotFound()
    path, kind, entries = found
    if kind != "compound":
        places.compound(session, data["compound_id"])      # the 422 naming the field
    ensure_visible(principal, path, PUBLIC)
    live = [e for e in entries if e["ends_at"] > now]
    current = [e for e in live if e["starts_at"] <= now]
    upcoming = [e for e in live if e["starts_at"] > now][:NEXT]
    return {"compound_id": data["compound_id"], "now": current, "next": upcoming}
