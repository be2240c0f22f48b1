"""Use cases of the registry: unit areas, owners, dated ownership, the electorate, residents.

Ownership is dated: a row holds from ``valid_from`` until ``valid_to`` (open when null),
so "who owned what at time T" is ``valid_from <= T < valid_to``. A transfer closes the
unit's open rows at ``at`` and opens the new owners' rows at the same instant; history
is only ever appended, never rewritten (the deliberation service freezes an electorate
at a past time and must get the same answer later).

Residencies are dated in local dates: resident on day D iff ``moved_in <= D < moved_out``
(``moved_out`` is the first day away).

Areas are not dated: an electorate uses each unit's current area.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ancestor_at, ids as path_ids
from fazhi_shared.scope import STAFF, can_see, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import under

from fazhi_org_contract.roles import REGISTRY_READERS, REGISTRY_WRITERS

from org import identity
from org.domain.electorate import (DEVELOPER, PERSON, Holding, OwnerSetError, effective_area,
                                   electorate as count_electorate, voter_of)
from org.models import Owner, Ownership, Person, Residency, Unit, tables
from org.units import ensure_live, visible_unit


AREA_FIELDS = ("registered_area", "surveyed_area", "contract_area")

OWNER_SET_MESSAGES = {
    "no_owner": ("至少需要一名业主。", "At least one owner is needed."),
    "duplicate_owner": ("同一业主重复出现。", "An owner is listed twice."),
    "no_voter": ("共有人须指定一名投票人。", "Co-owners must name one voter."),
    "many_voters": ("共有人只能指定一名投票人。", "Co-owners name only one voter."),
}
KIND_MESSAGES = {
    "unit": ("请选择具体房屋（户）。", "Choose a unit (a dwelling)."),
    "compound": ("请选择小区。", "Choose a compound."),
}


# -- scope ------------------------------------------------------------------------------
def _check_kind(unit: Unit, kind: str, field: str) -> None:
    if unit.kind != kind:
        raise ValidationFailed.for_field(field, *KIND_MESSAGES[kind])


def writable(session, principal: Principal, unit_id: str, kind: str, field: str,
             for_update: bool = False) -> Unit:
    """The unit if the caller may change its registry: 404 outside scope, 403 for a role
    that may not write, 422 for the wrong kind of unit."""
    unit = visible_unit(session, principal, unit_id, for_update)
    if not principal.can_act_at(REGISTRY_WRITERS, unit.path):
        raise Forbidden()
    _check_kind(unit, kind, field)
    ensure_live(unit, field)
    return unit


def readable(session, principal: Principal, unit_id: str, kind: str, field: str) -> Unit:
    """The unit if staff in scope (or the system) may read its registry; 404 otherwise."""
    unit = visible_unit(session, principal, unit_id)
    ensure_visible(principal, unit.path, STAFF, staff_roles=REGISTRY_READERS)
    _check_kind(unit, kind, field)
    return unit


def compound_id_of(unit: Unit) -> str:
    return path_ids(ancestor_at(unit.path, "compound"))[-1]


def _valid_at(as_of: datetime):
    return and_(Ownership.valid_from <= as_of,
                or_(Ownership.valid_to.is_(None), Ownership.valid_to > as_of))


# -- areas ------------------------------------------------------------------------------
def area_columns(registered: int | None, surveyed: int | None, contract: int | None) -> dict:
    """The stored area columns, with the exclusive area and its source (SPC art. 8)."""
    area, source = effective_area(registered, surveyed, contract)
    return {"registered_area": registered, "surveyed_area": surveyed,
            "contract_area": contract, "exclusive_area": area, "area_source": source}


def area_view(unit: Unit) -> dict:
    return {"id": unit.id, "name": unit.name, "path": unit.path,
            **{k: getattr(unit, k) for k in (*AREA_FIELDS, "exclusive_area", "area_source",
                                              "is_parking")}}


def area_event(unit_id: str, columns: dict) -> dict:
    return {"id": unit_id, **columns}


def set_unit_area(session, outbox, principal: Principal, data: dict) -> dict:
    """Change the given areas (and whether the unit is a parking space); nothing is
    written (no audit, no event) when none differ."""
    unit = writable(session, principal, data["unit_id"], "unit", "unit_id", for_update=True)
    before = {k: getattr(unit, k) for k in (*AREA_FIELDS, "is_parking")}
    columns = area_columns(*(data.get(k, before[k]) for k in AREA_FIELDS))
    parking = data.get("is_parking", unit.is_parking)
    if all(getattr(unit, k) == v for k, v in columns.items()) \
            and parking == unit.is_parking:
        return area_view(unit)
    for k, v in columns.items():
        setattr(unit, k, v)
    unit.is_parking = parking
    unit.updated_at = clock.now()
    audit.record(session, tables.audit_log, principal, "unit.set_area", "unit", unit.id,
                 unit.path, {"from": before, "to": {**{k: columns[k] for k in AREA_FIELDS},
                                                    "is_parking": parking}})
    outbox.emit(session, "unit.area_changed",
                {**area_event(unit.id, columns), "is_parking": parking}, unit.path)
    return area_view(unit)


# -- people behind owners and residents --------------------------------------------------
def protect_id_number(person: Person, id_number: str) -> None:
    """Store an ID number the way org.people does: encrypted (bound to ``person.id``, which
    must be set), blind-indexed, masked."""
    id_number = identity.normalise_id_number(id_number)
    person.id_number_enc = identity.encrypt(id_number, person.id)
    person.id_number_blind = identity.blind_index(id_number)
    person.id_number_masked = identity.mask_id_number(id_number)


def _name_mismatch(field: str = "name") -> Conflict:
    return Conflict("该证件号码已登记，但姓名不一致。",
                    "This ID number is registered under another name.",
                    fields={"zh": {field: ["与已登记的姓名不一致。"]},
                            "en": {field: ["Differs from the registered name."]}})


def _new_person(session, outbox, principal: Principal, name: str, phone: str | None,
                id_number: str | None, path: str) -> Person:
    now = clock.now()
    person = Person(id=new_id(), name=name, phone=phone, path=path, created_at=now,
                    updated_at=now)
    if id_number:
        protect_id_number(person, id_number)
    session.add(person)
    session.flush()
    # The audit row names the fields given, never their values (PIPL).
    audit.record(session, tables.audit_log, principal, "person.create", "person", person.id,
                 path, {"fields": sorted(k for k, v in (("name", name), ("phone", phone),
                                                        ("id_number", id_number)) if v)})
    outbox.emit(session, "person.created", {"id": person.id, "name": person.name,
                                            "path": path}, path)
    return person


def find_or_create_person(session, outbox, principal: Principal, data: dict,
                          path: str) -> Person:
    """``person_id`` (visible to the caller), or the person with ``id_number`` (the name
    must match), or a new person with ``name``, ``phone``, ``id_number``."""
    if data.get("person_id"):
        person = session.get(Person, data["person_id"])
        if person is None or not can_see(principal, person.path, STAFF,
                                         staff_roles=REGISTRY_READERS):
            raise NotFound()
        return person
    name = data["name"].strip()
    if data.get("id_number"):
        blind = identity.blind_index(data["id_number"])
        person = session.execute(select(Person).where(Person.id_number_blind == blind)).scalar()
        if person is not None:
            if person.name != name:
                raise _name_mismatch()
            return person
    return _new_person(session, outbox, principal, name, data.get("phone"),
                       data.get("id_number"), path)


# -- owners -----------------------------------------------------------------------------
def owner_view(owner: Owner, created: bool = False, representative_name=None) -> dict:
    return {"id": owner.id, "compound_id": owner.compound_id, "kind": owner.kind,
            "name": owner.name, "person_id": owner.person_id, "credit_code": owner.credit_code,
            "representative_person_id": owner.representative_person_id,
            "representative_name": representative_name,
            "path": owner.path, "created_at": owner.created_at, "created": created}


def owner_event(owner: Owner) -> dict:
    return {"id": owner.id, "compound_id": owner.compound_id, "kind": owner.kind,
            "name": owner.name, "person_id": owner.person_id}


def _existing_owner(session, compound_id: str, kind: str, person_id=None, credit_code=None):
    stmt = select(Owner).where(Owner.compound_id == compound_id)
    if kind == PERSON:
        stmt = stmt.where(Owner.person_id == person_id)
    elif kind == DEVELOPER:
        stmt = stmt.where(Owner.kind == DEVELOPER)
    else:
        stmt = stmt.where(Owner.credit_code == credit_code)
    return session.execute(stmt).scalar()


def create_owner(session, outbox, principal: Principal, data: dict) -> dict:
    """Find or create an owner of the compound by its natural key: the person (one owner
    record per person and compound), the credit code, or the compound's one developer."""
    compound = writable(session, principal, data["compound_id"], "compound", "compound_id")
    kind, person = data["kind"], None
    if kind == PERSON:
        person = find_or_create_person(session, outbox, principal, data, compound.path)
        name = person.name
    else:
        name = data["name"].strip()
    owner = _existing_owner(session, compound.id, kind, person.id if person else None,
                            data.get("credit_code"))
    if owner is not None:
        if owner.kind != kind or owner.name != name:
            raise Conflict("该业主已登记，但类型或名称不一致。",
                           "This owner is registered with another kind or name.")
        rep = owner.representative_person_id
        return owner_view(owner, representative_name=_names(session, [rep]).get(rep))
    owner = Owner(id=new_id(), compound_id=compound.id, kind=kind, name=name,
                  person_id=person.id if person else None, credit_code=data.get("credit_code"),
                  path=compound.path, created_at=clock.now())
    session.add(owner)
    session.flush()
    audit.record(session, tables.audit_log, principal, "owner.create", "owner", owner.id,
                 compound.path, {"kind": kind})
    outbox.emit(session, "owner.created", owner_event(owner), compound.path)
    return owner_view(owner, created=True)


