"""Use cases of the organisation: Party organisations and their members, the compound's
bodies (owners' committee, property company, mediation committee, law-aided deliberation
venue), the micro-grid and its grid workers, and the "five haves" checklist and report.

The rules are pure (``bodies_rules``, ``five_haves``); this module loads, checks scope
and role, writes, audits and emits through the outbox. Scope is always judged on the
unit's *current* path (joined from ``units``), so a compound moved to another community
is seen by its new staff at once.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from fazhi_shared import clock

from fazhi_shared.service import audit
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ids as path_ids, join
from fazhi_shared.service.pagination import paginate
from fazhi_shared.scope import PUBLIC, STAFF, can_see

from org import bodies_rules as br, five_haves as fh
from org.models import (BodyMember, CompoundBody, Grid, GridWorker, PartyMember, PartyOrg,
                        Person, Unit, tables)
from fazhi_org_contract.roles import (BODY_WRITERS, GRID_WRITERS, ORG_WRITERS,  # noqa: F401
                       PARTY_ORG_WRITERS, PARTY_ORG_WRITERS_AT_STREET, REPORT_READERS)
from org.units import visible_unit

PARTY_IDENTITY = ("中共党员", "Member of the Communist Party of China")
# The reason recorded on a body dissolved because a new one of its kind was set up.
REPLACED = "已由新登记的同类组织替代"
NO_SUCH_PERSON = ("查无此人，或不在您的管辖范围内。", "No such person in your scope.")


def party_org_writers(unit_kind: str) -> tuple:
    return PARTY_ORG_WRITERS_AT_STREET if unit_kind == "street" else PARTY_ORG_WRITERS


# -- shared helpers ---------------------------------------------------------------------------
def _require(principal: Principal, roles, path: str) -> None:
    if not principal.can_act_at(roles, path):
        raise Forbidden()


def _lock_unit(session, unit_id: str) -> None:
    """Serialise writers of one unit's organisation (one current body per kind, one grid).

    FOR NO KEY UPDATE: it does not block rows elsewhere that merely reference the unit.
    """
    session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update(key_share=True))


def _compound(session, principal: Principal, compound_id: str, field: str = "compound_id"):
    unit = visible_unit(session, principal, compound_id)
    if unit.kind != "compound":
        raise ValidationFailed.for_field(field, "所选单元不是小区。", "The unit is not a compound.")
    return unit


def _staff_unit(session, principal: Principal, unit_id: str) -> Unit:
    """A unit the caller sees as staff (residents see units, not staff records): 404 else."""
    unit = visible_unit(session, principal, unit_id)
    if not can_see(principal, unit.path, STAFF, staff_roles=REPORT_READERS):
        raise NotFound()
    return unit


def _person(session, principal: Principal, person_id: str, field: str | None = None) -> Person:
    """A person the caller may see as staff (or themself); 404, or a field error in a list."""
    person = session.get(Person, person_id)
    if person is None or not (principal.person_id == person.id
                              or can_see(principal, person.path, STAFF)):
        if field is None:
            raise NotFound(*NO_SUCH_PERSON)
        raise ValidationFailed.for_field(field, *NO_SUCH_PERSON)
    return person


def _today() -> date:
    return clock.today_local()


def _local_day(moment) -> date | None:
    return clock.to_local(moment).date() if moment is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _audit(session, principal, action, entity, entity_id, path, detail=None):
    audit.record(session, tables.audit_log, principal, action, entity, entity_id, path, detail)


def _under(path_col, path: str):
    return or_(path_col == path, path_col.like(path + "/%"))


# -- Party organisations ---------------------------------------------------------------------
def _member_counts(session, org_ids) -> dict:
    if not org_ids:
        return {}
    return dict(session.execute(
        select(PartyMember.party_org_id, func.count()).where(
            PartyMember.party_org_id.in_(org_ids), PartyMember.left_on.is_(None))
        .group_by(PartyMember.party_org_id)).all())


def _party_org_view(org: PartyOrg, unit: Unit, member_count: int) -> dict:
    return {"id": org.id, "kind": org.kind, "kind_name": br.PARTY_ORG_KINDS[org.kind].zh,
            "name": org.name, "unit_id": org.unit_id, "parent_id": org.parent_id,
            "path": unit.path, "member_count": member_count, "created_at": org.created_at}


def _party_org_views(session, pairs) -> list[dict]:
    """Views of (organisation, unit) pairs with their current member counts."""
    counts = _member_counts(session, [org.id for org, _ in pairs])
    return [_party_org_view(org, unit, counts.get(org.id, 0)) for org, unit in pairs]


def _visible_party_org(session, principal: Principal, org_id: str, for_update=False):
    stmt = select(PartyOrg, Unit).join(Unit, Unit.id == PartyOrg.unit_id).where(
        PartyOrg.id == org_id)
    if for_update:
        stmt = stmt.with_for_update(of=PartyOrg)
    row = session.execute(stmt).first()
    # Party organisations are public where they sit (a compound's residents see its group).
    if row is None or not can_see(principal, row.Unit.path, PUBLIC):
        raise NotFound()
    return row.PartyOrg, row.Unit


def _ancestor_orgs(session, unit: Unit, kind: str) -> list[PartyOrg]:
    parts = path_ids(unit.path)
    ancestors = [join(*parts[:i]) for i in range(1, len(parts) + 1)]
    return session.execute(select(PartyOrg).join(Unit, Unit.id == PartyOrg.unit_id).where(
        PartyOrg.kind == kind, Unit.path.in_(ancestors))).scalars().all()


def _parent_for(session, data: dict, unit: Unit):
    """The named parent, or else the only organisation of the natural parent kind above."""
    if data.get("parent_id"):
        row = session.execute(select(PartyOrg, Unit.path).join(
            Unit, Unit.id == PartyOrg.unit_id).where(PartyOrg.id == data["parent_id"])).first()
        # An ancestor organisation may lie outside the caller's scope (a community worker
        # links to the street's committee), so it is not scope-checked; the rule below
        # accepts only an organisation above this unit, which the caller knows of anyway.
        if row is None:
            raise ValidationFailed.for_field("parent_id", "查无此上级党组织。",
                                             "No such parent organisation.")
        return row.PartyOrg, row.path
    kind = br.natural_parent_kind(data["kind"])
    found = _ancestor_orgs(session, unit, kind) if kind else []
    if len(found) == 1:
        return found[0], session.get(Unit, found[0].unit_id).path
    return None, None


def create_party_org(session, outbox, principal: Principal, data: dict) -> dict:
    unit = visible_unit(session, principal, data["unit_id"])
    _require(principal, party_org_writers(unit.kind), unit.path)
    _lock_unit(session, unit.id)
    parent, parent_path = _parent_for(session, data, unit)
    br.check_party_org(data["kind"], unit.kind, unit.path,
                       parent.kind if parent else None, parent_path)
    spec = br.PARTY_ORG_KINDS[data["kind"]]
    if spec.one_per_unit and session.execute(select(PartyOrg.id).where(
            PartyOrg.unit_id == unit.id, PartyOrg.kind == data["kind"])).first():
        raise Conflict(f"该单元已有{spec.zh}。", f"This unit already has a {spec.en}.")
    org = PartyOrg(id=new_id(), kind=data["kind"], name=data["name"].strip(), unit_id=unit.id,
                   parent_id=parent.id if parent else None, path=unit.path,
                   created_at=clock.now())
    session.add(org)
    session.flush()
    _audit(session, principal, "party_org.create", "party_org", org.id, unit.path,
           {"kind": org.kind, "name": org.name, "parent_id": org.parent_id})
    outbox.emit(session, "party_org.created", {
        "id": org.id, "kind": org.kind, "name": org.name, "unit_id": unit.id,
        "parent_id": org.parent_id, "path": unit.path}, unit.path)
    return _party_org_view(org, unit, 0)


def get_party_org(session, principal: Principal, data: dict) -> dict:
    org, unit = _visible_party_org(session, principal, data["id"])
    return _party_org_views(session, [(org, unit)])[0]


def list_party_orgs(session, principal: Principal, data: dict) -> dict:
    """Organisations attached at or under a unit, by id (creation order)."""
    root = visible_unit(session, principal, data["unit_id"])
    stmt = select(PartyOrg, Unit).join(Unit, Unit.id == PartyOrg.unit_id).where(
        _under(Unit.path, root.path))
    if data.get("kind"):
        stmt = stmt.where(PartyOrg.kind == data["kind"])
    # Whoever sees the root sees everything under it (a resident's root is in their compound).
    page = paginate(session, stmt, [PartyOrg.id], data.get("cursor"), data["limit"],
                    row_key=lambda row: [row.PartyOrg.id])
    page["items"] = _party_org_views(session, [(r.PartyOrg, r.Unit) for r in page["items"]])
    return page


def _writable_party_org(session, principal: Principal, org_id: str):
    org, unit = _visible_party_org(session, principal, org_id, for_update=True)
    _require(principal, party_org_writers(unit.kind), unit.path)
    return org, unit


def _member_view(member: PartyMember, name: str) -> dict:
    return {"id": member.id, "party_org_id": member.party_org_id, "person_id": member.person_id,
            "name": name, "show_identity": member.show_identity, "joined_on": member.joined_on,
            "left_on": member.left_on}


def _member_event(outbox, session, event_type, member: PartyMember, path: str) -> None:
    outbox.emit(session, event_type, {
        "id": member.id, "party_org_id": member.party_org_id, "person_id": member.person_id,
        "show_identity": member.show_identity, "joined_on": _iso(member.joined_on),
        "left_on": _iso(member.left_on), "path": path}, path)


def add_party_member(session, outbox, principal: Principal, data: dict) -> dict:
    org, unit = _writable_party_org(session, principal, data["party_org_id"])
    person = _person(session, principal, data["person_id"])
    member = session.execute(select(PartyMember).where(
        PartyMember.party_org_id == org.id, PartyMember.person_id == person.id)).scalar()
    if member is not None and member.left_on is None:
        raise Conflict("此人已是该党组织的成员。", "This person is already a member.")
    joined_on = data.get("joined_on") or _today()
    if member is None:
        member = PartyMember(id=new_id(), party_org_id=org.id, person_id=person.id)
        session.add(member)
    # Someone who left and rejoins keeps one row (one per organisation and person);
    # the audit log keeps the earlier membership.
    member.joined_on, member.left_on = joined_on, None
    member.show_identity = data["show_identity"]
    session.flush()
    _audit(session, principal, "party_member.add", "party_member", member.id, unit.path,
           {"party_org_id": org.id, "person_id": person.id, "joined_on": _iso(joined_on)})
    _member_event(outbox, session, "party_member.added", member, unit.path)
    return _member_view(member, person.name)


def remove_party_member(session, outbox, principal: Principal, data: dict) -> dict:
    org, unit = _writable_party_org(session, principal, data["party_org_id"])
    person = _person(session, principal, data["person_id"])
    member = session.execute(select(PartyMember).where(
        PartyMember.party_org_id == org.id, PartyMember.person_id == person.id,
        PartyMember.left_on.is_(None)).with_for_update()).scalar()
    if member is None:
        raise NotFound("此人不是该党组织的现任成员。", "This person is not a current member.")
    left_on = data.get("left_on") or _today()
    br.check_ended(member.joined_on, left_on, _today(), "left_on")
    member.left_on = left_on
    _audit(session, principal, "party_member.remove", "party_member", member.id, unit.path,
           {"party_org_id": org.id, "person_id": person.id, "left_on": _iso(left_on)})
    _member_event(outbox, session, "party_member.removed", member, unit.path)
    return _member_view(member, person.name)


def list_party_members(session, principal: Principal, data: dict) -> dict:
    """Members are staff records: who is a Party member is shown publicly only by choice."""
    org, unit = _visible_party_org(session, principal, data["party_org_id"])
    if not can_see(principal, unit.path, STAFF):
        raise NotFound()
    stmt = select(PartyMember, Person.name).join(Person, Person.id == PartyMember.person_id) \
        .where(PartyMember.party_org_id == org.id)
    if not data["include_former"]:
        stmt = stmt.where(PartyMember.left_on.is_(None))
    page = paginate(session, stmt, [PartyMember.id], data.get("cursor"), data["limit"],
                    row_key=lambda row: [row.PartyMember.id])
    page["items"] = [_member_view(row.PartyMember, row.name) for row in page["items"]]
    return page


def set_show_identity(session, outbox, principal: Principal, data: dict) -> dict:
    """The member's own choice (or staff recording it) to show "中共党员" on their profile."""
    rows = session.execute(
        select(PartyMember, Unit).join(PartyOrg, PartyOrg.id == PartyMember.party_org_id)
        .join(Unit, Unit.id == PartyOrg.unit_id)
        .where(PartyMember.person_id == data["person_id"], PartyMember.left_on.is_(None))
        .with_for_update(of=PartyMember)).all()
    is_self = principal.person_id is not None and principal.person_id == data["person_id"]
    visible = [r for r in rows if is_self or can_see(principal, r.Unit.path, STAFF)]
    if not visible:
        raise NotFound("此人不是党员，或不在您的管辖范围内。",
                       "Not a current Party member in your scope.")
    writable = [r for r in visible
                if is_self or principal.can_act_at(party_org_writers(r.Unit.kind), r.Unit.path)]
    if not writable:
        raise Forbidden()
    for row in writable:
        member = row.PartyMember
        if member.show_identity == data["show_identity"]:
            continue
        member.show_identity = data["show_identity"]
        _audit(session, principal, "party_member.show_identity", "party_member", member.id,
               row.Unit.path, {"show_identity": member.show_identity, "by_self": is_self})
        _member_event(outbox, session, "party_member.updated", member, row.Unit.path)
    session.flush()
    return public_profile(session, Principal.system(principal.request_id),
                          {"person_id": data["person_id"]})


