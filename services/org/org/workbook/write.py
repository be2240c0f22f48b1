"""Writing an import: each unit's plan becomes rows — units, people, owners, ownerships,
residencies, with their audit entries (``fazhi_shared.service.audit.entry``) and events
(``Outbox.row``) — collected and written in bulk with ``COPY`` inside the import's one
transaction, parents before children."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, update

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.paths import child_path
from fazhi_shared.service import audit
from fazhi_shared.service.db import bulk_insert
from fazhi_shared.service.outbox import Outbox

from org.domain.electorate import PERSON
from org.domain.names import name_key
from org.models import Owner, Ownership, Person, Residency, Unit, tables
from org.registry import area_event, ownership_event, protect_id_number
from org.workbook.plan import Plan
from org.workbook.rows import ResidentIn, UnitRows
from org.workbook.snapshot import AREA_COLUMNS, Registry

INSERT_BATCH = 2000         # rows per COPY


class Writer:
    """Collects a compound's new rows, audit entries and events; writes them in bulk."""

    TABLES = {"buildings": Unit.__table__, "units": Unit.__table__, "people": Person.__table__,
              "owners": Owner.__table__, "ownerships": Ownership.__table__,
              "residencies": Residency.__table__, "audit": tables.audit_log}
    ORDER = ("buildings", "units", "people", "owners", "ownerships", "residencies", "audit",
             "outbox")

    def __init__(self, session, outbox: Outbox, principal: Principal, compound: Unit,
                 reg: Registry, now: datetime, today: date):
        self.session = session
        self.outbox = outbox
        self.principal = principal
        self.compound = compound
        self.reg = reg
        self.now = now
        self.today = today
        self.rows = {k: [] for k in self.ORDER}
        self.area_updates: list = []
        self.closes: list = []           # (ownership ids, at)
        self.wrote = False

    def audit(self, action: str, entity: str, entity_id: str, path: str, detail: dict) -> None:
        self.rows["audit"].append(audit.entry(self.principal, action, entity, entity_id, path,
                                              detail, at=self.now))

    def emit(self, event_type: str, payload: dict, path: str) -> None:
        self.rows["outbox"].append(self.outbox.row(event_type, payload, path))

    def flush(self) -> None:
        """Write what is collected, parents before children, inside the open transaction."""
        for name in ("buildings", "units", "people", "owners"):
            self._insert(name)
        if self.area_updates:
            self.session.execute(
                update(Unit.__table__).where(Unit.__table__.c.id == bindparam("uid")),
                self.area_updates)
        for ids, at in self.closes:       # closed before new rows open: one open voter a unit
            self.session.execute(update(Ownership.__table__).where(
                Ownership.__table__.c.id.in_(ids)).values(valid_to=at))
        self.wrote = self.wrote or bool(self.area_updates or self.closes)
        self.area_updates, self.closes = [], []
        for name in ("ownerships", "residencies", "audit", "outbox"):
            self._insert(name)

    def _insert(self, name: str) -> None:
        rows = self.rows[name]
        for i in range(0, len(rows), INSERT_BATCH):
            batch = rows[i:i + INSERT_BATCH]
            if name == "outbox":
                self.outbox.emit_rows(self.session, batch)
            else:
                bulk_insert(self.session, self.TABLES[name], batch)
        self.wrote = self.wrote or bool(rows)
        self.rows[name] = []

    # -- one unit's plan -----------------------------------------------------------------
    def write(self, g: UnitRows, plan: Plan) -> None:
        """Collect what the unit's plan changes (written at the next :meth:`flush`)."""
        new_unit = plan.unit is None
        unit = self._ensure_unit(g, plan)
        if plan.areas is not None:
            self._write_areas(unit, plan, g, new_unit)
        if plan.shares is not None:
            self._write_shares(unit, plan)
        for r, person in plan.residents:
            self._write_resident(unit, self._ensure_person(person, unit["path"]), r)

    def _ensure_unit(self, g: UnitRows, plan: Plan) -> dict:
        reg = self.reg
        if plan.building_id is None:
            bid = new_id()
            path = child_path(self.compound.path, bid)
            self._new_unit_row("buildings", bid, self.compound.id, "building", g.building, path)
            reg.buildings[name_key(g.building)] = [{"id": bid, "path": path}]
            plan.building_id = bid
        if plan.unit is None:
            uid = new_id()
            path = child_path(reg.buildings[name_key(g.building)][0]["path"], uid)
            areas = plan.areas or {k: None for k in AREA_COLUMNS}
            self._new_unit_row("units", uid, plan.building_id, "unit", g.unit, path, areas)
            plan.unit = {"id": uid, "path": path, **areas}
            reg.units[(plan.building_id, name_key(g.unit))] = [plan.unit]
            plan.changed_rows.update(r.number for r in g.rows)
        return plan.unit

    def _new_unit_row(self, table, uid, parent_id, kind, name, path, areas=None) -> None:
        self.rows[table].append({
            "id": uid, "parent_id": parent_id, "kind": kind, "name": name, "path": path,
            "created_at": self.now, "updated_at": self.now,
            **{k: (areas or {}).get(k) for k in AREA_COLUMNS}})
        self.audit("unit.create", "unit", uid, path, {"name": name, "kind": kind})
        self.emit("unit.created", {"id": uid, "parent_id": parent_id, "kind": kind,
                                   "name": name, "path": path}, path)

    def _write_areas(self, unit: dict, plan: Plan, g: UnitRows, new_unit: bool) -> None:
        if not new_unit:
            before = {k: unit.get(k) for k in AREA_COLUMNS[:3]}
            self.area_updates.append({"uid": unit["id"], **plan.areas, "updated_at": self.now})
            self.audit("unit.set_area", "unit", unit["id"], unit["path"],
                       {"from": before, "to": {k: plan.areas[k] for k in before}})
            unit.update(plan.areas)
            plan.changed_rows.update(r.number for r in g.rows if r.areas)
        self.emit("unit.area_changed", area_event(unit["id"], plan.areas), unit["path"])

    def _ensure_person(self, person, unit_path: str) -> str:
        if isinstance(person, str):
            return person
        if person.id:
            return person.id
        person.id = new_id()
        path = person.path or unit_path
        row = Person(id=person.id)
        if person.id_number:
            protect_id_number(row, person.id_number)
            self.reg.people[row.id_number_blind] = {"id": person.id, "name": person.name}
        self.rows["people"].append({
            "id": person.id, "name": person.name, "phone": person.phone,
            "id_number_enc": row.id_number_enc, "id_number_blind": row.id_number_blind,
            "id_number_masked": row.id_number_masked, "gender": None, "path": path,
            "created_at": self.now, "updated_at": self.now})
        # The audit row names the fields given, never their values (PIPL).
        given = (("id_number", person.id_number), ("name", person.name),
                 ("phone", person.phone))
        self.audit("person.create", "person", person.id, path,
                   {"fields": [f for f, v in given if v]})
        self.emit("person.created", {"id": person.id, "name": person.name, "path": path}, path)
        return person.id

    def _ensure_owner(self, ref, unit_path: str) -> str:
        if isinstance(ref, str):
            return ref
        c = self.compound
        person_id = self._ensure_person(ref.person, unit_path) if ref.kind == PERSON else None
        owner_id = new_id()
        self.rows["owners"].append({
            "id": owner_id, "compound_id": c.id, "kind": ref.kind, "person_id": person_id,
            "name": ref.name, "credit_code": ref.credit_code, "path": c.path,
            "created_at": self.now})
        self.reg.add_owner(owner_id, ref.kind, ref.name, person_id, ref.credit_code)
        self.audit("owner.create", "owner", owner_id, c.path, {"kind": ref.kind})
        self.emit("owner.created", {"id": owner_id, "compound_id": c.id, "kind": ref.kind,
                                    "name": ref.name, "person_id": person_id}, c.path)
        return owner_id

    def _write_shares(self, unit: dict, plan: Plan) -> None:
        reg = self.reg
        shares = [(self._ensure_owner(ref, unit["path"]), v) for ref, v in plan.shares]
        current = reg.shares.get(unit["id"], [])
        if current:
            self.closes.append(([sid for sid, _, _ in current], plan.at))
        opened = []
        for owner_id, is_voter in shares:
            sid = new_id()
            self.rows["ownerships"].append({
                "id": sid, "unit_id": unit["id"], "owner_id": owner_id, "is_voter": is_voter,
                "valid_from": plan.at, "valid_to": None, "compound_id": self.compound.id,
                "path": unit["path"]})
            opened.append((sid, owner_id, is_voter))
        reg.shares[unit["id"]], reg.latest[unit["id"]] = opened, plan.at
        from_ids = [oid for _, oid, _ in current]
        to_ids = [oid for oid, _ in shares]
        voter = next(oid for oid, v in shares if v)
        self.audit("ownership.change", "unit", unit["id"], unit["path"],
                   {"at": clock.isoformat(plan.at), "from": sorted(from_ids),
                    "to": sorted(to_ids), "voter": voter})
        self.emit("ownership.changed", ownership_event(unit["id"], self.compound.id, plan.at,
                                                       from_ids, to_ids, voter), unit["path"])

    def _write_resident(self, unit: dict, person_id: str, r: ResidentIn) -> None:
        rid, day = new_id(), r.moved_in or self.today
        self.rows["residencies"].append({
            "id": rid, "unit_id": unit["id"], "person_id": person_id, "relation": r.relation,
            "moved_in": day, "moved_out": None, "path": unit["path"], "created_at": self.now})
        self.audit("resident.move_in", "residency", rid, unit["path"],
                   {"relation": r.relation, "moved_in": day.isoformat()})
        self.emit("resident.moved_in", {"id": rid, "unit_id": unit["id"], "person_id": person_id,
                                        "relation": r.relation, "moved_in": day.isoformat(),
                                        "moved_out": None}, unit["path"])
