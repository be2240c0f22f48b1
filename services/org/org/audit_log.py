"""The operation log and the unmasked-data reads: org's ``audit_log`` rows for the
administrator's pages (RuoYi's 操作日志 and the auditors' view of who saw personal data).

Who reads: ``roles.AUDIT_READERS`` (city and street admins, auditors), each the rows whose
path lies under one of their grants of those roles; rows without a path (a password
login, a key rotation) only with such a grant on a city. Another role is a 403, a unit
outside the reader's scope a 404. Newest first (audit ids are UUIDv7), filtered by unit,
actor, action, entity and time; each row names its actor, the person an errand was done
for and the units of its path, so the page shows names beside ids. The rows hold no
personal data themselves (field names, never values; a reveal's stated reason).
"""
from __future__ import annotations

from sqlalchemy import false, or_, select

from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, NotFound
from fazhi_shared.paths import depth, ids as path_ids, is_within
from fazhi_shared.service.scope import under

from fazhi_org_contract.roles import AUDIT_READERS, UNMASKED_READS

from org.listing import newest_first
from org.models import Person, Unit, tables
from org.units import visible_unit

audit = tables.audit_log


def _scope(principal: Principal):
    """SQL: the rows the principal may read (403 without an audit-reading role)."""
    if principal.is_system:
        return None
    paths = principal.paths_for(AUDIT_READERS)
    if not paths:
        raise Forbidden()
    conds = [under(audit.c.path, p) for p in paths]
    if any(depth(p) == 1 for p in paths):          # a grant on a city
        conds.append(audit.c.path.is_(None))
    return or_(*conds) if conds else false()


def _entries(session, principal: Principal, data: dict, actions=None) -> dict:
    stmt = select(audit)
    scope = _scope(principal)
    if scope is not None:
        stmt = stmt.where(scope)
    if data.get("unit_id"):
        unit = visible_unit(session, principal, data["unit_id"])
        if not principal.is_system and not any(
                is_within(unit.path, p) for p in principal.paths_for(AUDIT_READERS)):
            raise NotFound()
        stmt = stmt.where(under(audit.c.path, unit.path))
    if actions is not None:
        stmt = stmt.where(audit.c.action.in_(actions))
    for key in ("action", "entity", "entity_id"):
        if data.get(key):
            stmt = stmt.where(audit.c[key] == data[key])
    if data.get("actor_account_id"):
        stmt = stmt.where(audit.c.actor_account_id == data["actor_account_id"])
    if data.get("since"):
        stmt = stmt.where(audit.c.at >= data["since"])
    if data.get("until"):
        stmt = stmt.where(audit.c.at < data["until"])
    page = newest_first(session, stmt, audit.c.id, data.get("cursor"), data["limit"])
    rows = page["items"]
    people = {i for r in rows for i in (r.actor_person_id, r.on_behalf_of) if i}
    names = dict(session.execute(select(Person.id, Person.name)
                                 .where(Person.id.in_(people))).all()) if people else {}
    unit_ids = {i for r in rows if r.path for i in path_ids(r.path)}
    units = {u.id: {"id": u.id, "kind": u.kind, "name": u.name} for u in session.execute(
        select(Unit.id, Unit.kind, Unit.name).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    page["items"] = [{
        **r._mapping,
        "actor_name": names.get(r.actor_person_id),
        "on_behalf_of_name": names.get(r.on_behalf_of),
        "place": [units[i] for i in path_ids(r.path) if i in units] if r.path else [],
    } for r in rows]
    return page


def list_audit_log(session, principal: Principal, data: dict) -> dict:
    """A page of the operation log in the caller's scope, newest first."""
    return _entries(session, principal, data)


def list_unmasked_reads(session, principal: Principal, data: dict) -> dict:
    """A page of the reads of unmasked personal data (reveals, workbook exports)."""
    return _entries(session, principal, data, actions=UNMASKED_READS)
