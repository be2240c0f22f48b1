"""Planning an import, one unit at a time: match the unit's merged rows against the
compound's snapshot — buildings, units, owners, people, residents — and decide what
changes, or which rows cannot be imported and why. Reads only; writes nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fazhi_shared import clock
from fazhi_shared.context import Principal

from fazhi_org_contract.roles import UNIT_WRITERS

from org.domain.electorate import DEVELOPER, ORGANISATION, PERSON, voter_of
from org.domain.names import name_key
from org.models import Unit
from org.registry import area_columns, day_start
from org.workbook.rows import OwnerIn, ResidentIn, Row, UnitRows
from org.workbook.snapshot import AREA_COLUMNS, Registry


@dataclass(eq=False)
class PersonNew:
    """A person to register; ``path`` None means "at the unit they live in"."""
    name: str
    phone: str | None
    id_number: str | None
    path: str | None
    id: str | None = None          # set once written


@dataclass(eq=False)
class OwnerNew:
    kind: str
    name: str
    credit_code: str | None
    person: object = None           # person owners: a person id or a PersonNew


@dataclass
class Plan:
    """What one unit's rows change, decided before anything is written."""
    building_id: str | None = None       # None: create the building
    unit: dict | None = None             # the registered unit; None: create it
    areas: dict | None = None            # the new area columns, when they change
    owner_refs: dict = field(default_factory=dict)    # owner key → owner id | OwnerNew
    shares: list | None = None           # [(owner id | OwnerNew, is_voter)] when they change
    at: datetime | None = None
    residents: list = field(default_factory=list)     # [(ResidentIn, person id | PersonNew)]
    people: dict = field(default_factory=dict)        # blind index → PersonNew (this unit)
    changed_rows: set = field(default_factory=set)

    @property
    def unit_id(self) -> str | None:
        return self.unit["id"] if self.unit else None