def list_owners(session, principal: Principal, data: dict) -> dict:
    compound = readable(session, principal, data["compound_id"], "compound", "compound_id")
    stmt = select(Owner).where(Owner.compound_id == compound.id)
    if data.get("kind"):
        stmt = stmt.where(Owner.kind == data["kind"])
    if data.get("q"):
        stmt = stmt.where(Owner.name.contains(data["q"], autoescape=True))
    page = paginate(session, stmt, [Owner.id], data.get("cursor"), data["limit"])
    names = _names(session, [o.representative_person_id for o in page["items"]])
    page["items"] = [owner_view(o, representative_name=names.get(o.representative_person_id))
                     for o in page["items"]]
    return page


def _names(session, person_ids) -> dict:
    wanted = {i for i in person_ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted))).all())


NOT_REPRESENTED = ("自然人业主由本人投票，无需指定代表。",
                   "A person who owns votes themself; only an organisation or the developer "
                   "designates a representative.")


def set_owner_representative(session, outbox, principal: Principal, data: dict) -> dict:
    """Record the person who votes for an organisation owner or the developer (its
    designated representative); null clears. Changing nothing writes nothing."""
    owner = session.execute(select(Owner).where(Owner.id == data["owner_id"])
                            .with_for_update()).scalar()
    if owner is None:
        raise NotFound()
    compound = writable(session, principal, owner.compound_id, "compound", "owner_id")
    if owner.kind == PERSON:
        raise ValidationFailed.for_field("owner_id", *NOT_REPRESENTED)
    person_id = data["person_id"]
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None or not can_see(principal, person.path, STAFF,
                                         staff_roles=REGISTRY_WRITERS):
            raise ValidationFailed.for_field("person_id", "查无此人，或不在您的管辖范围内。",
                                             "No such person in your scope.")
    if owner.representative_person_id != person_id:
        before = owner.representative_person_id
        owner.representative_person_id = person_id
        audit.record(session, tables.audit_log, principal, "owner.set_representative",
                     "owner", owner.id, compound.path, {"from": before, "to": person_id})
        outbox.emit(session, "owner.representative_set",
                    {"id": owner.id, "compound_id": owner.compound_id,
                     "representative_person_id": person_id}, compound.path)
    session.flush()
    return owner_view(owner, representative_name=_names(session, [person_id]).get(person_id))


