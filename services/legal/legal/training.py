"""Use cases of training sessions run by a judicial office: sessions, attendance, and the
yearly report flagging persons below the minimum."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_legal_contract.roles import COVERAGE_READERS, JUDICIAL

from legal import places
from legal.paging import date_key
from legal.domain import people
from legal.domain.access import require
from legal.models import Attendance, Literate, Training, tables


def _view(session, t: Training) -> dict:
    n = session.execute(select(func.count()).select_from(Attendance).where(
        Attendance.training_id == t.id)).scalar()
    return {"id": t.id, "path": t.path, "title": t.title, "organiser": t.organiser,
            "held_on": t.held_on, "hours": t.hours, "attendees": n}


def create(session, principal: Principal, data: dict) -> dict:
    unit = places.require_unit(session, data["unit_id"], ("city", "street", "community"))
    require(principal, JUDICIAL, unit["path"])
    t = Training(id=new_id(), path=unit["path"], title=data["title"].strip(),
                 organiser=data["organiser"].strip(), held_on=data["held_on"],
                 hours=data["hours"], created_at=clock.now())
    session.add(t)
    audit.record(session, tables.audit_log, principal, "training.create", "training", t.id,
                 t.path)
    session.flush()
    return _view(session, t)


def list_trainings(session, principal: Principal, data: dict) -> dict:
    stmt = select(Training).where(scope_clause(principal, Training.path))
    if data.get("unit_id"):
        unit = places.require_unit(session, data["unit_id"])
        ensure_visible(principal, unit["path"])
        stmt = stmt.where(under(Training.path, unit["path"]))
    page = paginate(session, stmt, [date_key(Training.held_on), Training.id], data["cursor"],
                    data["limit"], row_key=lambda t: [t.held_on.isoformat(), t.id])
    return {**page, "items": [_view(session, t) for t in page["items"]]}


def record_attendance(session, principal: Principal, data: dict) -> dict:
    t = session.get(Training, data["training_id"])
    if t is None:
        raise NotFound()
    ensure_visible(principal, t.path)
    require(principal, JUDICIAL, t.path)
    ids = list(dict.fromkeys(data["literate_ids"]))
    found = session.execute(select(Literate.id, Literate.path).where(Literate.id.in_(ids))).all()
    if len(found) != len(ids) or any(not p.startswith(t.path) for _, p in found):
        raise ValidationFailed.for_field("literate_ids", "有人员不属于本次培训的范围。",
                                         "A person is outside the training's area.")
    session.execute(insert(Attendance).values(
        [{"training_id": t.id, "literate_id": i} for i in ids]).on_conflict_do_nothing())
    audit.record(session, tables.audit_log, principal, "training.attendance", "training",
                 t.id, t.path, {"literate_ids": ids})
    session.flush()
    return _view(session, t)


def report(session, principal: Principal, data: dict, minimum: int) -> dict:
    unit = places.require_unit(session, data["unit_id"])
    require(principal, COVERAGE_READERS, unit["path"])
    year = data["year"]
    sessions = (select(Attendance.literate_id, func.count().label("n"),
                       func.coalesce(func.sum(Training.hours), 0).label("hours"))
                .join(Training, Training.id == Attendance.training_id)
                .where(Training.held_on >= date(year, 1, 1),
                       Training.held_on <= date(year, 12, 31))
                .group_by(Attendance.literate_id).subquery())
    rows = session.execute(
        select(Literate.id, Literate.name, Literate.compound_id,
               func.coalesce(sessions.c.n, 0), func.coalesce(sessions.c.hours, 0))
        .outerjoin(sessions, sessions.c.literate_id == Literate.id)
        .where(Literate.status == "confirmed", under(Literate.path, unit["path"]))
        .order_by(Literate.name, Literate.id)).all()
    name_of = places.names(session, [r[2] for r in rows])
    lines = [{"literate_id": r[0], "name": r[1], "compound_name": name_of.get(r[2]),
              "sessions": r[3], "hours": float(r[4]),
              "below_minimum": people.below_minimum(r[3], minimum)} for r in rows]
    return {"year": year, "minimum_sessions": minimum, "lines": lines,
            "below_minimum": sum(1 for x in lines if x["below_minimum"])}