# -- public profile ------------------------------------------------------------------------
def _duties(session, person_id: str, day: date) -> list[dict]:
    """What the person does in compounds today: body positions and grid duty."""
    out = []
    rows = session.execute(
        select(BodyMember.position, CompoundBody, Unit.path)
        .join(CompoundBody, CompoundBody.id == BodyMember.body_id)
        .join(Unit, Unit.id == CompoundBody.compound_id)
        .where(BodyMember.person_id == person_id, CompoundBody.dissolved_at.is_(None))).all()
    for position, body, path in rows:
        if not _body_span(body).active_on(day):
            continue
        pos_zh, pos_en = br.POSITION_NAMES.get(position, (position, position))
        out.append({"kind": body.kind, "position": position, "compound_id": body.compound_id,
                    "title": f"{body.name}{pos_zh}",
                    "title_en": f"{pos_en.capitalize()}, {fh.HAVE_NAMES[body.kind][1]}",
                    "path": path})
    rows = session.execute(
        select(GridWorker, Grid, Unit.path).join(Grid, Grid.id == GridWorker.grid_id)
        .join(Unit, Unit.id == Grid.compound_id)
        .where(GridWorker.person_id == person_id)).all()
    for worker, grid, path in rows:
        if _worker_span(worker).active_on(day):
            out.append({"kind": "grid_worker", "position": "grid_worker",
                        "compound_id": grid.compound_id, "title": f"{grid.name}网格员",
                        "title_en": "Grid worker", "path": path})
    return out