# -- dated ownership --------------------------------------------------------------------
def ownership_event(unit_id: str, compound_id: str, at: datetime, from_ids, to_ids,
                    voter_id: str) -> dict:
    return {"unit_id": unit_id, "compound_id": compound_id, "at": clock.isoformat(at),
            "from_owner_ids": sorted(from_ids), "to_owner_ids": sorted(to_ids),
            "voter_owner_id": voter_id}


def _owner_set_error(exc: OwnerSetError) -> ValidationFailed:
    return ValidationFailed.for_field("owners", *OWNER_SET_MESSAGES[exc.code])


def transfer_unit(session, outbox, principal: Principal, data: dict) -> dict:
    """From ``at`` the unit belongs to ``owners`` (exactly one voter). Re-stating the
    current owners changes nothing; a time not after the unit's latest change is refused
    (history is appended, never rewritten)."""
    unit = writable(session, principal, data["unit_id"], "unit", "unit_id", for_update=True)
    now = clock.now()
    at = data.get("at") or now
    if at > now:
        raise ValidationFailed.for_field("at", "产权变更时间不能晚于现在。",
                                         "The transfer time cannot be in the future.")
    shares = [(s["owner_id"], s["is_voter"]) for s in data["owners"]]
    try:
        voter = voter_of(shares)
    except OwnerSetError as exc:
        raise _owner_set_error(exc) from None
    compound_id = compound_id_of(unit)
    new_ids = {owner_id for owner_id, _ in shares}
    found = set(session.execute(select(Owner.id).where(
        Owner.id.in_(new_ids), Owner.compound_id == compound_id)).scalars())
    if found != new_ids:
        raise ValidationFailed.for_field("owners", "业主不存在或不属于该小区。",
                                         "An owner does not exist in this compound.")
    current = session.execute(select(Ownership).where(
        Ownership.unit_id == unit.id, Ownership.valid_to.is_(None))).scalars().all()
    if ({o.owner_id for o in current} == new_ids
            and {o.owner_id for o in current if o.is_voter} == {voter}):
        return unit_owners_at(session, unit.id, now)
    latest = session.execute(select(func.max(Ownership.valid_from)).where(
        Ownership.unit_id == unit.id)).scalar()
    if latest is not None and at <= latest:
        local = clock.to_local(latest).strftime("%Y-%m-%d %H:%M")
        raise Conflict(f"产权变更时间须晚于该房屋最近一次产权变更（{local}）。",
                       f"The transfer must be later than the unit's latest change ({local}).")
    change_ownership(session, outbox, principal, unit, compound_id, current,
                     [(owner_id, owner_id == voter) for owner_id, _ in shares], at)
    return unit_owners_at(session, unit.id, at)


