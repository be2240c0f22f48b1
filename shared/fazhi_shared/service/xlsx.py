"""The one .xlsx writer every service's exports and templates use (openpyxl underneath).

Build a workbook through :class:`Writer` and its :class:`Sheet` s — never with openpyxl
cells directly — so that every cell it writes is safe to open:

- **no formula from data** (formula or CSV injection: a resident named
  ``=HYPERLINK("http://…"&E2,"click")`` or ``=cmd|' /C calc'!A0`` in a workbook that also
  holds unmasked ID numbers): every text cell starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return is written as a string cell with Excel's quote prefix — shown
  and edited as text, never run. The value itself is unchanged, so importing an export
  reads back exactly what was written. Nothing written through this module is ever a
  formula; numbers stay numbers;
- **one bad value never breaks an export**: characters an .xlsx (XML 1.0) cannot hold —
  control characters stored before the door refused them — are written as U+FFFD
  (``\ufffd``, visible, so someone can correct the record) instead of making the whole
  export fail.

Usage::

    writer = xlsx.Writer()
    sheet = writer.sheet("房屋业主住户")
    sheet.header(["楼栋", "房号"], widths=[10, 12])
    sheet.append(["1幢", "101"])
    content = writer.to_bytes()
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# What XML 1.0 (so an .xlsx) cannot hold: C0 controls but tab, line feed and carriage
# return; lone surrogates; U+FFFE and U+FFFF.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
UNWRITABLE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")
REPLACEMENT = "\ufffd"
HEADER_FILL = "DDEBF7"


def clean_text(value: str) -> str:
    """``value`` with every character an .xlsx cannot hold replaced by U+FFFD."""
    return UNWRITABLE.sub(REPLACEMENT, value)


class Sheet:
    """One worksheet; every value goes through :meth:`put` (or :meth:`append`)."""

    def __init__(self, ws):
        self._ws = ws
        self._next = 1           # the row append writes next

    @property
    def title(self) -> str:
        return self._ws.title

    def put(self, row: int, column: int, value, number_format: str | None = None):
        """Write one cell (1-based row and column); ``None`` leaves it empty."""
        self._next = max(self._next, row + 1)
        cell = self._ws.cell(row=row, column=column)
        if value is None:
            return cell
        if isinstance(value, str):
            value = clean_text(value)
        cell.value = value
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"        # openpyxl took the leading "=" for a formula
            cell.quotePrefix = True     # and Excel keeps it text when the cell is edited
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        return cell

    def append(self, values: Iterable = (), bold: bool = False, size: int | None = None) -> int:
        """Write ``values`` on the row after the last one written (an empty row when
        there are none); returns that row's number."""
        row = self._next
        self._next += 1
        for column, value in enumerate(values, start=1):
            cell = self.put(row, column, value)
            if (bold or size) and value is not None:
                cell.font = Font(bold=bold, size=size)
        return row

    def header(self, headings: Sequence[str], widths: Sequence[int] | None = None,
               text_columns: Iterable[int] = (), freeze: bool = True) -> None:
        """Row 1: bold, shaded, wrapped headings; column widths; ``text_columns`` (1-based)
        formatted as text, so what a user types later keeps every digit."""
        for column, heading in enumerate(headings, start=1):
            cell = self.put(1, column, heading)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for column, width in enumerate(widths or (), start=1):
            self.width(column, width)
        for column in text_columns:
            self._ws.column_dimensions[get_column_letter(column)].number_format = "@"
        if freeze:
            self._ws.freeze_panes = "A2"

    def width(self, column: int, width: float) -> None:
        self._ws.column_dimensions[get_column_letter(column)].width = width

    def choices(self, column: int, options: Iterable[str], first_row: int, last_row: int,
                error: str = "请从下拉列表中选择。", title: str = "取值无效") -> None:
        """A drop-down list of ``options`` on the column's rows ``first_row``..``last_row``."""
        options = [clean_text(o).replace('"', "") for o in options]
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                            allow_blank=True, showErrorMessage=True, error=error,
                            errorTitle=title)
        letter = get_column_letter(column)
        dv.add(f"{letter}{first_row}:{letter}{last_row}")
        self._ws.add_data_validation(dv)


class Writer:
    """A new workbook; its first :meth:`sheet` takes the place of openpyxl's default one."""

    def __init__(self):
        self._wb = openpyxl.Workbook()
        self._fresh = True

    def sheet(self, title: str) -> Sheet:
        if self._fresh:
            ws, self._fresh = self._wb.active, False
            ws.title = title
        else:
            ws = self._wb.create_sheet(title)
        return Sheet(ws)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._wb.save(out)
        return out.getvalue()