def public_profile(session, principal: Principal, data: dict) -> dict:
    """Name, duties, and "中共党员" only when the member chose to show it."""
    person = session.get(Person, data["person_id"])
    if person is None:
        raise NotFound()
    day = _today()
    duties = _duties(session, person.id, day)
    shown = session.execute(
        select(Unit.path).select_from(PartyMember)
        .join(PartyOrg, PartyOrg.id == PartyMember.party_org_id)
        .join(Unit, Unit.id == PartyOrg.unit_id)
        .where(PartyMember.person_id == person.id, PartyMember.left_on.is_(None),
               PartyMember.show_identity.is_(True))).scalars().all()
    # Residents see the profile of people kept in their compound or serving it.
    public_paths = [person.path] + [d["path"] for d in duties] + list(shown)
    if not (principal.person_id == person.id
            or any(can_see(principal, p, PUBLIC) for p in public_paths)):
        raise NotFound()
    return {"id": person.id, "name": person.name, "shows_party_identity": bool(shown),
            "identity": PARTY_IDENTITY[0] if shown else None,
            "identity_en": PARTY_IDENTITY[1] if shown else None, "duties": duties}


# -- compound bodies ---------------------------------------------------------------------------
def _body_span(body: CompoundBody) -> br.Span:
    return br.Span(body.term_start, body.term_end, _local_day(body.dissolved_at))


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
            "kind_name": fh.HAVE_NAMES[body.kind][0], "name": body.name,
            "term_start": body.term_start, "term_end": body.term_end,
            "contact_name": d.get("contact_name"), "contact_phone": d.get("contact_phone"),
            "address": d.get("address"), "opening_hours": d.get("opening_hours"),
            "members": members, "active": _body_span(body).active_on(day),
            "dissolved_at": body.dissolved_at, "dissolution_reason": d.get("dissolution_reason"),
            "replaced_by": d.get("replaced_by"), "path": path, "created_at": body.created_at}