def change_ownership(session, outbox, principal: Principal, unit: Unit, compound_id: str,
                     current: list, shares: list, at: datetime) -> None:
    """Close ``current`` at ``at`` and open ``shares`` ``(owner_id, is_voter)`` from ``at``."""
    if current:
        session.execute(update(Ownership).where(Ownership.id.in_([o.id for o in current]))
                        .values(valid_to=at), execution_options={"synchronize_session": False})
        session.flush()
    for owner_id, is_voter in shares:
        session.add(Ownership(id=new_id(), unit_id=unit.id, owner_id=owner_id,
                              is_voter=is_voter, valid_from=at, compound_id=compound_id,
                              path=unit.path))
    session.flush()
    from_ids = [o.owner_id for o in current]
    to_ids = [owner_id for owner_id, _ in shares]
    voter = next(owner_id for owner_id, is_voter in shares if is_voter)
    audit.record(session, tables.audit_log, principal, "ownership.change", "unit", unit.id,
                 unit.path, {"at": clock.isoformat(at), "from": sorted(from_ids),
                             "to": sorted(to_ids), "voter": voter})
    outbox.emit(session, "ownership.changed",
                ownership_event(unit.id, compound_id, at, from_ids, to_ids, voter), unit.path)


def unit_owners_at(session, unit_id: str, as_of: datetime) -> dict:
    rows = session.execute(
        select(Ownership, Owner).join(Owner, Owner.id == Ownership.owner_id)
        .where(Ownership.unit_id == unit_id, _valid_at(as_of))
        .order_by(Ownership.is_voter.desc(), Owner.id)).all()
    return {"unit_id": unit_id, "as_of": as_of, "owners": [
        {"owner_id": owner.id, "name": owner.name, "kind": owner.kind,
         "is_voter": share.is_voter, "since": share.valid_from, "until": share.valid_to}
        for share, owner in rows]}


