"""Use cases of consultations: recorded after a booking or as a walk-in, completed with
the advice given, and turned into a dispute (``consultation.escalated``, which the
disputes service consumes). Visible to the resident, the helper and staff in scope.
Phone and ID numbers are masked out of the summary and advice before they are stored."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PARTIES, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_legal_contract.roles import CONSULTANTS

from legal import places
from legal.domain.access import require
from legal.domain.people import mask_personal_numbers
from legal.models import Booking, Consultation, Helper, Shift, tables

COLS = ("id", "compound_id", "path", "booking_id", "shift_id", "channel", "person_id",
        "helper_id", "topic", "summary", "advice", "follow_up_needed", "status",
        "recorded_by", "created_at", "completed_at", "escalated_at")


def _view(c: Consultation) -> dict:
    return {k: getattr(c, k) for k in COLS}


def _own_helper_ids(session, principal: Principal) -> list[str]:
    if not principal.person_id:
        return []
    return list(session.execute(select(Helper.id).where(
        Helper.person_id == principal.person_id)).scalars())


def _is_party(session, principal: Principal, c: Consultation) -> bool:
    return bool(principal.person_id) and (
        c.person_id == principal.person_id or c.helper_id in _own_helper_ids(session, principal))


def record(session, outbox, principal: Principal, data: dict) -> dict:
    compound = places.compound(session, data["compound_id"])
    path = compound["path"]
    helper_id = None
    booking = None
    shift_id = data.get("shift_id")
    if data.get("booking_id"):
        booking = session.get(Booking, data["booking_id"])
        if booking is None or booking.compound_id != compound["id"]:
            raise ValidationFailed.for_field("booking_id", "找不到该小区的此预约。",
                                             "No such booking in the compound.")
        shift_id = booking.shift_id
        path = booking.path
    shift = session.get(Shift, shift_id) if shift_id else None
    if shift_id and (shift is None or shift.compound_id != compound["id"]):
        raise ValidationFailed.for_field("shift_id", "找不到该小区的此值班。",
                                         "No such shift in the compound.")
    if shift is not None:
        helper_id = shift.helper_id
    own = _own_helper_ids(session, principal)
    if not (helper_id and helper_id in own):
        require(principal, CONSULTANTS, compound["path"])
    if helper_id is None and own:
        helper_id = own[0]
    person_id = booking.person_id if booking else data.get("person_id")
    now = clock.now()
    c = Consultation(id=new_id(), compound_id=compound["id"], path=path,
                     booking_id=booking.id if booking else None, shift_id=shift_id,
                     channel="booked" if booking else "walk_in", person_id=person_id,
                     helper_id=helper_id, topic=data["topic"],
                     summary=mask_personal_numbers(data["summary"].strip()),
                     advice=mask_personal_numbers(data.get("advice")),
                     follow_up_needed=data["follow_up_needed"], status="open",
                     recorded_by=principal.account_id, created_at=now)
    session.add(c)
    audit.record(session, tables.audit_log, principal, "consultation.record", "consultation",
                 c.id, c.path)
    if data["complete"]:
        if not c.advice:
            raise ValidationFailed.for_field("advice", "办结须填写咨询意见。",
                                             "Completing needs the advice given.")
        _complete(session, outbox, c, now)
    session.flush()
    return _view(c)


def _complete(session, outbox, c: Consultation, now) -> None:
    c.status, c.completed_at = "completed", now
    outbox.emit(session, "consultation.completed", {
        "consultation_id": c.id, "compound_id": c.compound_id, "topic": c.topic,
        "follow_up_needed": c.follow_up_needed, "helper_id": c.helper_id,
        "completed_at": clock.isoformat(now)}, c.path)


def _get(session, principal: Principal, cid: str, lock: bool = False) -> Consultation:
    stmt = select(Consultation).where(Consultation.id == cid)
    c = session.execute(stmt.with_for_update() if lock else stmt).scalar()
    if c is None:
        raise NotFound()
    ensure_visible(principal, c.path, PARTIES, is_party=_is_party(session, principal, c))
    return c


def _require_consultant(session, principal, c) -> None:
    if not (c.helper_id and c.helper_id in _own_helper_ids(session, principal)):
        require(principal, CONSULTANTS, c.path)


def complete(session, outbox, principal: Principal, data: dict) -> dict:
    c = _get(session, principal, data["id"], lock=True)
    _require_consultant(session, principal, c)
    if c.status != "open":
        raise Conflict("该咨询已办结或已转为纠纷。", "The consultation is closed.")
    c.advice = mask_personal_numbers(data["advice"].strip())
    c.follow_up_needed = data["follow_up_needed"]
    _complete(session, outbox, c, clock.now())
    audit.record(session, tables.audit_log, principal, "consultation.complete",
                 "consultation", c.id, c.path)
    session.flush()
    return _view(c)


def escalate(session, outbox, principal: Principal, data: dict) -> dict:
    c = _get(session, principal, data["id"], lock=True)
    _require_consultant(session, principal, c)
    if c.status == "escalated":
        raise Conflict("该咨询已转为纠纷。", "The consultation is a dispute already.")
    now = clock.now()
    c.status, c.escalated_at = "escalated", now
    outbox.emit(session, "consultation.escalated", {
        "consultation_id": c.id, "compound_id": c.compound_id,
        "path": _building_or_compound(session, c), "person_id": c.person_id,
        "topic": c.topic, "summary": mask_personal_numbers(c.summary),
        "escalated_by": principal.account_id, "occurred_at": clock.isoformat(now)}, c.path)
    audit.record(session, tables.audit_log, principal, "consultation.escalate",
                 "consultation", c.id, c.path)
    session.flush()
    return _view(c)


def _building_or_compound(session, c: Consultation) -> str:
    """The event's path: the resident's building when the booking knew their unit."""
    from fazhi_shared.paths import ancestor_at
    return ancestor_at(c.path, "building") or ancestor_at(c.path, "compound") or c.path


def get(session, principal: Principal, data: dict) -> dict:
    return _view(_get(session, principal, data["id"]))


def list_consultations(session, principal: Principal, data: dict) -> dict:
    conds = scope_clause(principal, Consultation.path)
    if principal.person_id:
        own = _own_helper_ids(session, principal)
        conds = conds | (Consultation.person_id == principal.person_id)
        if own:
            conds = conds | Consultation.helper_id.in_(own)
    stmt = select(Consultation).where(conds)
    if data.get("compound_id"):
        stmt = stmt.where(Consultation.compound_id == data["compound_id"])
    if data.get("status"):
        stmt = stmt.where(Consultation.status == data["status"])
    page = paginate(session, stmt, [Consultation.id], data["cursor"],
                    data["limit"])
    return {**page, "items": [_view(c) for c in page["items"]]}


