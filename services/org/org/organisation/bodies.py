"""Use cases of a compound's bodies: the owners' committee, the property company, the
people's mediation committee and the law-aided deliberation venue — set up (replacing
the current one of the kind), dissolved, listed — and the compound's organisation at a
glance.

Rules: ``org.domain.bodies``. Writers of one compound are serialised by a row lock, so
there is at most one current body per kind.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.service.pagination import paginate

from fazhi_org_contract.roles import BODY_WRITERS

from org.domain.bodies import (Member, check_contract_period, check_mediation_committee,
                               check_owners_committee, seat_problems)
from org.domain.refusals import raise_if
from org.domain.five_haves import BODY_KINDS, HAVE_NAMES
from org.domain.party import PARTY_GROUP
from org.models import BodyMember, CompoundBody, Grid, PartyOrg, Person, Unit
from org.organisation.common import (audit, body_span, iso, lock_unit, require, today,
                                     visible_compound, visible_person)
from org.organisation.grids import grid_view
from org.organisation.party import party_org_views

# The reason recorded on a body dissolved because a new one of its kind was set up.
REPLACED = "已由新登记的同类组织替代"


def _body_members(session, body_ids) -> dict:
    out: dict = {}
    if not body_ids:
        return out
    rows = session.execute(
        select(BodyMember.body_id, BodyMember.person_id, BodyMember.position, Person.name)
        .join(Person, Person.id == BodyMember.person_id)
        .where(BodyMember.body_id.in_(body_ids)).order_by(BodyMember.id)).all()
    for row in rows:
        out.setdefault(row.body_id, []).append(
            {"person_id": row.person_id, "name": row.name, "position": row.position})
    return out


def _body_view(body: CompoundBody, path: str, members: list, day: date) -> dict:
    d = body.details or {}
    return {"id": body.id, "compound_id": body.compound_id, "kind": body.kind,
            "kind_name": HAVE_NAMES[body.kind][0], "name": body.name,
            "term_start": body.term_start, "term_end": body.term_end,
            "contact_name": d.get("contact_name"), "contact_phone": d.get("contact_phone"),
            "address": d.get("address"), "opening_hours": d.get("opening_hours"),
            "members": members, "active": body_span(body).active_on(day),
            "dissolved_at": body.dissolved_at, "dissolution_reason": d.get("dissolution_reason"),
            "replaced_by": d.get("replaced_by"), "path": path, "created_at": body.created_at}


def _writable_compound(session, principal: Principal, compound_id: str, kind: str) -> Unit:
    compound = visible_compound(session, principal, compound_id)
    require(principal, BODY_WRITERS[kind], compound.path)
    return compound


def _members(session, principal: Principal, members_in: list[dict]) -> list:
    """Body members as the rules see them: with the gender recorded on the person."""
    out = []
    for i, m in enumerate(members_in):
        person = visible_person(session, principal, m["person_id"], f"members.{i}.person_id")
        out.append((Member(person.id, m["position"], person.gender), person.name))
    return out


def _dissolve(session, outbox, principal, body: CompoundBody, path: str, reason: str,
              replaced_by: str | None = None) -> None:
    body.dissolved_at = clock.now()
    body.details = {**(body.details or {}), "dissolution_reason": reason,
                    "replaced_by": replaced_by}
    audit(session, principal, "body.dissolve", "compound_body", body.id, path,
           {"kind": body.kind, "reason": reason, "replaced_by": replaced_by})
    outbox.emit(session, "body.dissolved", {
        "id": body.id, "kind": body.kind, "compound_id": body.compound_id, "reason": reason,
        "replaced_by": replaced_by, "path": path}, path)


def _set_up(session, outbox, principal, compound: Unit, kind: str, name: str,
            term_start: date | None, term_end: date | None, details: dict | None = None,
            members: list | None = None) -> dict:
    """Record a body; the compound's current one of the same kind is dissolved (replaced)."""
    members = members or []
    lock_unit(session, compound.id)
    body_id = new_id()
    current = session.execute(select(CompoundBody).where(
        CompoundBody.compound_id == compound.id, CompoundBody.kind == kind,
        CompoundBody.dissolved_at.is_(None))).scalars().all()
    for old in current:
        _dissolve(session, outbox, principal, old, compound.path, REPLACED, body_id)
    body = CompoundBody(id=body_id, compound_id=compound.id, kind=kind, name=name.strip(),
                        term_start=term_start, term_end=term_end, details=details or {},
                        path=compound.path, created_at=clock.now())
    session.add(body)
    session.flush()
    for member, _ in members:
        session.add(BodyMember(id=new_id(), body_id=body.id, person_id=member.person_id,
                               position=member.position))
    session.flush()
    member_refs = [{"person_id": m.person_id, "position": m.position} for m, _ in members]
    audit(session, principal, "body.set_up", "compound_body", body.id, compound.path,
           {"kind": kind, "name": body.name, "term_start": iso(term_start),
            "term_end": iso(term_end), "members": member_refs,
            "replaces": [b.id for b in current]})
    outbox.emit(session, "body.set_up", {
        "id": body.id, "kind": kind, "compound_id": compound.id, "name": body.name,
        "term_start": iso(term_start), "term_end": iso(term_end), "members": member_refs,
        "replaces": [b.id for b in current], "path": compound.path}, compound.path)
    views = [{"person_id": m.person_id, "name": n, "position": m.position} for m, n in members]
    return _body_view(body, compound.path, views, today())