class Planner:
    """Decides what each unit's rows change, against the compound's :class:`Registry`."""

    def __init__(self, reg: Registry, principal: Principal, compound: Unit, now: datetime):
        self.reg = reg
        self.principal = principal
        self.compound = compound
        self.now = now

    def plan(self, g: UnitRows) -> tuple[Plan, dict]:
        """What the unit's rows change, and ``{row number: (zh, en)}`` of rows that cannot
        be imported as they stand (the caller leaves them out and plans again)."""
        plan = Plan()
        problem = self._plan_unit(g, plan)
        if problem:
            return plan, {r.number: problem for r in g.rows}
        problem = self._plan_owners(g, plan)
        if problem:
            row, zh, en = problem
            return plan, {n: (zh, en) if n == row else (
                f"同一房屋第{row}行的业主有误，本房屋的业主行均未导入",
                f"the owner on row {row} of the same unit is wrong; none of the unit's "
                f"owner rows was imported") for n in g.owner_row_numbers}
        bad = {}
        for resident, row in g.residents.values():
            problem = self._plan_resident(g, plan, resident, row)
            if problem:
                bad[row.number] = problem
        return plan, bad

    def _plan_unit(self, g: UnitRows, plan: Plan):
        buildings = self.reg.buildings.get(name_key(g.building), [])
        if len(buildings) > 1:
            return (f"小区内有多个名为“{g.building}”的楼栋，无法确定",
                    f"the compound has several buildings named {g.building}")
        if not buildings and not self.principal.can_act_at(UNIT_WRITERS["building"],
                                                           self.compound.path):
            return "您的角色无权新建楼栋", "your role may not create buildings"
        units = self.reg.units.get((buildings[0]["id"], name_key(g.unit)), []) \
            if buildings else []
        if len(units) > 1:
            return (f"楼栋“{g.building}”内有多个名为“{g.unit}”的房屋，无法确定",
                    f"building {g.building} has several units named {g.unit}")
        parent_path = buildings[0]["path"] if buildings else self.compound.path
        if not units and not self.principal.can_act_at(UNIT_WRITERS["unit"], parent_path):
            return "您的角色无权新建房屋", "your role may not create units"
        plan.building_id = buildings[0]["id"] if buildings else None
        plan.unit = units[0] if units else None
        if g.areas:      # a blank area keeps what is registered
            old = plan.unit or {}
            columns = area_columns(*(g.areas.get(k, old.get(k)) for k in AREA_COLUMNS[:3]))
            if any(old.get(k) != v for k, v in columns.items()):
                plan.areas = columns
        return None

    def _plan_owners(self, g: UnitRows, plan: Plan):
        """Match the unit's owners; ``(row, zh, en)`` when one cannot be matched."""
        if not g.owners:
            return None
        current = self.reg.shares.get(plan.unit_id, [])
        for key, o in g.owners.items():
            ref = self._owner_ref(o, current, plan)
            if isinstance(ref, tuple):
                return (g.owner_rows[key][0], *ref)
            plan.owner_refs[key] = ref
        first_row = g.owner_row_numbers[0]
        known = [r for r in plan.owner_refs.values() if isinstance(r, str)]
        codes = [r.credit_code for r in plan.owner_refs.values()
                 if isinstance(r, OwnerNew) and r.credit_code]
        if len(set(known)) != len(known) or len(set(codes)) != len(codes):
            return first_row, "同一业主在本房屋重复填写", "the same owner is listed twice for the unit"
        voter = voter_of((k, o.is_voter) for k, o in g.owners.items())
        shares = [(ref, key == voter) for key, ref in plan.owner_refs.items()]
        if not any(isinstance(ref, OwnerNew) for ref, _ in shares) and \
                {(oid, v) for _, oid, v in current} == set(shares):
            return None                        # the registered owners, as given
        at = day_start(g.since) if g.since else self.now
        latest = self.reg.latest.get(plan.unit_id)
        if latest is not None and at <= latest:
            day = clock.to_local(latest).date().isoformat()
            return (first_row, f"产权登记日期须晚于该房屋现登记产权的起始日期（{day}）",
                    f"the title date must be after the registered title's start ({day})")
        plan.shares, plan.at = shares, at
        plan.changed_rows.update(g.owner_row_numbers)
        return None

    def _owner_ref(self, o: OwnerIn, current: list, plan: Plan):
        """The owner's id, an :class:`OwnerNew`, or ``(zh, en)`` why it cannot be matched."""
        reg = self.reg
        if o.kind == PERSON and o.blind is None:
            # Only an owner already registered for this unit may be named without an ID.
            named = [oid for _, oid, _ in current if reg.owners[oid]["kind"] == PERSON
                     and reg.owners[oid]["name"] == o.name]
            if len(named) == 1:
                return named[0]
            return "个人业主须填写身份证号码", "a person owner needs an ID number"
        if o.kind == PERSON:
            person = self._person(plan, o.name, o.phone, o.id_number, o.blind,
                                  self.compound.path)
            if isinstance(person, tuple):
                return person
            if isinstance(person, str) and person in reg.owner_by_person:
                return reg.owner_by_person[person]
            return OwnerNew(PERSON, o.name, None, person)
        if o.kind == ORGANISATION:
            owner_id = reg.owner_by_code.get(o.credit_code)
            if owner_id is None:
                return OwnerNew(ORGANISATION, o.name, o.credit_code)
            known = reg.owners[owner_id]
            if (known["kind"], known["name"]) != (ORGANISATION, o.name):
                return (f"该统一社会信用代码已登记为“{known['name']}”",
                        f"the credit code is registered as {known['name']}")
            return owner_id
        owner_id = reg.developer
        if owner_id is None:
            if o.credit_code and o.credit_code in reg.owner_by_code:
                return ("该统一社会信用代码已登记为其他业主",
                        "the credit code belongs to another owner")
            return OwnerNew(DEVELOPER, o.name, o.credit_code)
        known = reg.owners[owner_id]
        if known["name"] != o.name or (o.credit_code and known["credit_code"]
                                       and o.credit_code != known["credit_code"]):
            return (f"本小区的开发商已登记为“{known['name']}”",
                    f"the compound's developer is registered as {known['name']}")
        return owner_id

    def _person(self, plan: Plan, name, phone, id_number, blind, path):
        """The person with this ID number: a registered id, the one this unit already plans,
        or a new one; ``(zh, en)`` when the number is registered under another name."""
        known = self.reg.people.get(blind)
        if known is None:
            known = plan.people.get(blind)
            if known is None:
                known = plan.people[blind] = PersonNew(name, phone, id_number, path)
            if known.name != name:
                return "同一证件号码的姓名前后不一致", "the same ID number has two names"
            return known
        if known["name"] != name:
            return "该证件号码已登记为其他姓名", "the ID number is registered under another name"
        return known["id"]

    def _owner_people(self, plan: Plan) -> list:
        """``(person, name)`` of the unit's person owners once this import is done."""
        if plan.owner_refs:
            refs = list(plan.owner_refs.values())
        else:
            refs = [oid for _, oid, _ in self.reg.shares.get(plan.unit_id, [])]
        out = []
        for ref in refs:
            if isinstance(ref, OwnerNew) and ref.kind == PERSON:
                out.append((ref.person, ref.name))
            elif isinstance(ref, str) and self.reg.owners[ref]["person_id"]:
                out.append((self.reg.owners[ref]["person_id"], self.reg.owners[ref]["name"]))
        return out

    def _resident_person(self, g: UnitRows, plan: Plan, r: ResidentIn, row: Row):
        """The resident's person (id or PersonNew), or ``(zh, en)``."""
        if r.name is None:                    # this row's own person owner lives here
            ref = plan.owner_refs.get(row.owner.key)
            return ref.person if isinstance(ref, OwnerNew) else \
                self.reg.owners[ref]["person_id"]
        if r.blind:
            return self._person(plan, r.name, r.phone, r.id_number, r.blind, None)
        named = [x for x in self.reg.residents.get(plan.unit_id, []) if x["name"] == r.name]
        if len(named) > 1:
            return ("该房屋有多名同名住户，请填写住户证件号码",
                    "several residents of the unit share this name; give the ID number")
        if named:
            return named[0]["person_id"]
        if r.relation == "owner_occupier":
            owners = [p for p, name in self._owner_people(plan) if name == r.name]
            if len(owners) == 1:
                return owners[0]
        return PersonNew(r.name, r.phone, None, None)

    def _plan_resident(self, g: UnitRows, plan: Plan, r: ResidentIn, row: Row):
        person = self._resident_person(g, plan, r, row)
        if isinstance(person, tuple):
            return person
        if r.relation == "owner_occupier" and not any(
                p is person or (isinstance(p, str) and p == person)
                for p, _ in self._owner_people(plan)):
            return "业主自住的住户须是该房屋的业主", "an owner-occupier must own the unit"
        if isinstance(person, str):
            living = [x for x in self.reg.residents.get(plan.unit_id, [])
                      if x["person_id"] == person]
            if living:
                x = living[0]
                if x["relation"] == r.relation and r.moved_in in (None, x["moved_in"]):
                    return None                               # registered as given
                return ("该住户已登记（关系或入住日期不同）；如需更改，请先办理迁出",
                        "the resident is registered with another relation or date; "
                        "move them out first")
        plan.residents.append((r, person))
        plan.changed_rows.add(row.number)
        return None
