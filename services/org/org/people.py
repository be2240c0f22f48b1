"""Use cases of people: registering, correcting, reading (masked), revealing (audited)."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import STAFF_ROLES, Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PARTIES, can_see
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_org_contract.roles import PEOPLE_WRITERS, REVEALERS

from org import identity
from org.domain.id_facts import age_and_gender
from org.models import Person, tables
from org.units import visible_unit


def person_view(person: Person) -> dict:
    """What callers see: the ID number and the phone masked, on every read and in the
    answers of writes; ``reveal_person`` is the one unmasked (and audited) read."""
    return {"id": person.id, "name": person.name, "gender": person.gender,
            "phone": identity.mask_phone(person.phone),
            "id_number": person.id_number_masked, "path": person.path,
            "created_at": person.created_at}


def _visible_person(session, principal: Principal, person_id: str, for_update=False) -> Person:
    stmt = select(Person).where(Person.id == person_id)
    if for_update:
        stmt = stmt.with_for_update()
    person = session.execute(stmt).scalar()
    # A person sees their own record; staff see the records under their grants.
    if person is None or not can_see(principal, person.path, PARTIES,
                                     is_party=person.id == principal.person_id):
        raise NotFound()
    return person


def _set_id_number(session, person: Person, id_number: str | None) -> None:
    if id_number is None:
        person.id_number_enc = person.id_number_blind = person.id_number_masked = None
        return
    id_number = identity.normalise_id_number(id_number)
    blind = identity.blind_index(id_number)
    clash = session.execute(select(Person.id).where(Person.id_number_blind == blind,
                                                    Person.id != person.id)).scalar()
    if clash:
        raise Conflict("该身份证号已登记。", "A person with this ID number is already registered.",
                       fields={"zh": {"id_number": ["该身份证号已登记。"]},
                               "en": {"id_number": ["Already registered."]}})
    person.id_number_enc = identity.encrypt(id_number, person.id)
    person.id_number_blind = blind
    person.id_number_masked = identity.mask_id_number(id_number)


def create_person(session, outbox, principal: Principal, data: dict) -> dict:
    unit = visible_unit(session, principal, data["unit_id"])
    if not principal.can_act_at(PEOPLE_WRITERS, unit.path):
        raise Forbidden()
    now = clock.now()
    person = Person(id=new_id(), name=data["name"].strip(), phone=data.get("phone"),
                    gender=data.get("gender"), path=unit.path, created_at=now, updated_at=now)
    _set_id_number(session, person, data.get("id_number"))
    session.add(person)
    session.flush()
    audit.record(session, tables.audit_log, principal, "person.create", "person", person.id,
                 person.path, {"fields": sorted(k for k, v in data.items() if v is not None)})
    outbox.emit(session, "person.created", {"id": person.id, "name": person.name,
                                            "path": person.path}, person.path)
    return person_view(person)


def update_person(session, outbox, principal: Principal, data: dict) -> dict:
    person = _visible_person(session, principal, data["id"], for_update=True)
    if not principal.can_act_at(PEOPLE_WRITERS, person.path):
        raise Forbidden()
    changed = []
    for field in ("name", "phone", "gender"):
        if field in data:
            setattr(person, field, data[field])
            changed.append(field)
    if "id_number" in data:
        _set_id_number(session, person, data["id_number"])
        changed.append("id_number")
    person.updated_at = clock.now()
    # The audit row names the fields changed, never the sensitive values.
    audit.record(session, tables.audit_log, principal, "person.update", "person", person.id,
                 person.path, {"fields": changed})
    outbox.emit(session, "person.updated", {"id": person.id, "name": person.name,
                                            "path": person.path}, person.path)
    return person_view(person)


def get_person(session, principal: Principal, data: dict) -> dict:
    return person_view(_visible_person(session, principal, data["id"]))


def reveal_person(session, principal: Principal, data: dict) -> dict:
    """The unmasked ID number and phone; every call is audited with its reason."""
    person = _visible_person(session, principal, data["id"])
    if not principal.can_act_at(REVEALERS, person.path):
        raise Forbidden()
    audit.record(session, tables.audit_log, principal, "person.reveal", "person", person.id,
                 person.path, {"reason": data["reason"], "fields": ["id_number", "phone"]})
    return {"id": person.id, "name": person.name, "phone": person.phone,
            "id_number": identity.decrypt(person.id_number_enc, person.id)
            if person.id_number_enc else None}


def person_facts(session, principal: Principal, data: dict) -> dict:
    """Age on ``on`` and gender from the ID number, for a person the caller may see.

    Not an unmasked read in the audit sense (DOMAIN-RULES §6): the number is decrypted
    here only to read its birth-date and gender digits, and neither it, nor any part of
    it, nor the birth date leaves org — so nothing is revealed and no reveal is audited.
    """
    person = _visible_person(session, principal, data["person_id"])
    on = data.get("on") or clock.today_local()
    number = (identity.decrypt(person.id_number_enc, person.id)
              if person.id_number_enc else None)
    age, gender = age_and_gender(number, on)
    return {"person_id": person.id, "on": on, "age": age, "gender": gender,
            "has_id_number": number is not None}


def list_people(session, principal: Principal, data: dict) -> dict:
    stmt = select(Person).where(scope_clause(principal, Person.path, staff_roles=STAFF_ROLES))
    if data.get("unit_id"):
        unit = visible_unit(session, principal, data["unit_id"])
        stmt = stmt.where(under(Person.path, unit.path))
    if data.get("q"):
        stmt = stmt.where(Person.name.contains(data["q"], autoescape=True))
    page = paginate(session, stmt, [Person.id], data.get("cursor"), data["limit"])
    page["items"] = [person_view(p) for p in page["items"]]
    return page
