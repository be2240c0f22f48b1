"""What a compound holds, loaded for an import in a few batched queries and kept current
while the import writes, so every row is matched by dictionary lookups."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from org.domain.electorate import DEVELOPER
from org.domain.names import name_key
from org.models import Owner, Ownership, Person, Residency, Unit


# A unit's area columns, as ``registry.area_columns`` gives them.
AREA_COLUMNS = ("registered_area", "surveyed_area", "contract_area", "exclusive_area",
                "area_source")


def chunks(items, size: int = 1000):
    """``items`` in lists of at most ``size`` (each bound as one ``IN (…)``)."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Registry:
    """What the compound holds, loaded in a few batched queries and kept current while the
    import writes: every row is then matched by dictionary lookups."""

    def __init__(self, session, compound: Unit, blinds: set, today: date):
        # Keyed by normalised names (org.domain.names: "９幢" is "9幢"), as siblings are.
        self.buildings: dict = {}      # name key → [{id, path}]
        self.units: dict = {}          # (building id, name key) → [{id, path, areas…}]
        self.people: dict = {}         # blind index → {id, name}
        self.owners: dict = {}         # owner id → {kind, name, person_id, credit_code}
        self.owner_by_person: dict = {}
        self.owner_by_code: dict = {}
        self.developer: str | None = None
        self.shares: dict = {}         # unit id → [(ownership id, owner id, is_voter)] open
        self.latest: dict = {}         # unit id → latest valid_from
        self.residents: dict = {}      # unit id → [{person_id, name, relation, moved_in}]
        self._load_tree(session, compound)
        self._load_people(session, blinds)
        self._load_owners(session, compound)
        self._load_residents(session, today)

    def _load_tree(self, session, c: Unit) -> None:
        # Retired units are left out: a row naming one makes a new unit beside it.
        for b in session.execute(select(Unit.id, Unit.name, Unit.path).where(
                Unit.parent_id == c.id, Unit.kind == "building", Unit.retired_at.is_(None))):
            self.buildings.setdefault(name_key(b.name), []).append({"id": b.id, "path": b.path})
        self.building_ids = [b["id"] for bs in self.buildings.values() for b in bs]
        cols = [getattr(Unit, k) for k in AREA_COLUMNS]
        for chunk in chunks(self.building_ids):
            for u in session.execute(select(Unit.id, Unit.parent_id, Unit.name, Unit.path, *cols)
                                     .where(Unit.parent_id.in_(chunk),
                                            Unit.retired_at.is_(None))):
                self.units.setdefault((u.parent_id, name_key(u.name)), []).append(
                    {"id": u.id, "path": u.path, **{k: getattr(u, k) for k in AREA_COLUMNS}})

    def _load_people(self, session, blinds: set) -> None:
        for chunk in chunks(sorted(blinds)):
            for p in session.execute(select(Person.id, Person.name, Person.id_number_blind)
                                     .where(Person.id_number_blind.in_(chunk))):
                self.people[p.id_number_blind] = {"id": p.id, "name": p.name}

    def _load_owners(self, session, c: Unit) -> None:
        for o in session.execute(select(Owner).where(Owner.compound_id == c.id)).scalars():
            self.add_owner(o.id, o.kind, o.name, o.person_id, o.credit_code)
        for s in session.execute(select(Ownership.id, Ownership.unit_id, Ownership.owner_id,
                                        Ownership.is_voter).where(
                Ownership.compound_id == c.id, Ownership.valid_to.is_(None))):
            self.shares.setdefault(s.unit_id, []).append((s.id, s.owner_id, s.is_voter))
        for unit_id, latest in session.execute(
                select(Ownership.unit_id, func.max(Ownership.valid_from))
                .where(Ownership.compound_id == c.id).group_by(Ownership.unit_id)):
            self.latest[unit_id] = latest

    def _load_residents(self, session, today: date) -> None:
        for chunk in chunks(self.building_ids):
            for r in session.execute(
                    select(Residency.unit_id, Residency.person_id, Residency.relation,
                           Residency.moved_in, Person.name)
                    .join(Person, Person.id == Residency.person_id)
                    .join(Unit, Unit.id == Residency.unit_id)
                    .where(Unit.parent_id.in_(chunk),
                           or_(Residency.moved_out.is_(None), Residency.moved_out > today))):
                self.residents.setdefault(r.unit_id, []).append(
                    {"person_id": r.person_id, "name": r.name, "relation": r.relation,
                     "moved_in": r.moved_in})

    def add_owner(self, owner_id, kind, name, person_id, code) -> None:
        self.owners[owner_id] = {"kind": kind, "name": name, "person_id": person_id,
                                 "credit_code": code}
        if person_id:
            self.owner_by_person[person_id] = owner_id
        if code:
            self.owner_by_code[code] = owner_id
        if kind == DEVELOPER:
            self.developer = owner_id
