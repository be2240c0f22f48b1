"""Use cases of law firms, helpers (lawyers and volunteers), adviser agreements, duty
rosters, shifts and swaps.

No helper is in two places at once: the generator avoids it, and the database refuses it
whatever writes a shift (the exclusion constraint ``ex_shifts_helper_overlap``), which a
hand edit meets as a 409 with the reason in Chinese. A published roster's changes go out
as events (``roster.published``, ``shift.changed``), which feed the duty board.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from fazhi_shared import clock
from fazhi_shared.calendar import default_calendar
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_legal_contract.roles import HELPERS, JUDICIAL
from fazhi_legal_contract.vocabulary import MAX_ROSTER_DAYS

from legal import places
from legal.paging import date_key, time_key, time_text
from legal.domain import agreements as agreement_rules
from legal.domain import roster as rules
from legal.domain.access import require
from legal.models import Absence, Agreement, Firm, Helper, Roster, Shift, Swap, tables

OVERLAP = "ex_shifts_helper_overlap"


def _row(obj, cols) -> dict:
    return {c: getattr(obj, c) for c in cols}


def _scoped(session, principal, stmt, path_col, unit_id):
    stmt = stmt.where(scope_clause(principal, path_col))
    if unit_id:
        unit = places.require_unit(session, unit_id)
        ensure_visible(principal, unit["path"])
        stmt = stmt.where(under(path_col, unit["path"]))
    return stmt


def flush_shifts(session) -> None:
    """Flush in a savepoint; a shift overlapping another of the same helper anywhere is a
    409 naming why (the exclusion constraint's verdict)."""
    try:
        with session.begin_nested():
            session.flush()
    except DBAPIError as exc:        # pg8000 reports 23P01 as a ProgrammingError
        if OVERLAP in str(exc.orig):
            raise Conflict("该律师在此时段已有其他值班（同一时间不能在两处值班）。",
                           "The helper is on duty elsewhere at that time.") from None
        raise


# -- firms, helpers, absences --------------------------------------------------------------
def create_firm(session, principal: Principal, data: dict) -> dict:
    unit = places.require_unit(session, data["unit_id"], ("city", "street"))
    require(principal, JUDICIAL, unit["path"])
    firm = Firm(id=new_id(), path=unit["path"], name=data["name"].strip(),
                licence_no=data.get("licence_no"), created_at=clock.now())
    session.add(firm)
    audit.record(session, tables.audit_log, principal, "firm.create", "firm", firm.id,
                 firm.path)
    session.flush()
    return _row(firm, ("id", "path", "name", "licence_no", "created_at"))


def list_firms(session, principal: Principal, data: dict) -> dict:
    stmt = _scoped(session, principal, select(Firm), Firm.path, data.get("unit_id"))
    page = paginate(session, stmt, [Firm.name, Firm.id], data["cursor"], data["limit"])
    return {**page, "items": [_row(f, ("id", "path", "name", "licence_no", "created_at"))
                              for f in page["items"]]}


HELPER_COLS = ("id", "path", "name", "kind", "firm_id", "person_id")


def create_helper(session, principal: Principal, data: dict) -> dict:
    unit = places.require_unit(session, data["unit_id"], ("city", "street", "community"))
    require(principal, JUDICIAL, unit["path"])
    if data.get("firm_id") and session.get(Firm, data["firm_id"]) is None:
        raise ValidationFailed.for_field("firm_id", "找不到该律师事务所。", "No such firm.")
    helper = Helper(id=new_id(), path=unit["path"], name=data["name"].strip(),
                    kind=data["kind"], firm_id=data.get("firm_id"),
                    person_id=data.get("person_id"), created_at=clock.now())
    session.add(helper)
    audit.record(session, tables.audit_log, principal, "helper.create", "helper", helper.id,
                 helper.path)
    session.flush()
    return _row(helper, HELPER_COLS)


def list_helpers(session, principal: Principal, data: dict) -> dict:
    stmt = _scoped(session, principal, select(Helper), Helper.path, data.get("unit_id"))
    page = paginate(session, stmt, [Helper.name, Helper.id], data["cursor"], data["limit"])
    return {**page, "items": [_row(h, HELPER_COLS) for h in page["items"]]}


def _helper(session, principal, helper_id, field="helper_id") -> Helper:
    helper = session.get(Helper, helper_id)
    if helper is None:
        raise ValidationFailed.for_field(field, "找不到该律师或志愿者。", "No such helper.")
    return helper


def _is_self(principal: Principal, helper: Helper) -> bool:
    return bool(principal.person_id) and principal.person_id == helper.person_id \
        and principal.has_role(*HELPERS)


def record_absence(session, principal: Principal, data: dict) -> dict:
    helper = _helper(session, principal, data["helper_id"])
    if not _is_self(principal, helper):
        require(principal, JUDICIAL, helper.path)
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed.for_field("ends_on", "结束日期不能早于开始日期。",
                                         "The absence ends before it starts.")
    absence = Absence(id=new_id(), helper_id=helper.id, starts_on=data["starts_on"],
                      ends_on=data["ends_on"], reason=data.get("reason"))
    session.add(absence)
    audit.record(session, tables.audit_log, principal, "helper.absence", "helper", helper.id,
                 helper.path)
    session.flush()
    return _row(absence, ("id", "helper_id", "starts_on", "ends_on", "reason"))


# -- agreements ----------------------------------------------------------------------------
def _agreement_view(session, a: Agreement) -> dict:
    firm = session.get(Firm, a.firm_id)
    return {**_row(a, ("id", "firm_id", "path", "starts_on", "ends_on", "compound_ids",
                       "helper_ids", "expiry_warned_at")), "firm_name": firm.name if firm else ""}


def create_agreement(session, principal: Principal, data: dict) -> dict:
    unit = places.require_unit(session, data["unit_id"], ("city", "street"))
    require(principal, JUDICIAL, unit["path"])
    agreement_rules.check_term(data["starts_on"], data["ends_on"])
    if session.get(Firm, data["firm_id"]) is None:
        raise ValidationFailed.for_field("firm_id", "找不到该律师事务所。", "No such firm.")
    compounds = list(dict.fromkeys(data["compound_ids"]))
    for cid in compounds:
        c = places.unit(session, cid)
        if c is None or c["kind"] != "compound" or not c["path"].startswith(unit["path"]):
            raise ValidationFailed.for_field("compound_ids", "小区不在签约单位范围内。",
                                             "A compound is outside the signing unit.")
    helpers = list(dict.fromkeys(data["helper_ids"]))
    if len(session.execute(select(Helper.id).where(Helper.id.in_(helpers))).all()) \
            != len(helpers):
        raise ValidationFailed.for_field("helper_ids", "找不到某位律师。", "No such helper.")
    a = Agreement(id=new_id(), firm_id=data["firm_id"], path=unit["path"],
                  starts_on=data["starts_on"], ends_on=data["ends_on"],
                  compound_ids=compounds, helper_ids=helpers, created_at=clock.now())
    session.add(a)
    audit.record(session, tables.audit_log, principal, "agreement.create", "agreement", a.id,
                 a.path)
    session.flush()
    return _agreement_view(session, a)


def list_agreements(session, principal: Principal, data: dict) -> dict:
    stmt = _scoped(session, principal, select(Agreement), Agreement.path, data.get("unit_id"))
    page = paginate(session, stmt, [date_key(Agreement.starts_on), Agreement.id], data["cursor"],
                    data["limit"], row_key=lambda a: [a.starts_on.isoformat(), a.id])
    return {**page, "items": [_agreement_view(session, a) for a in page["items"]]}


def warn_expiring(session, outbox, today: date, days: int) -> int:
    """Send ``agreement.expiring`` once for each agreement ending within ``days`` (the
    mark ``expiry_warned_at`` is written with the event: a second run sends nothing)."""
    due = session.execute(select(Agreement).where(
        Agreement.expiry_warned_at.is_(None), Agreement.ends_on >= today,
        Agreement.ends_on <= today + timedelta(days=days))
        .with_for_update(skip_locked=True)).scalars().all()
    now = clock.now()
    for a in due:
        if not agreement_rules.warning_due(a.ends_on, today, False, days):
            continue
        a.expiry_warned_at = now
        outbox.emit(session, "agreement.expiring", {
            "agreement_id": a.id, "firm_id": a.firm_id, "ends_on": a.ends_on.isoformat(),
            "days_left": (a.ends_on - today).days, "compound_ids": list(a.compound_ids)},
            a.path)
    return len(due)


# -- rosters and shifts ----------------------------------------------------------------------
def shift_view(s: Shift, helper: Helper) -> dict:
    return {**_row(s, ("id", "roster_id", "compound_id", "helper_id", "starts_at", "ends_at",
                       "part", "capacity", "booked", "version")),
            "helper_name": helper.name, "helper_kind": helper.kind}


def duty_payload(s: Shift, helper: Helper, active: bool = True) -> dict:
    return {"shift_id": s.id, "roster_id": s.roster_id, "compound_id": s.compound_id,
            "helper_id": helper.id, "helper_name": helper.name, "helper_kind": helper.kind,
            "starts_at": clock.isoformat(s.starts_at), "ends_at": clock.isoformat(s.ends_at),
            "capacity": s.capacity, "version": s.version, "active": active}


def _helpers_of(session, ids) -> dict:
    return {h.id: h for h in session.execute(select(Helper).where(Helper.id.in_(list(ids))))
            .scalars()}


def _roster_view(session, r: Roster) -> dict:
    shifts = session.execute(select(Shift).where(Shift.roster_id == r.id)
                             .order_by(Shift.starts_at, Shift.id)).scalars().all()
    helpers = _helpers_of(session, {s.helper_id for s in shifts})
    shares: dict = {}
    for s in shifts:
        shares[s.helper_id] = shares.get(s.helper_id, 0) + 1
    return {**_row(r, ("id", "agreement_id", "compound_id", "path", "starts_on", "ends_on",
                       "status", "published_at")),
            "compound_name": places.names(session, [r.compound_id]).get(r.compound_id),
            "shifts": [shift_view(s, helpers[s.helper_id]) for s in shifts], "shares": shares}


def generate(session, principal: Principal, data: dict, shift_times: str) -> dict:
    compound = places.compound(session, data["compound_id"])
    a = session.get(Agreement, data["agreement_id"])
    if a is None:
        raise NotFound()
    ensure_visible(principal, a.path)
    require(principal, JUDICIAL, compound["path"])
    rules.check_period(data["starts_on"], data["ends_on"], MAX_ROSTER_DAYS)
    if compound["id"] not in a.compound_ids:
        raise ValidationFailed.for_field("compound_id", "该小区不在顾问协议范围内。",
                                         "The agreement does not cover this compound.")
    if not agreement_rules.covers(a.starts_on, a.ends_on, data["starts_on"], data["ends_on"]):
        raise ValidationFailed.for_field("ends_on", "排班周期超出顾问协议期限。",
                                         "The period lies outside the agreement's term.")
    calendar = default_calendar() if data["working_days_only"] else None
    days = rules.roster_days(data["starts_on"], data["ends_on"], data["weekdays"],
                             calendar.is_working_day if calendar else None)
    slot_list = rules.slots(days, rules.parse_shift_times(shift_times))
    period = (slot_list[0].starts_at, slot_list[-1].ends_at) if slot_list else None
    helpers = []
    for h in _helpers_of(session, a.helper_ids).values():
        absent = set()
        for ab in session.execute(select(Absence).where(
                Absence.helper_id == h.id, Absence.ends_on >= data["starts_on"],
                Absence.starts_on <= data["ends_on"])).scalars():
            absent |= {d for d in days if ab.starts_on <= d <= ab.ends_on}
        busy = [] if period is None else [
            (s.starts_at, s.ends_at) for s in session.execute(select(Shift).where(
                Shift.helper_id == h.id, Shift.starts_at < period[1],
                Shift.ends_at > period[0])).scalars()]
        helpers.append(rules.Helper(h.id, absent, busy))
    plan = rules.assign(slot_list, helpers, days)
    roster = Roster(id=new_id(), agreement_id=a.id, compound_id=compound["id"],
                    path=compound["path"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], status="draft", created_at=clock.now())
    session.add(roster)
    for slot, helper_id in sorted(plan.assignments.items(), key=lambda x: x[0].starts_at):
        session.add(Shift(id=new_id(), roster_id=roster.id, compound_id=compound["id"],
                          path=compound["path"], helper_id=helper_id,
                          starts_at=slot.starts_at, ends_at=slot.ends_at, part=slot.part,
                          capacity=data["capacity"], booked=0, published=False, version=1))
    flush_shifts(session)
    audit.record(session, tables.audit_log, principal, "roster.generate", "roster", roster.id,
                 roster.path, {"shifts": len(plan.assignments),
                               "unstaffed": len(plan.unstaffed)})
    return _roster_view(session, roster)


def _roster(session, principal, roster_id, lock=False) -> Roster:
    stmt = select(Roster).where(Roster.id == roster_id)
    r = session.execute(stmt.with_for_update() if lock else stmt).scalar()
    if r is None:
        raise NotFound()
    ensure_visible(principal, r.path)
    return r


def get_roster(session, principal: Principal, data: dict) -> dict:
    return _roster_view(session, _roster(session, principal, data["id"]))


def list_rosters(session, principal: Principal, data: dict) -> dict:
    stmt = select(Roster).where(scope_clause(principal, Roster.path))
    if data.get("compound_id"):
        stmt = stmt.where(Roster.compound_id == data["compound_id"])
    page = paginate(session, stmt, [date_key(Roster.starts_on), Roster.id], data["cursor"],
                    data["limit"], row_key=lambda r: [r.starts_on.isoformat(), r.id])
    names = places.names(session, [r.compound_id for r in page["items"]])
    return {**page, "items": [{**_row(r, ("id", "compound_id", "starts_on", "ends_on",
                                          "status", "published_at")),
                               "compound_name": names.get(r.compound_id)}
                              for r in page["items"]]}


def publish(session, outbox, principal: Principal, data: dict) -> dict:
    r = _roster(session, principal, data["id"], lock=True)
    require(principal, JUDICIAL, r.path)
    if r.status == "published":
        raise Conflict("该值班表已发布。", "The roster is published already.")
    r.status, r.published_at = "published", clock.now()
    shifts = session.execute(select(Shift).where(Shift.roster_id == r.id)
                             .order_by(Shift.starts_at)).scalars().all()
    helpers = _helpers_of(session, {s.helper_id for s in shifts})
    for s in shifts:
        s.published = True
    outbox.emit(session, "roster.published", {
        "roster_id": r.id, "compound_id": r.compound_id,
        "starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat(),
        "shifts": [duty_payload(s, helpers[s.helper_id]) for s in shifts]}, r.path)
    audit.record(session, tables.audit_log, principal, "roster.publish", "roster", r.id,
                 r.path)
    session.flush()
    return _roster_view(session, r)


def _shift(session, principal, shift_id, lock=True) -> Shift:
    stmt = select(Shift).where(Shift.id == shift_id)
    s = session.execute(stmt.with_for_update() if lock else stmt).scalar()
    if s is None:
        raise NotFound()
    ensure_visible(principal, s.path)
    return s


def _changed(session, outbox, s: Shift, active: bool = True) -> None:
    """A published shift changed: its whole new state goes out (the duty board follows)."""
    if s.published:
        helper = session.get(Helper, s.helper_id)
        outbox.emit(session, "shift.changed", duty_payload(s, helper, active), s.path)


def _check_times(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed.for_field("ends_at", "结束时间须晚于开始时间。",
                                         "A shift ends after it starts.")


def add_shift(session, outbox, principal: Principal, data: dict) -> dict:
    r = _roster(session, principal, data["roster_id"])
    require(principal, JUDICIAL, r.path)
    helper = _helper(session, principal, data["helper_id"])
    _check_times(data["starts_at"], data["ends_at"])
    local = clock.to_local(data["starts_at"])
    s = Shift(id=new_id(), roster_id=r.id, compound_id=r.compound_id, path=r.path,
              helper_id=helper.id, starts_at=data["starts_at"], ends_at=data["ends_at"],
              part="morning" if local.hour < 12 else "afternoon", capacity=data["capacity"],
              booked=0, published=r.status == "published", version=1)
    session.add(s)
    flush_shifts(session)
    _changed(session, outbox, s)
    audit.record(session, tables.audit_log, principal, "shift.add", "shift", s.id, s.path)
    return shift_view(s, helper)


def edit_shift(session, outbox, principal: Principal, data: dict) -> dict:
    s = _shift(session, principal, data["id"])
    require(principal, JUDICIAL, s.path)
    if data.get("helper_id"):
        s.helper_id = _helper(session, principal, data["helper_id"]).id
    starts_at = data.get("starts_at") or s.starts_at
    ends_at = data.get("ends_at") or s.ends_at
    _check_times(starts_at, ends_at)
    s.starts_at, s.ends_at = starts_at, ends_at
    if data.get("capacity") is not None:
        if data["capacity"] < s.booked:
            raise Conflict(f"已有 {s.booked} 人预约，容量不能少于此数。",
                           f"{s.booked} places are booked already.")
        s.capacity = data["capacity"]
    s.version += 1
    flush_shifts(session)
    _changed(session, outbox, s)
    audit.record(session, tables.audit_log, principal, "shift.edit", "shift", s.id, s.path,
                 {k: str(v) for k, v in data.items() if v is not None and k != "id"})
    return shift_view(s, session.get(Helper, s.helper_id))


def remove_shift(session, outbox, principal: Principal, data: dict) -> dict:
    s = _shift(session, principal, data["id"])
    require(principal, JUDICIAL, s.path)
    if s.booked:
        raise Conflict("该时段已有预约，不能删除；请先调整或取消预约。",
                       "The shift has bookings.")
    view = shift_view(s, session.get(Helper, s.helper_id))
    s.version += 1
    _changed(session, outbox, s, active=False)
    session.delete(s)
    session.flush()
    audit.record(session, tables.audit_log, principal, "shift.remove", "shift", s.id, s.path)
    return view


def my_shifts(session, principal: Principal, data: dict) -> dict:
    helper_ids = select(Helper.id).where(Helper.person_id == principal.person_id)
    stmt = select(Shift).where(Shift.helper_id.in_(helper_ids), Shift.published.is_(True),
                               Shift.ends_at > clock.now())
    page = paginate(session, stmt, [time_key(Shift.starts_at), Shift.id], data["cursor"],
                    data["limit"], row_key=lambda s: [time_text(s.starts_at), s.id])
    helpers = _helpers_of(session, {s.helper_id for s in page["items"]})
    return {**page, "items": [shift_view(s, helpers[s.helper_id]) for s in page["items"]]}


# -- swaps -------------------------------------------------------------------------------------
SWAP_COLS = ("id", "shift_id", "from_helper_id", "to_helper_id", "status", "reason",
             "decision_reason", "requested_at", "decided_at")


def request_swap(session, principal: Principal, data: dict) -> dict:
    s = _shift(session, principal, data["shift_id"], lock=False)
    holder = session.get(Helper, s.helper_id)
    if not _is_self(principal, holder):
        require(principal, JUDICIAL, s.path)
    to = _helper(session, principal, data["to_helper_id"], "to_helper_id")
    if to.id == holder.id:
        raise ValidationFailed.for_field("to_helper_id", "不能换给本人。",
                                         "The shift is theirs already.")
    swap = Swap(id=new_id(), shift_id=s.id, roster_id=s.roster_id, path=s.path,
                from_helper_id=holder.id, to_helper_id=to.id, status="requested",
                reason=data.get("reason"), requested_by=principal.account_id,
                requested_at=clock.now())
    session.add(swap)
    audit.record(session, tables.audit_log, principal, "swap.request", "swap", swap.id,
                 swap.path)
    session.flush()
    return _row(swap, SWAP_COLS)


def decide_swap(session, outbox, principal: Principal, data: dict) -> dict:
    swap = session.execute(select(Swap).where(Swap.id == data["id"]).with_for_update()).scalar()
    if swap is None:
        raise NotFound()
    ensure_visible(principal, swap.path)
    require(principal, JUDICIAL, swap.path)
    if swap.status != "requested":
        raise Conflict("该换班申请已处理。", "The swap is decided already.")
    swap.decided_at = clock.now()
    swap.decision_reason = data.get("reason")
    if data["approve"]:
        s = _shift(session, principal, swap.shift_id)
        if s.helper_id != swap.from_helper_id:
            raise Conflict("该时段的值班人已变更，换班申请失效。",
                           "The shift has changed hands since the request.")
        s.helper_id = swap.to_helper_id
        s.version += 1
        flush_shifts(session)
        _changed(session, outbox, s)
        swap.status = "approved"
    else:
        swap.status = "rejected"
    audit.record(session, tables.audit_log, principal, f"swap.{swap.status}", "swap", swap.id,
                 swap.path)
    session.flush()
    return _row(swap, SWAP_COLS)


def list_swaps(session, principal: Principal, data: dict) -> dict:
    stmt = select(Swap).where(scope_clause(principal, Swap.path))
    if data.get("roster_id"):
        stmt = stmt.where(Swap.roster_id == data["roster_id"])
    page = paginate(session, stmt, [Swap.id], data["cursor"], data["limit"])
    return {**page, "items": [_row(s, SWAP_COLS) for s in page["items"]]}