def _writable_compound(session, principal: Principal, compound_id: str, kind: str) -> Unit:
    compound = _compound(session, principal, compound_id)
    _require(principal, BODY_WRITERS[kind], compound.path)
    return compound


def _members(session, principal: Principal, members_in: list[dict]) -> list:
    """Body members as the rules see them: with the gender recorded on the person."""
    out = []
    for i, m in enumerate(members_in):
        person = _person(session, principal, m["person_id"], f"members.{i}.person_id")
        out.append((br.Member(person.id, m["position"], person.gender), person.name))
    return out


def _dissolve(session, outbox, principal, body: CompoundBody, path: str, reason: str,
              replaced_by: str | None = None) -> None:
    body.dissolved_at = clock.now()
    body.details = {**(body.details or {}), "dissolution_reason": reason,
                    "replaced_by": replaced_by}
    _audit(session, principal, "body.dissolve", "compound_body", body.id, path,
           {"kind": body.kind, "reason": reason, "replaced_by": replaced_by})
    outbox.emit(session, "body.dissolved", {
        "id": body.id, "kind": body.kind, "compound_id": body.compound_id, "reason": reason,
        "replaced_by": replaced_by, "path": path}, path)


def _set_up(session, outbox, principal, compound: Unit, kind: str, name: str,
            term_start: date | None, term_end: date | None, details: dict | None = None,
            members: list | None = None) -> dict:
    """Record a body; the compound's current one of the same kind is dissolved (replaced)."""
    members = members or []
    _lock_unit(session, compound.id)
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
    _audit(session, principal, "body.set_up", "compound_body", body.id, compound.path,
           {"kind": kind, "name": body.name, "term_start": _iso(term_start),
            "term_end": _iso(term_end), "members": member_refs,
            "replaces": [b.id for b in current]})
    outbox.emit(session, "body.set_up", {
        "id": body.id, "kind": kind, "compound_id": compound.id, "name": body.name,
        "term_start": _iso(term_start), "term_end": _iso(term_end), "members": member_refs,
        "replaces": [b.id for b in current], "path": compound.path}, compound.path)
    views = [{"person_id": m.person_id, "name": n, "position": m.position} for m, n in members]
    return _body_view(body, compound.path, views, _today())


