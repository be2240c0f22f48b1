"""The workbook's bytes, from plain data (pure): the empty import template and an export
of rows that ``render`` read from the database.

Building an .xlsx is CPU-bound work that holds the GIL (openpyxl), so ``render`` runs
these functions in the offload pool (``fazhi_shared.service.offload``), in a worker
process: their arguments and results are plain, picklable data, and this module imports
no database or service code, so a worker starts quickly. Written through the shared
.xlsx writer (``fazhi_shared.service.xlsx``), so no stored value can break an export and
none is ever written as a formula.
"""
from __future__ import annotations

from fazhi_shared.service import xlsx

from org.workbook.layout import (COLUMNS, GENERAL_NOTES, HEADINGS, KEYS, MAX_ROWS, NOTES_SHEET,
                                 OWNER_KINDS_ZH, RELATIONS_ZH, SHEET, YES_NO)


def _sheet(writer: xlsx.Writer) -> xlsx.Sheet:
    sheet = writer.sheet(SHEET)
    # Cells typed later by the user in ID-number and phone columns keep every digit.
    sheet.header(HEADINGS, widths=[c.width for c in COLUMNS],
                 text_columns=[i for i, c in enumerate(COLUMNS, start=1) if c.as_text])
    for key, choices in (("owner_kind", OWNER_KINDS_ZH), ("owner_is_voter", YES_NO),
                         ("resident_relation", RELATIONS_ZH)):
        sheet.choices(KEYS.index(key) + 1, choices, 2, MAX_ROWS + 1)
    return sheet


def _notes(writer: xlsx.Writer) -> None:
    sheet = writer.sheet(NOTES_SHEET)
    sheet.append(["填写说明"], bold=True, size=14)
    for line in GENERAL_NOTES:
        sheet.append([line])
    sheet.append([])
    sheet.append(["列名", "是否必填", "说明", "示例"], bold=True)
    for col in COLUMNS:
        sheet.append([col.heading, col.need, col.note, col.example])
    for column, width in enumerate((30, 10, 80, 22), start=1):
        sheet.width(column, width)


def template_bytes() -> bytes:
    """The empty import workbook with its 说明 (instructions) sheet."""
    writer = xlsx.Writer()
    _sheet(writer)
    _notes(writer)
    return writer.to_bytes()


def export_bytes(rows: list[dict]) -> bytes:
    """``rows`` (by column key, as ``render.export_rows`` gives them) in the import
    layout: ID numbers and phones as text, areas with two decimals."""
    writer = xlsx.Writer()
    sheet = _sheet(writer)
    _notes(writer)
    text_cols = {c.key for c in COLUMNS if c.as_text}
    for n, row in enumerate(rows, start=2):
        for i, key in enumerate(KEYS, start=1):
            value = row.get(key)
            if value is None:
                continue
            if key in text_cols:
                sheet.put(n, i, value, "@")
            elif key.endswith("_area"):
                sheet.put(n, i, value, "0.00")
            else:
                sheet.put(n, i, value)
    return writer.to_bytes()
