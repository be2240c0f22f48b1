"""Writing workbooks: the empty import template and a compound's export, in the import
layout (the export unmasks ID numbers and phones, so it is restricted and audited);
importing an export changes nothing."""
from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import or_, select

from fazhi_shared import clock, files
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden
from fazhi_shared.service import audit

from fazhi_org_contract.roles import WORKBOOK_EXPORTERS
from fazhi_org_contract.vocabulary import XLSX

from org import identity
from org.domain.electorate import area_to_decimal
from org.models import Owner, Ownership, Person, Residency, Unit, tables
from org.registry import AREA_FIELDS, writable
from org.units import visible_unit
from org.workbook.layout import (COLUMNS, GENERAL_NOTES, HEADINGS, KEYS, MAX_ROWS, NOTES_SHEET,
                                 OWNER_KIND_LABELS, OWNER_KINDS_ZH, RELATION_LABELS,
                                 RELATIONS_ZH, SHEET, YES_NO)
from org.workbook.snapshot import chunks


def _sheet(wb) -> object:
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADINGS))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = col.width
        if col.as_text:     # cells typed later by the user keep every digit
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    for key, choices in (("owner_kind", OWNER_KINDS_ZH), ("owner_is_voter", YES_NO),
                         ("resident_relation", RELATIONS_ZH)):
        letter = ws.cell(row=1, column=KEYS.index(key) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                            allow_blank=True, showErrorMessage=True,
                            error="请从下拉列表中选择。", errorTitle="取值无效")
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
    return ws


def _notes(wb) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    ws.append(["填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in GENERAL_NOTES:
        ws.append([line])
    ws.append([])
    ws.append(["列名", "是否必填", "说明", "示例"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for col in COLUMNS:
        ws.append([col.heading, col.need, col.note, col.example])
    for letter, width in (("A", 30), ("B", 10), ("C", 80), ("D", 22)):
        ws.column_dimensions[letter].width = width


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_bytes() -> bytes:
    wb = openpyxl.Workbook()
    _sheet(wb)
    _notes(wb)
    return _save(wb)


def import_template(session, principal: Principal, data: dict) -> dict:
    content = template_bytes()
    return {**files.put_bytes(content, XLSX, "房屋业主住户导入模板.xlsx"), "rows": 0}


def _natural(name: str) -> tuple:
    # "2幢" before "10幢": digits compare as numbers.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", name) if p)


def _export_units(session, compound: Unit) -> list:
    buildings = {b.id: b.name for b in session.execute(select(Unit.id, Unit.name).where(
        Unit.parent_id == compound.id, Unit.kind == "building"))}
    units = []
    for chunk in chunks(list(buildings)):
        units += session.execute(select(Unit).where(Unit.parent_id.in_(chunk))).scalars().all()
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
    rows = export_rows(session, compound)
    wb = openpyxl.Workbook()
    ws = _sheet(wb)
    _notes(wb)
    text_cols = {c.key for c in COLUMNS if c.as_text}
    for n, row in enumerate(rows, start=2):
        for i, key in enumerate(KEYS, start=1):
            value = row.get(key)
            if value is None:
                continue
            cell = ws.cell(row=n, column=i, value=value)
            if key in text_cols:
                cell.number_format = "@"
            elif key.endswith("_area"):
                cell.number_format = "0.00"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    audit.record(session, tables.audit_log, principal, "workbook.export", "unit", compound.id,
                 compound.path, {"rows": len(rows), "fields": ["id_number", "phone"]})
    return {**files.put_bytes(_save(wb), XLSX, f"{compound.name}-房屋业主住户.xlsx"),
            "rows": len(rows)}
