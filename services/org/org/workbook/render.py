"""Writing workbooks: the empty import template and a compound's export, in the import
layout (the export unmasks ID numbers and phones, so it is restricted and audited);
importing an export changes nothing.

The rows are read here, in the service; the .xlsx is built from them by ``sheets``. A
large export is built in the offload pool (``fazhi_shared.service.offload``), off the
event loop: openpyxl holds the GIL (~0.15 ms a cell row; 2,000 rows ~0.3 s), and built in
the service it would stop every other request meanwhile. Work that costs less than
starting a worker stays here: the template (~10 ms, built once per process) and exports
of at most ``IN_PROCESS_ROWS`` rows (~30 ms).
"""
from __future__ import annotations

import functools
import re
import time
from datetime import date

from sqlalchemy import or_, select

from fazhi_shared import clock, files
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden
from fazhi_shared.service import audit, offload, xlsx

from fazhi_org_contract.roles import WORKBOOK_EXPORTERS
from fazhi_org_contract.vocabulary import XLSX

from org import identity
from org.domain.electorate import area_to_decimal
from org.models import Owner, Ownership, Person, Residency, Unit, tables
from org.registry import AREA_FIELDS, writable
from org.units import visible_unit
from org.workbook import sheets
from org.workbook.layout import OWNER_KIND_LABELS, RELATION_LABELS
from org.workbook.snapshot import chunks


IN_PROCESS_ROWS = 200       # exports this small are built in the service (~30 ms)


@functools.lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The empty import workbook (built once per process: ~10 ms)."""
    return sheets.template_bytes()


def import_template(session, principal: Principal, data: dict) -> dict:
    content = template_bytes()
    return {**files.put_bytes(content, XLSX, "房屋业主住户导入模板.xlsx"), "rows": 0}


def _natural(name: str) -> tuple:
    # "2幢" before "10幢": digits compare as numbers.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", name) if p)


def _export_units(session, compound: Unit) -> list:
    # Retired units are left out (they are left out of imports too).
    buildings = {b.id: b.name for b in session.execute(select(Unit.id, Unit.name).where(
        Unit.parent_id == compound.id, Unit.kind == "building", Unit.retired_at.is_(None)))}
    units = []
    for chunk in chunks(list(buildings)):
        units += session.execute(select(Unit).where(
            Unit.parent_id.in_(chunk), Unit.retired_at.is_(None))).scalars().all()
    units.sort(key=lambda u: (_natural(buildings[u.parent_id]), _natural(u.name), u.id))
    return [(buildings[u.parent_id], u) for u in units]


def _export_owners(session, compound: Unit) -> dict:
    by_unit: dict = {}
    rows = session.execute(
        select(Ownership.unit_id, Ownership.is_voter, Ownership.valid_from, Owner, Person)
        .join(Owner, Owner.id == Ownership.owner_id)
        .outerjoin(Person, Person.id == Owner.person_id)
        .where(Ownership.compound_id == compound.id, Ownership.valid_to.is_(None))
        .order_by(Ownership.unit_id, Ownership.is_voter.desc(), Owner.id)).all()
    for unit_id, is_voter, since, owner, person in rows:
        code = owner.credit_code
        if person is not None:
            code = identity.decrypt(person.id_number_enc) if person.id_number_enc else None
        by_unit.setdefault(unit_id, []).append({
            "owner_kind": OWNER_KIND_LABELS[owner.kind], "owner_name": owner.name,
            "owner_id_number": code, "owner_phone": person.phone if person else None,
            "owner_is_voter": "是" if is_voter else "否",
            "owner_since": clock.to_local(since).date()})
    return by_unit


def _export_residents(session, unit_ids: list, today: date) -> dict:
    by_unit: dict = {}
    for chunk in chunks(unit_ids):
        for r, p in session.execute(
                select(Residency, Person).join(Person, Person.id == Residency.person_id)
                .where(Residency.unit_id.in_(chunk),
                       or_(Residency.moved_out.is_(None), Residency.moved_out > today))
                .order_by(Residency.unit_id, Residency.moved_in, Residency.id)):
            by_unit.setdefault(r.unit_id, []).append({
                "resident_name": p.name, "resident_relation": RELATION_LABELS[r.relation],
                "resident_id_number": identity.decrypt(p.id_number_enc)
                if p.id_number_enc else None,
                "resident_phone": p.phone, "moved_in": r.moved_in})
    return by_unit


def export_rows(session, compound: Unit) -> list[dict]:
    """The compound as workbook rows: per unit, owner i and resident i share row i."""
    units = _export_units(session, compound)
    owners = _export_owners(session, compound)
    residents = _export_residents(session, [u.id for _, u in units], clock.today_local())
    out = []
    for building, u in units:
        areas = {k: area_to_decimal(getattr(u, k)) for k in AREA_FIELDS}
        mine_o, mine_r = owners.get(u.id, []), residents.get(u.id, [])
        for i in range(max(1, len(mine_o), len(mine_r))):
            row = {"building": building, "unit": u.name, **areas}
            row.update(mine_o[i] if i < len(mine_o) else {})
            row.update(mine_r[i] if i < len(mine_r) else {})
            out.append(row)
    return out


def export_workbook(session, principal: Principal, data: dict) -> dict:
    """The compound in the import layout, ID numbers and phones unmasked (audited)."""
    compound = visible_unit(session, principal, data["compound_id"])
    if not principal.can_act_at(WORKBOOK_EXPORTERS, compound.path):
        raise Forbidden()
    writable(session, principal, compound.id, "compound", "compound_id")
    offload.prestart()          # a worker starts while the rows are read
    rows = export_rows(session, compound)
    if len(rows) <= IN_PROCESS_ROWS:
        content = sheets.export_bytes(rows)
    else:
        # In the offload pool, no longer than the caller waits (a write past its
        # deadline is not committed anyway).
        left = None if principal.deadline is None else max(principal.deadline - time.time(),
                                                            0.05)
        content = offload.run(sheets.export_bytes, rows, timeout=left)
    audit.record(session, tables.audit_log, principal, "workbook.export", "unit", compound.id,
                 compound.path, {"rows": len(rows), "fields": ["id_number", "phone"]})
    return {**files.put_bytes(content, XLSX,
                              xlsx.clean_text(f"{compound.name}-房屋业主住户.xlsx")),
            "rows": len(rows)}
