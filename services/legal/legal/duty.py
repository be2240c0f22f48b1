"""The duty board: who is on duty now at a compound, and next — the residents' hot read.

It is a read model of the service's own events (``legal.roster.published`` and
``legal.shift.changed``, consumed by ``legal.handlers``): a row per published shift,
kept at the newest version, so the read is one indexed query, never a recomputation.
"""
from __future__ import annotations

from sqlalchemy import and_, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service.events import apply_newer

from legal import places
from legal.models import DutyBoard

NEXT = 3          # upcoming shifts shown after the current ones

ENTRY = ("shift_id", "helper_name", "helper_kind", "starts_at", "ends_at", "capacity")


def apply(session, shift: dict) -> bool:
    """Store one shift's state (from an event) unless a newer one is held."""
    state = {k: shift[k] for k in ("shift_id", "compound_id", "roster_id", "helper_id",
                                   "helper_name", "helper_kind", "capacity", "version",
                                   "active")}
    state["starts_at"] = clock.parse_time(shift["starts_at"])
    state["ends_at"] = clock.parse_time(shift["ends_at"])
    return apply_newer(session, DutyBoard.__table__, state, key="shift_id")


def now_and_next(session, principal: Principal, data: dict) -> dict:
    """One round trip: the compound's path (for the scope check) with its current and
    coming shifts from the board."""
    now = clock.now()
    units = places.UNITS
    board = DutyBoard.__table__
    rows = session.execute(
        select(units.c.path, units.c.kind, *(board.c[c] for c in ENTRY))
        .select_from(units.outerjoin(board, and_(
            board.c.compound_id == units.c.id, board.c.active.is_(True), board.c.ends_at > now)))
        .where(units.c.id == data["compound_id"])
        .order_by(board.c.starts_at, board.c.shift_id).limit(NEXT + 4)).all()
    if not rows:
        raise NotFound()
    path, kind = rows[0][0], rows[0][1]
    if kind != "compound":
        places.compound(session, data["compound_id"])      # the 422 naming the field
    ensure_visible(principal, path, PUBLIC)
    entries = [dict(zip(ENTRY, r[2:])) for r in rows if r[2] is not None]
    current = [e for e in entries if e["starts_at"] <= now]
    upcoming = [e for e in entries if e["starts_at"] > now][:NEXT]
    return {"compound_id": data["compound_id"], "now": current, "next": upcoming}