def unit_owners(session, principal: Principal, data: dict) -> dict:
    unit = readable(session, principal, data["unit_id"], "unit", "unit_id")
    return unit_owners_at(session, unit.id, data.get("as_of") or clock.now())


def compound_owners(session, principal: Principal, data: dict) -> dict:
    """A page of the owners (co-owners included) holding units of the compound at ``as_of``."""
    compound = readable(session, principal, data["compound_id"], "compound", "compound_id")
    as_of = data.get("as_of") or clock.now()
    holds = exists().where(Ownership.owner_id == Owner.id, _valid_at(as_of))
    stmt = select(Owner).where(Owner.compound_id == compound.id, holds)
    page = paginate(session, stmt, [Owner.id], data.get("cursor"), data["limit"])
    shares = session.execute(select(Ownership.owner_id, Ownership.unit_id, Ownership.is_voter)
                             .where(Ownership.owner_id.in_([o.id for o in page["items"]]),
                                    _valid_at(as_of))
                             .order_by(Ownership.unit_id)).all()
    items = []
    for owner in page["items"]:
        mine = [s for s in shares if s.owner_id == owner.id]
        items.append({"owner_id": owner.id, "name": owner.name, "kind": owner.kind,
                      "person_id": owner.person_id, "credit_code": owner.credit_code,
                      "unit_ids": [s.unit_id for s in mine],
                      "voter_for": [s.unit_id for s in mine if s.is_voter]})
    return {"items": items, "next_cursor": page["next_cursor"]}


def electorate(session, principal: Principal, data: dict) -> dict:
    """Each owner once with the total area of the units they vote for, at ``as_of``: what
    the deliberation service freezes when it gives notice of a vote (SPC arts. 8–9)."""
    compound = readable(session, principal, data["compound_id"], "compound", "compound_id")
    as_of = data.get("as_of") or clock.now()
    rows = session.execute(
        select(Ownership.unit_id, Ownership.is_voter, Owner.id, Owner.name, Owner.kind,
               Owner.person_id, Owner.representative_person_id, Unit.parent_id,
               Unit.is_parking,
               Unit.registered_area, Unit.surveyed_area, Unit.contract_area)
        .join(Owner, Owner.id == Ownership.owner_id).join(Unit, Unit.id == Ownership.unit_id)
        .where(Ownership.compound_id == compound.id, _valid_at(as_of))).all()
    # Who casts each vote: a person owner themself; an organisation or the developer its
    # designated representative (None when none is recorded: the entry has no voter yet).
    result = count_electorate(
        Holding(unit_id=r.unit_id, owner_id=r.id, owner_name=r.name, owner_kind=r.kind,
                is_voter=r.is_voter,
                voter_person_id=r.person_id if r.kind == PERSON else r.representative_person_id,
                building_id=r.parent_id, is_parking=r.is_parking,
                area=effective_area(r.registered_area, r.surveyed_area, r.contract_area)[0])
        for r in rows)
    owned = {r.unit_id for r in rows}
    building = aliased(Unit)
    existing = {u.id: u for u in session.execute(
        select(Unit.id, Unit.name, building.id.label("building_id"),
               building.name.label("building_name"))
        .join(building, building.id == Unit.parent_id)
        .where(Unit.kind == "unit", under(Unit.path, compound.path),
               Unit.created_at <= as_of,
               or_(Unit.retired_at.is_(None), Unit.retired_at > as_of)))}
    named = sorted(owned | set(existing))
    # Names beside ids: every unit the answer lists by id, with its building.
    missing = [i for i in named if i not in existing]
    if missing:          # owned units created after as_of (a title recorded in advance)
        existing.update({u.id: u for u in session.execute(
            select(Unit.id, Unit.name, building.id.label("building_id"),
                   building.name.label("building_name"))
            .join(building, building.id == Unit.parent_id).where(Unit.id.in_(missing)))})
    return {"compound_id": compound.id, "as_of": as_of, **result,
            "units_without_owner": sorted(set(existing) - owned),
            "unit_names": [{"id": i, "name": existing[i].name,
                            "building_id": existing[i].building_id,
                            "building_name": existing[i].building_name}
                           for i in named if i in existing]}


