"""Use cases of Party organisations: organisations attached to units of their level,
their members (joined, left, rejoined), and the public profile on which a member may
choose to show "中共党员".

Rules: ``org.domain.party`` (levels, parents) and ``org.domain.periods`` (when a
membership ends). Scope is judged on the unit's current path.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ids as path_ids, join
from fazhi_shared.scope import PUBLIC, STAFF, can_see
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import under

from fazhi_org_contract.roles import PARTY_ORG_WRITERS, PARTY_ORG_WRITERS_AT_STREET

from org.domain.bodies import POSITION_NAMES
from org.domain.five_haves import HAVE_NAMES
from org.domain.party import PARTY_ORG_KINDS, check_party_org, natural_parent_kind
from org.domain.periods import check_ended
from org.models import (BodyMember, CompoundBody, Grid, GridWorker, PartyMember, PartyOrg,
                        Person, Unit)
from org.organisation.common import (audit, body_span, iso, lock_unit, require, today,
                                     visible_person, worker_span)
from org.units import visible_unit

PARTY_IDENTITY = ("中共党员", "Member of the Communist Party of China")


def party_org_writers(unit_kind: str) -> tuple:
    return PARTY_ORG_WRITERS_AT_STREET if unit_kind == "street" else PARTY_ORG_WRITERS


def _member_counts(session, org_ids) -> dict:
    if not org_ids:
        return {}
    return dict(session.execute(
        select(PartyMember.party_org_id, func.count()).where(
            PartyMember.party_org_id.in_(org_ids), PartyMember.left_on.is_(None))
        .group_by(PartyMember.party_org_id)).all())


def _party_org_view(org: PartyOrg, unit: Unit, member_count: int) -> dict:
    return {"id": org.id, "kind": org.kind, "kind_name": PARTY_ORG_KINDS[org.kind].zh,
            "name": org.name, "unit_id": org.unit_id, "parent_id": org.parent_id,
            "path": unit.path, "member_count": member_count, "created_at": org.created_at}


def party_org_views(session, pairs) -> list[dict]:
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
    kind = natural_parent_kind(data["kind"])
    found = _ancestor_orgs(session, unit, kind) if kind else []
    if len(found) == 1:
        return found[0], session.get(Unit, found[0].unit_id).path
    return None, None


def create_party_org(session, outbox, principal: Principal, data: dict) -> dict:
    unit = visible_unit(session, principal, data["unit_id"])
    require(principal, party_org_writers(unit.kind), unit.path)
    lock_unit(session, unit.id)
    parent, parent_path = _parent_for(session, data, unit)
    check_party_org(data["kind"], unit.kind, unit.path,
                       parent.kind if parent else None, parent_path)
    spec = PARTY_ORG_KINDS[data["kind"]]
    if spec.one_per_unit and session.execute(select(PartyOrg.id).where(
            PartyOrg.unit_id == unit.id, PartyOrg.kind == data["kind"])).first():
        raise Conflict(f"该单元已有{spec.zh}。", f"This unit already has a {spec.en}.")
    org = PartyOrg(id=new_id(), kind=data["kind"], name=data["name"].strip(), unit_id=unit.id,
                   parent_id=parent.id if parent else None, path=unit.path,
                   created_at=clock.now())
    session.add(org)
    session.flush()
    audit(session, principal, "party_org.create", "party_org", org.id, unit.path,
           {"kind": org.kind, "name": org.name, "parent_id": org.parent_id})
    outbox.emit(session, "party_org.created", {
        "id": org.id, "kind": org.kind, "name": org.name, "unit_id": unit.id,
        "parent_id": org.parent_id, "path": unit.path}, unit.path)
    return _party_org_view(org, unit, 0)


def get_party_org(session, principal: Principal, data: dict) -> dict:
    org, unit = _visible_party_org(session, principal, data["id"])
    return party_org_views(session, [(org, unit)])[0]


def list_party_orgs(session, principal: Principal, data: dict) -> dict:
    """Organisations attached at or under a unit, by id (creation order)."""
    root = visible_unit(session, principal, data["unit_id"])
    stmt = select(PartyOrg, Unit).join(Unit, Unit.id == PartyOrg.unit_id).where(
        under(Unit.path, root.path))
    if data.get("kind"):
        stmt = stmt.where(PartyOrg.kind == data["kind"])
    # Whoever sees the root sees everything under it (a resident's root is in their compound).
    page = paginate(session, stmt, [PartyOrg.id], data.get("cursor"), data["limit"],
                    row_key=lambda row: [row.PartyOrg.id])
    page["items"] = party_org_views(session, [(r.PartyOrg, r.Unit) for r in page["items"]])
    return page


def _writable_party_org(session, principal: Principal, org_id: str):
    org, unit = _visible_party_org(session, principal, org_id, for_update=True)
    require(principal, party_org_writers(unit.kind), unit.path)
    return org, unit


def _member_view(member: PartyMember, name: str) -> dict:
    return {"id": member.id, "party_org_id": member.party_org_id, "person_id": member.person_id,
            "name": name, "show_identity": member.show_identity, "joined_on": member.joined_on,
            "left_on": member.left_on}


def _member_event(outbox, session, event_type, member: PartyMember, path: str) -> None:
    outbox.emit(session, event_type, {
        "id": member.id, "party_org_id": member.party_org_id, "person_id": member.person_id,
        "show_identity": member.show_identity, "joined_on": iso(member.joined_on),
        "left_on": iso(member.left_on), "path": path}, path)


def add_party_member(session, outbox, principal: Principal, data: dict) -> dict:
    org, unit = _writable_party_org(session, principal, data["party_org_id"])
    person = visible_person(session, principal, data["person_id"])
    member = session.execute(select(PartyMember).where(
        PartyMember.party_org_id == org.id, PartyMember.person_id == person.id)).scalar()
    if member is not None and member.left_on is None:
        raise Conflict("此人已是该党组织的成员。", "This person is already a member.")
    joined_on = data.get("joined_on") or today()
    if member is None:
        member = PartyMember(id=new_id(), party_org_id=org.id, person_id=person.id)
        session.add(member)
    # Someone who left and rejoins keeps one row (one per organisation and person);
    # the audit log keeps the earlier membership.
    member.joined_on, member.left_on = joined_on, None
    member.show_identity = data["show_identity"]
    session.flush()
    audit(session, principal, "party_member.add", "party_member", member.id, unit.path,
           {"party_org_id": org.id, "person_id": person.id, "joined_on": iso(joined_on)})
    _member_event(outbox, session, "party_member.added", member, unit.path)
    return _member_view(member, person.name)


def remove_party_member(session, outbox, principal: Principal, data: dict) -> dict:
    org, unit = _writable_party_org(session, principal, data["party_org_id"])
    person = visible_person(session, principal, data["person_id"])
    member = session.execute(select(PartyMember).where(
        PartyMember.party_org_id == org.id, PartyMember.person_id == person.id,
        PartyMember.left_on.is_(None)).with_for_update()).scalar()
    if member is None:
        raise NotFound("此人不是该党组织的现任成员。", "This person is not a current member.")
    left_on = data.get("left_on") or today()
    check_ended(member.joined_on, left_on, today(), "left_on")
    member.left_on = left_on
    audit(session, principal, "party_member.remove", "party_member", member.id, unit.path,
           {"party_org_id": org.id, "person_id": person.id, "left_on": iso(left_on)})
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
        audit(session, principal, "party_member.show_identity", "party_member", member.id,
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
        if not body_span(body).active_on(day):
            continue
        pos_zh, pos_en = POSITION_NAMES.get(position, (position, position))
        out.append({"kind": body.kind, "position": position, "compound_id": body.compound_id,
                    "title": f"{body.name}{pos_zh}",
                    "title_en": f"{pos_en.capitalize()}, {HAVE_NAMES[body.kind][1]}",
                    "path": path})
    rows = session.execute(
        select(GridWorker, Grid, Unit.path).join(Grid, Grid.id == GridWorker.grid_id)
        .join(Unit, Unit.id == Grid.compound_id)
        .where(GridWorker.person_id == person_id)).all()
    for worker, grid, path in rows:
        if worker_span(worker).active_on(day):
            out.append({"kind": "grid_worker", "position": "grid_worker",
                        "compound_id": grid.compound_id, "title": f"{grid.name}网格员",
                        "title_en": "Grid worker", "path": path})
    return out


def public_profile(session, principal: Principal, data: dict) -> dict:
    """Name, duties, and "中共党员" only when the member chose to show it."""
    person = session.get(Person, data["person_id"])
    if person is None:
        raise NotFound()
    day = today()
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