def set_up_owners_committee(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"], "owners_committee")
    members = _members(session, principal, data["members"])
    check_owners_committee([m for m, _ in members], data["term_start"], data["term_end"])
    name = data.get("name") or f"{compound.name}业主委员会"
    return _set_up(session, outbox, principal, compound, "owners_committee", name,
                   data["term_start"], data["term_end"], members=members)


def set_up_property_company(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"], "property_company")
    check_contract_period(data["contract_start"], data["contract_end"])
    details = {"contact_name": data.get("contact_name"),
               "contact_phone": data.get("contact_phone")}
    return _set_up(session, outbox, principal, compound, "property_company", data["name"],
                   data["contract_start"], data["contract_end"], details)


def set_up_mediation_committee(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"],
                                  "mediation_committee")
    members = _members(session, principal, data["members"])
    term_end = check_mediation_committee([m for m, _ in members], data["term_start"],
                                            data.get("term_end"))
    name = data.get("name") or f"{compound.name}人民调解委员会"
    return _set_up(session, outbox, principal, compound, "mediation_committee", name,
                   data["term_start"], term_end, members=members)


def set_up_deliberation_venue(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"],
                                  "deliberation_venue")
    details = {"address": data["address"].strip(),
               "opening_hours": data["opening_hours"].strip()}
    # A venue has no term: it counts from its opening day until it is closed (dissolved).
    return _set_up(session, outbox, principal, compound, "deliberation_venue", data["name"],
                   data.get("opened_on") or today(), None, details)


NO_COMMITTEE = ("该小区目前没有在任的人民调解委员会，请先设立。",
                "The compound has no mediation committee in office; set one up first.")


def seat_mediation_committee_member(session, outbox, principal: Principal, data: dict) -> dict:
    """Seat a person on the compound's mediation committee in office, as a member (what
    the legal service does after the judicial office appoints a mediator). Seating a
    member again changes nothing; 409 when no committee is in office today."""
    compound = visible_compound(session, principal, data["unit_id"], "unit_id")
    require(principal, BODY_WRITERS["mediation_committee"], compound.path)
    person = visible_person(session, principal, data["person_id"], "person_id")
    lock_unit(session, compound.id)
    day = today()
    body = next((b for b in session.execute(select(CompoundBody).where(
        CompoundBody.compound_id == compound.id, CompoundBody.kind == "mediation_committee",
        CompoundBody.dissolved_at.is_(None)).order_by(CompoundBody.id.desc())).scalars()
        if body_span(b).active_on(day)), None)
    if body is None:
        raise Conflict(*NO_COMMITTEE)
    members = _body_members(session, [body.id]).get(body.id, [])
    seated = [m["person_id"] for m in members]
    raise_if(seat_problems(seated, person.id), "不能加入人民调解委员会",
             "Cannot join the mediation committee")
    if person.id not in seated:
        session.add(BodyMember(id=new_id(), body_id=body.id, person_id=person.id,
                               position="member"))
        session.flush()
        audit(session, principal, "body.seat_member", "compound_body", body.id, compound.path,
              {"kind": body.kind, "person_id": person.id, "position": "member",
               "reason": data["reason"]})
        outbox.emit(session, "body.member_seated", {
            "id": body.id, "kind": body.kind, "compound_id": compound.id,
            "person_id": person.id, "position": "member", "path": compound.path},
            compound.path)
        members.append({"person_id": person.id, "name": person.name, "position": "member"})
    return _body_view(body, compound.path, members, day)


def dissolve_body(session, outbox, principal: Principal, data: dict) -> dict:
    body = session.execute(select(CompoundBody).where(CompoundBody.id == data["id"])
                           .with_for_update()).scalar()
    if body is None:
        raise NotFound()
    compound = _writable_compound(session, principal, body.compound_id, body.kind)
    if body.dissolved_at is not None:
        raise Conflict("该组织已经解散。", "This body has already been dissolved.")
    _dissolve(session, outbox, principal, body, compound.path, data["reason"])
    session.flush()
    members = _body_members(session, [body.id]).get(body.id, [])
    return _body_view(body, compound.path, members, today())


def list_bodies(session, principal: Principal, data: dict) -> dict:
    """A compound's bodies (current ones, or with history), by id (creation order)."""
    compound = visible_compound(session, principal, data["compound_id"])
    stmt = select(CompoundBody).where(CompoundBody.compound_id == compound.id)
    if data.get("kind"):
        stmt = stmt.where(CompoundBody.kind == data["kind"])
    if not data["include_dissolved"]:
        stmt = stmt.where(CompoundBody.dissolved_at.is_(None))
    page = paginate(session, stmt, [CompoundBody.id], data.get("cursor"), data["limit"])
    members = _body_members(session, [b.id for b in page["items"]])
    day = today()
    page["items"] = [_body_view(b, compound.path, members.get(b.id, []), day)
                     for b in page["items"]]
    return page


def compound_organisation(session, principal: Principal, data: dict) -> dict:
    """The compound's current bodies, Party groups and micro-grid in one answer (public
    inside the compound: residents should know who serves them)."""
    compound = visible_compound(session, principal, data["compound_id"])
    bodies = session.execute(select(CompoundBody).where(
        CompoundBody.compound_id == compound.id, CompoundBody.dissolved_at.is_(None))
        .order_by(CompoundBody.id)).scalars().all()
    members = _body_members(session, [b.id for b in bodies])
    day = today()
    out = {"compound_id": compound.id, "name": compound.name, "path": compound.path}
    for kind in BODY_KINDS:
        latest = [b for b in bodies if b.kind == kind][-1:]
        out[kind] = (_body_view(latest[0], compound.path, members.get(latest[0].id, []), day)
                     if latest else None)
    groups = session.execute(select(PartyOrg).where(
        PartyOrg.unit_id == compound.id, PartyOrg.kind == PARTY_GROUP)
        .order_by(PartyOrg.id)).scalars().all()
    out["party_groups"] = party_org_views(session, [(g, compound) for g in groups])
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    out["grid"] = grid_view(session, grid, compound, day) if grid else None
    return out