def set_up_owners_committee(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"], "owners_committee")
    members = _members(session, principal, data["members"])
    br.check_owners_committee([m for m, _ in members], data["term_start"], data["term_end"])
    name = data.get("name") or f"{compound.name}业主委员会"
    return _set_up(session, outbox, principal, compound, "owners_committee", name,
                   data["term_start"], data["term_end"], members=members)


def set_up_property_company(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"], "property_company")
    br.check_contract_period(data["contract_start"], data["contract_end"])
    details = {"contact_name": data.get("contact_name"),
               "contact_phone": data.get("contact_phone")}
    return _set_up(session, outbox, principal, compound, "property_company", data["name"],
                   data["contract_start"], data["contract_end"], details)


def set_up_mediation_committee(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _writable_compound(session, principal, data["compound_id"],
                                  "mediation_committee")
    members = _members(session, principal, data["members"])
    term_end = br.check_mediation_committee([m for m, _ in members], data["term_start"],
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
                   data.get("opened_on") or _today(), None, details)


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
    return _body_view(body, compound.path, members, _today())


def list_bodies(session, principal: Principal, data: dict) -> dict:
    """A compound's bodies (current ones, or with history), by id (creation order)."""
    compound = _compound(session, principal, data["compound_id"])
    stmt = select(CompoundBody).where(CompoundBody.compound_id == compound.id)
    if data.get("kind"):
        stmt = stmt.where(CompoundBody.kind == data["kind"])
    if not data["include_dissolved"]:
        stmt = stmt.where(CompoundBody.dissolved_at.is_(None))
    page = paginate(session, stmt, [CompoundBody.id], data.get("cursor"), data["limit"])
    members = _body_members(session, [b.id for b in page["items"]])
    day = _today()
    page["items"] = [_body_view(b, compound.path, members.get(b.id, []), day)
                     for b in page["items"]]
    return page


def compound_organisation(session, principal: Principal, data: dict) -> dict:
    """The compound's current bodies, Party groups and micro-grid in one answer (public
    inside the compound: residents should know who serves them)."""
    compound = _compound(session, principal, data["compound_id"])
    bodies = session.execute(select(CompoundBody).where(
        CompoundBody.compound_id == compound.id, CompoundBody.dissolved_at.is_(None))
        .order_by(CompoundBody.id)).scalars().all()
    members = _body_members(session, [b.id for b in bodies])
    day = _today()
    out = {"compound_id": compound.id, "name": compound.name, "path": compound.path}
    for kind in fh.BODY_KINDS:
        latest = [b for b in bodies if b.kind == kind][-1:]
        out[kind] = (_body_view(latest[0], compound.path, members.get(latest[0].id, []), day)
                     if latest else None)
    groups = session.execute(select(PartyOrg).where(
        PartyOrg.unit_id == compound.id, PartyOrg.kind == br.PARTY_GROUP)
        .order_by(PartyOrg.id)).scalars().all()
    out["party_groups"] = _party_org_views(session, [(g, compound) for g in groups])
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    out["grid"] = _grid_view(session, grid, compound, day) if grid else None
    return out


# -- the micro-grid ----------------------------------------------------------------------------
def _worker_span(worker: GridWorker) -> br.Span:
    return br.Span(worker.since, None, worker.until)


def _worker_view(worker: GridWorker, name: str) -> dict:
    return {"id": worker.id, "grid_id": worker.grid_id, "person_id": worker.person_id,
            "name": name, "since": worker.since, "until": worker.until}


def _grid_view(session, grid: Grid, compound: Unit, day: date) -> dict:
    rows = session.execute(select(GridWorker, Person.name)
                           .join(Person, Person.id == GridWorker.person_id)
                           .where(GridWorker.grid_id == grid.id).order_by(GridWorker.id)).all()
    workers = [_worker_view(w, name) for w, name in rows if _worker_span(w).active_on(day)]
    return {"id": grid.id, "compound_id": grid.compound_id, "name": grid.name,
            "path": compound.path, "workers": workers, "created_at": grid.created_at}


def _ensure_grid(session, outbox, principal, compound: Unit, name: str | None) -> Grid:
    _lock_unit(session, compound.id)
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    if grid is not None:
        return grid
    # Every compound is one micro-grid: the grid is the compound, made on first use.
    grid = Grid(id=new_id(), compound_id=compound.id,
                name=(name or f"{compound.name}微网格").strip(), path=compound.path,
                created_at=clock.now())
    session.add(grid)
    session.flush()
    _audit(session, principal, "grid.create", "grid", grid.id, compound.path, {"name": grid.name})
    outbox.emit(session, "grid.created", {"id": grid.id, "compound_id": compound.id,
                                          "name": grid.name, "path": compound.path},
                compound.path)
    return grid


def ensure_grid(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _compound(session, principal, data["compound_id"])
    _require(principal, GRID_WRITERS, compound.path)
    grid = _ensure_grid(session, outbox, principal, compound, data.get("name"))
    return _grid_view(session, grid, compound, _today())


def get_grid(session, principal: Principal, data: dict) -> dict:
    compound = _compound(session, principal, data["compound_id"])
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    if grid is None:
        raise NotFound("该小区尚未建立微网格。", "This compound has no micro-grid yet.")
    return _grid_view(session, grid, compound, _today())


def _worker_event(outbox, session, event_type, worker: GridWorker, grid: Grid, path: str):
    outbox.emit(session, event_type, {
        "id": worker.id, "grid_id": grid.id, "compound_id": grid.compound_id,
        "person_id": worker.person_id, "since": _iso(worker.since), "until": _iso(worker.until),
        "path": path}, path)


def assign_grid_worker(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _compound(session, principal, data["compound_id"])
    _require(principal, GRID_WRITERS, compound.path)
    person = _person(session, principal, data["person_id"])
    grid = _ensure_grid(session, outbox, principal, compound, None)
    if session.execute(select(GridWorker.id).where(
            GridWorker.grid_id == grid.id, GridWorker.person_id == person.id,
            GridWorker.until.is_(None))).first():
        raise Conflict("此人已是本网格的网格员。", "This person already works this grid.")
    worker = GridWorker(id=new_id(), grid_id=grid.id, person_id=person.id,
                        since=data.get("since") or _today())
    session.add(worker)
    session.flush()
    _audit(session, principal, "grid.assign_worker", "grid_worker", worker.id, compound.path,
           {"grid_id": grid.id, "person_id": person.id, "since": _iso(worker.since)})
    _worker_event(outbox, session, "grid.worker_assigned", worker, grid, compound.path)
    return _worker_view(worker, person.name)


def unassign_grid_worker(session, outbox, principal: Principal, data: dict) -> dict:
    compound = _compound(session, principal, data["compound_id"])
    _require(principal, GRID_WRITERS, compound.path)
    person = _person(session, principal, data["person_id"])
    row = session.execute(
        select(GridWorker, Grid).join(Grid, Grid.id == GridWorker.grid_id)
        .where(Grid.compound_id == compound.id, GridWorker.person_id == person.id,
               GridWorker.until.is_(None)).with_for_update(of=GridWorker)).first()
    if row is None:
        raise NotFound("此人不是本网格的在岗网格员。", "This person is not on this grid's duty.")
    worker, grid = row
    until = data.get("until") or _today()
    br.check_ended(worker.since, until, _today(), "until")
    worker.until = until
    _audit(session, principal, "grid.unassign_worker", "grid_worker", worker.id, compound.path,
           {"grid_id": grid.id, "person_id": person.id, "until": _iso(until)})
    _worker_event(outbox, session, "grid.worker_unassigned", worker, grid, compound.path)
    return _worker_view(worker, person.name)


# -- the five haves ----------------------------------------------------------------------------
def _facts(session, compounds: list[Unit], compound_ids=None) -> list[fh.CompoundFacts]:
    """What the rules need about each compound, in three queries whatever the count.

    ``compound_ids`` may be a subquery selecting the compounds (a report over a street),
    so thousands of ids are never bound as parameters.
    """
    ids = compound_ids if compound_ids is not None else [c.id for c in compounds]
    bodies: dict = {}
    for b in session.execute(select(CompoundBody.compound_id, CompoundBody.kind,
                                    CompoundBody.term_start, CompoundBody.term_end,
                                    CompoundBody.dissolved_at)
                             .where(CompoundBody.compound_id.in_(ids))).all():
        bodies.setdefault(b.compound_id, []).append(fh.BodyFact(
            b.kind, br.Span(b.term_start, b.term_end, _local_day(b.dissolved_at))))
    groups: dict = {}
    for m in session.execute(
            select(PartyOrg.id, PartyOrg.unit_id, PartyMember.id.label("member_id"),
                   PartyMember.joined_on, PartyMember.left_on)
            .outerjoin(PartyMember, PartyMember.party_org_id == PartyOrg.id)
            .where(PartyOrg.kind == br.PARTY_GROUP, PartyOrg.unit_id.in_(ids))).all():
        spans = groups.setdefault(m.unit_id, {}).setdefault(m.id, [])
        if m.member_id is not None:   # a group with no members still appears, empty
            spans.append(br.Span(m.joined_on, None, m.left_on))
    workers: dict = {}
    for w in session.execute(select(Grid.compound_id, GridWorker.since, GridWorker.until)
                             .join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(Grid.compound_id.in_(ids))).all():
        workers.setdefault(w.compound_id, []).append(br.Span(w.since, None, w.until))
    return [fh.CompoundFacts(
        c.id, c.name, c.path, tuple(bodies.get(c.id, ())),
        tuple(fh.PartyGroupFact(tuple(s)) for s in groups.get(c.id, {}).values()),
        tuple(workers.get(c.id, ()))) for c in compounds]


def five_haves(session, principal: Principal, data: dict) -> dict:
    """One compound's checklist (public inside the compound)."""
    compound = _compound(session, principal, data["compound_id"])
    [facts] = _facts(session, [compound])
    return fh.checklist(facts, data.get("as_of") or _today())


COVERAGE_LEVELS = ("city", "street", "community")


def five_haves_coverage(session, principal: Principal, data: dict) -> dict:
    """Every compound under a community, street or city: what each has and lacks."""
    unit = _staff_unit(session, principal, data["unit_id"])
    if unit.kind not in COVERAGE_LEVELS:
        raise ValidationFailed.for_field(
            "unit_id", "覆盖情况按社区、街道或市统计；单个小区请查看其“五有”清单。",
            "Coverage is reported for a community, street or city; for one compound ask "
            "for its five-haves checklist.")
    day = data.get("as_of") or _today()
    under = (Unit.kind == "compound") & _under(Unit.path, unit.path)
    compounds = session.execute(select(Unit).where(under)).scalars().all()
    facts = _facts(session, compounds, select(Unit.id).where(under).scalar_subquery())
    report = fh.coverage([fh.checklist(f, day) for f in facts], day)
    report["unit"] = {"id": unit.id, "kind": unit.kind, "name": unit.name, "path": unit.path}
    return report
