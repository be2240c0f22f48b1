"""The duty board: who is on duty now at a compound, and next — the residents' hot read.

It is a read model of the service's own events (``legal.roster.published`` and
``legal.shift.changed``, consumed by ``legal.handlers``): a row per published shift,
kept at the newest version, so the read is one indexed query, never a recomputation.
"""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import Principal
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
    compound = places.compound(session, data["compound_id"])
    ensure_visible(principal, compound["path"], PUBLIC)
    now = clock.now()
    rows = session.execute(
        select(*(getattr(DutyBoard, c) for c in ENTRY))
        .where(DutyBoard.compound_id == compound["id"], DutyBoard.active.is_(True),
               DutyBoard.ends_at > now)
        .order_by(DutyBoard.starts_at, DutyBoard.shift_id).limit(NEXT + 4)).all()
    entries = [dict(zip(ENTRY, r)) for r in rows]
    current = [e for e in entries if e["starts_at"] <= now]
    upcoming = [e for e in entries if e["starts_at"] > now][:NEXT]
    return {"compound_id": compound["id"], "now": current, "next": upcoming}
