"""Use cases of pre-booking (预邀服务): free places, booking (for oneself, or by staff on a
resident's behalf — 代办 — recording who acted), cancellation.

Safe under concurrent requests: a booking locks its shift's row (``FOR UPDATE``), counts
against the capacity and raises the shift's ``booked`` counter in the same transaction;
the database also refuses a resident's second live booking of a shift (a partial unique
index) and a counter above the capacity (a check constraint).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ancestor_at, is_within
from fazhi_shared.scope import PARTIES, PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_legal_contract.roles import DESK

from legal import places
from legal.paging import time_key, time_text
from legal.domain import bookings as rules
from legal.domain.access import require
from legal.models import Booking, Helper, Shift, tables

COLS = ("id", "shift_id", "compound_id", "person_id", "topic", "note", "status", "on_behalf",
        "acted_by", "created_at", "cancelled_at")


def _view(b: Booking, s: Shift, helper: Helper) -> dict:
    return {**{c: getattr(b, c) for c in COLS}, "starts_at": s.starts_at,
            "ends_at": s.ends_at, "helper_name": helper.name}


def list_slots(session, principal: Principal, data: dict) -> dict:
    compound = places.compound(session, data["compound_id"])
    ensure_visible(principal, compound["path"], PUBLIC)
    stmt = select(Shift).where(Shift.compound_id == compound["id"], Shift.published.is_(True),
                               Shift.starts_at > clock.now())
    page = paginate(session, stmt, [time_key(Shift.starts_at), Shift.id], data["cursor"],
                    data["limit"], row_key=lambda s: [time_text(s.starts_at), s.id])
    helpers = {h.id: h for h in session.execute(select(Helper).where(
        Helper.id.in_({s.helper_id for s in page["items"]}))).scalars()}
    return {**page, "items": [{
        "shift_id": s.id, "helper_name": helpers[s.helper_id].name,
        "helper_kind": helpers[s.helper_id].kind, "starts_at": s.starts_at,
        "ends_at": s.ends_at, "capacity": s.capacity, "booked": s.booked,
        "free": rules.free_places(s.capacity, s.booked)} for s in page["items"]]}


def _resident_path(principal: Principal, compound_path: str) -> str | None:
    """The caller's own unit in the compound (their resident grant)."""
    for g in principal.grants:
        if g.role == "resident" and is_within(g.path, compound_path):
            return g.path
    return None


def book(session, outbox, principal: Principal, data: dict) -> dict:
    s = session.execute(select(Shift).where(Shift.id == data["shift_id"])
                        .with_for_update()).scalar()
    if s is None:
        raise NotFound()
    ensure_visible(principal, s.path, PUBLIC)
    if data.get("person_id") and data["person_id"] != principal.person_id:
        # on a resident's behalf (代办): staff of the compound, the resident's unit given
        require(principal, DESK, s.path)
        if not data.get("unit_id"):
            raise ValidationFailed.for_field("unit_id", "代办预约须填写居民所在房屋。",
                                             "Booking on a behalf needs the resident's unit.")
        unit = places.require_unit(session, data["unit_id"], field="unit_id")
        if not is_within(unit["path"], s.path):
            raise ValidationFailed.for_field("unit_id", "房屋不在该小区。",
                                             "The unit is not in the shift's compound.")
        person_id, path, on_behalf = data["person_id"], unit["path"], True
    else:
        path = _resident_path(principal, s.path)
        if path is None or not principal.person_id:
            raise ValidationFailed.for_field("person_id", "请填写代办的居民。",
                                             "Whom is the booking for?")
        person_id, on_behalf = principal.person_id, False
    already = session.execute(select(Booking.id).where(
        Booking.shift_id == s.id, Booking.person_id == person_id,
        Booking.status == "confirmed")).first() is not None
    rules.check_bookable(s.capacity, s.booked, already, s.starts_at, clock.now(), s.published)
    now = clock.now()
    b = Booking(id=new_id(), shift_id=s.id, compound_id=s.compound_id, path=path,
                person_id=person_id, topic=data["topic"], note=data.get("note"),
                status="confirmed", on_behalf=on_behalf, acted_by=principal.account_id,
                created_at=now)
    s.booked += 1
    session.add(b)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("您已预约该时段，不能重复预约。",
                       "This resident already holds a place in this shift.") from None
    outbox.emit(session, "booking.confirmed", _event(b, now), ancestor_at(path, "compound"))
    audit.record(session, tables.audit_log, principal, "booking.create", "booking", b.id,
                 path, {"shift_id": s.id}, on_behalf_of=person_id if on_behalf else None)
    return _view(b, s, session.get(Helper, s.helper_id))


def _event(b: Booking, at) -> dict:
    return {"booking_id": b.id, "shift_id": b.shift_id, "compound_id": b.compound_id,
            "person_id": b.person_id, "on_behalf": b.on_behalf, "acted_by": b.acted_by,
            "occurred_at": clock.isoformat(at)}


def cancel(session, outbox, principal: Principal, data: dict) -> dict:
    b = session.execute(select(Booking).where(Booking.id == data["id"])
                        .with_for_update()).scalar()
    if b is None:
        raise NotFound()
    mine = b.person_id == principal.person_id
    ensure_visible(principal, b.path, PARTIES, is_party=mine)
    if not mine:
        require(principal, DESK, b.path)
    s = session.execute(select(Shift).where(Shift.id == b.shift_id).with_for_update()).scalar()
    now = clock.now()
    rules.check_cancellable(b.status, s.starts_at, now)
    b.status, b.cancelled_at = "cancelled", now
    s.booked -= 1
    outbox.emit(session, "booking.cancelled", _event(b, now), ancestor_at(b.path, "compound"))
    audit.record(session, tables.audit_log, principal, "booking.cancel", "booking", b.id,
                 b.path, on_behalf_of=None if mine else b.person_id)
    session.flush()
    return _view(b, s, session.get(Helper, s.helper_id))


def list_bookings(session, principal: Principal, data: dict) -> dict:
    party = Booking.person_id == principal.person_id if principal.person_id else None
    helper_ids = select(Helper.id).where(Helper.person_id == principal.person_id)
    shift_ids = select(Shift.id).where(Shift.helper_id.in_(helper_ids))
    stmt = select(Booking, Shift, Helper).join(Shift, Shift.id == Booking.shift_id) \
        .join(Helper, Helper.id == Shift.helper_id)
    if data.get("mine"):
        stmt = stmt.where(Booking.person_id == principal.person_id)
    else:
        conds = scope_clause(principal, Booking.path)
        if party is not None:
            conds = conds | party | Booking.shift_id.in_(shift_ids)
        stmt = stmt.where(conds)
    if data.get("shift_id"):
        stmt = stmt.where(Booking.shift_id == data["shift_id"])
    page = paginate(session, stmt, [Booking.id], data["cursor"],
                    data["limit"], row_key=lambda r: [r[0].id])
    return {**page, "items": [_view(b, s, h) for b, s, h in page["items"]]}
