"""What the organisation's use cases share: scope and role checks, the row lock that
serialises writers of one unit, days, the audit entry, and when a body or a grid duty
counts (as a ``periods.Span`` of its row)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, NotFound, ValidationFailed
from fazhi_shared.scope import STAFF, can_see
from fazhi_shared.service.audit import record

from fazhi_org_contract.roles import REPORT_READERS

from org.domain.periods import Span
from org.models import CompoundBody, GridWorker, Person, Unit, tables
from org.units import visible_unit

NO_SUCH_PERSON = ("查无此人，或不在您的管辖范围内。", "No such person in your scope.")


def require(principal: Principal, roles, path: str) -> None:
    if not principal.can_act_at(roles, path):
        raise Forbidden()


def lock_unit(session, unit_id: str) -> None:
    """Serialise writers of one unit's organisation (one current body per kind, one grid).

    FOR NO KEY UPDATE: it does not block rows elsewhere that merely reference the unit.
    """
    session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update(key_share=True))


def visible_compound(session, principal: Principal, compound_id: str,
                     field: str = "compound_id") -> Unit:
    unit = visible_unit(session, principal, compound_id)
    if unit.kind != "compound":
        raise ValidationFailed.for_field(field, "所选单元不是小区。", "The unit is not a compound.")
    return unit


def staff_unit(session, principal: Principal, unit_id: str) -> Unit:
    """A unit the caller sees as staff (residents see units, not staff records): 404 else."""
    unit = visible_unit(session, principal, unit_id)
    if not can_see(principal, unit.path, STAFF, staff_roles=REPORT_READERS):
        raise NotFound()
    return unit


def visible_person(session, principal: Principal, person_id: str,
                   field: str | None = None) -> Person:
    """A person the caller may see as staff (or themself); 404, or a field error in a list."""
    person = session.get(Person, person_id)
    if person is None or not (principal.person_id == person.id
                              or can_see(principal, person.path, STAFF)):
        if field is None:
            raise NotFound(*NO_SUCH_PERSON)
        raise ValidationFailed.for_field(field, *NO_SUCH_PERSON)
    return person


def today() -> date:
    return clock.today_local()


def local_day(moment) -> date | None:
    return clock.to_local(moment).date() if moment is not None else None


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def audit(session, principal, action, entity, entity_id, path, detail=None) -> None:
    record(session, tables.audit_log, principal, action, entity, entity_id, path, detail)



def body_span(body: CompoundBody) -> Span:
    return Span(body.term_start, body.term_end, local_day(body.dissolved_at))


def worker_span(worker: GridWorker) -> Span:
    return Span(worker.since, None, worker.until)