# -- residents --------------------------------------------------------------------------
def resident_view(residency: Residency, person: Person) -> dict:
    """A residency with its person's phone masked (the reveal is the unmasked read)."""
    return {"id": residency.id, "unit_id": residency.unit_id, "person_id": person.id,
            "name": person.name, "phone": identity.mask_phone(person.phone),
            "relation": residency.relation, "moved_in": residency.moved_in,
            "moved_out": residency.moved_out}


def resident_event(residency: Residency) -> dict:
    return {"id": residency.id, "unit_id": residency.unit_id, "person_id": residency.person_id,
            "relation": residency.relation, "moved_in": residency.moved_in.isoformat(),
            "moved_out": residency.moved_out.isoformat() if residency.moved_out else None}


def day_start(day: date) -> datetime:
    """The first instant of a local (Asia/Shanghai) day, as an aware time."""
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI)


def is_owner(session, unit_id: str, person_id: str, day: date) -> bool:
    """The person holds (or later held) title to the unit on or after ``day``: the owner
    may have moved in before their title was recorded."""
    return session.execute(select(Ownership.id).join(Owner, Owner.id == Ownership.owner_id)
                           .where(Ownership.unit_id == unit_id, Owner.person_id == person_id,
                                  or_(Ownership.valid_to.is_(None),
                                      Ownership.valid_to > day_start(day)))
                           .limit(1)).scalar() is not None


def move_in(session, outbox, principal: Principal, data: dict) -> dict:
    unit = writable(session, principal, data["unit_id"], "unit", "unit_id", for_update=True)
    day = data.get("date") or clock.today_local()
    person = find_or_create_person(session, outbox, principal, data, unit.path)
    if data["relation"] == "owner_occupier" and not is_owner(session, unit.id, person.id, day):
        raise ValidationFailed.for_field("relation", "业主自住的住户须是该房屋的业主。",
                                         "An owner-occupier must own the unit.")
    living = session.execute(select(Residency.id).where(
        Residency.unit_id == unit.id, Residency.person_id == person.id,
        or_(Residency.moved_out.is_(None), Residency.moved_out > day))).scalar()
    if living:
        raise Conflict("此人已是该房屋的住户。", "This person already lives in the unit.")
    residency = Residency(id=new_id(), unit_id=unit.id, person_id=person.id,
                          relation=data["relation"], moved_in=day, path=unit.path,
                          created_at=clock.now())
    session.add(residency)
    session.flush()
    audit.record(session, tables.audit_log, principal, "resident.move_in", "residency",
                 residency.id, unit.path, {"relation": residency.relation,
                                           "moved_in": day.isoformat()})
    outbox.emit(session, "resident.moved_in", resident_event(residency), unit.path)
    return resident_view(residency, person)


def move_out(session, outbox, principal: Principal, data: dict) -> dict:
    residency = session.get(Residency, data["residency_id"], with_for_update=True)
    if residency is None:
        raise NotFound()
    unit = writable(session, principal, residency.unit_id, "unit", "residency_id")
    day = data.get("date") or clock.today_local()
    if residency.moved_out is not None:
        raise Conflict("该住户已迁出。", "This resident has already moved out.")
    if day < residency.moved_in:
        raise ValidationFailed.for_field("date", "迁出日期不能早于入住日期。",
                                         "The move-out date is before the move-in date.")
    residency.moved_out = day
    session.flush()
    audit.record(session, tables.audit_log, principal, "resident.move_out", "residency",
                 residency.id, unit.path, {"moved_out": day.isoformat()})
    outbox.emit(session, "resident.moved_out", resident_event(residency), unit.path)
    return resident_view(residency, session.get(Person, residency.person_id))


def list_residents(session, principal: Principal, data: dict) -> dict:
    """The unit's residents on day ``on`` (default today), phones masked."""
    unit = readable(session, principal, data["unit_id"], "unit", "unit_id")
    day = data.get("on") or clock.today_local()
    stmt = (select(Residency, Person).join(Person, Person.id == Residency.person_id)
            .where(Residency.unit_id == unit.id, Residency.moved_in <= day,
                   or_(Residency.moved_out.is_(None), Residency.moved_out > day)))
    page = paginate(session, stmt, [Residency.id], data.get("cursor"), data["limit"],
                    row_key=lambda row: [row[0].id])
    page["items"] = [resident_view(r, p) for r, p in page["items"]]
    return page

