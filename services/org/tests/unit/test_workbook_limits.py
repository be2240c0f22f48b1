"""What a workbook may hold, checked before any parsing (org.workbook.limits)."""
import io
import time
import zipfile

import openpyxl
import pytest

from org.workbook import HEADINGS, SHEET, limits
from org.workbook.layout import MAX_ROWS
from org.workbook.rows import FileProblem, read_rows


def workbook(rows: int, value=" ", sheets=(SHEET,)) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    for title in sheets:
        ws = wb.create_sheet(title)
        ws.append(list(HEADINGS))
        if title == SHEET:
            for _ in range(rows):
                ws.append([value] * 3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet_xml(content: bytes, transform) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            dst.writestr(info, data)
    return out.getvalue()


def test_a_sheet_at_the_limit_passes_and_one_more_row_is_refused_fast():
    limits.check(workbook(MAX_ROWS))
    too_long = workbook(MAX_ROWS + 1)      # built before the clock starts: the check is timed
    t0 = time.perf_counter()
    with pytest.raises(FileProblem) as info:
        limits.check(too_long)
    assert time.perf_counter() - t0 < 2
    assert f"超过{MAX_ROWS}行" in info.value.zh and "blank rows count" in info.value.en


def test_blank_and_empty_rows_count():
    with pytest.raises(FileProblem):
        limits.check(workbook(MAX_ROWS + 10, value=None))
    million = with_sheet_xml(workbook(0), lambda d: d.replace(
        b"</sheetData>", b"".join(b'<row r="%d"/>' % n for n in range(2, 1_000_002))
        + b"</sheetData>"))
    t0 = time.perf_counter()
    with pytest.raises(FileProblem):
        limits.check(million)
    assert time.perf_counter() - t0 < 2


def test_row_tags_are_counted_with_prefixes_and_across_pieces(monkeypatch):
    monkeypatch.setattr(limits, "CHUNK", 7)              # tags split across every piece
    xml = (b'<x:worksheet><x:sheetData><x:row r="1"><x:c/></x:row><row r="2"/>'
           b'<row>\n</row><rowBreaks/><x:rows/></x:sheetData></x:worksheet>')
    assert limits.count_rows(io.BytesIO(xml), 100) == 3
    assert limits.count_rows(io.BytesIO(b"<row/>" * 50), 10) == 11    # stops early


def test_the_import_sheet_is_the_one_counted():
    # Another sheet first, with a million rows: only the import sheet (by name) counts.
    content = with_sheet_xml(workbook(5, sheets=("说明", SHEET)), lambda d: d.replace(
        b"</sheetData>", b"".join(b'<row r="%d"/>' % n for n in range(2, 1_000_002))
        + b"</sheetData>"))
    assert limits.sheet_part(zipfile.ZipFile(io.BytesIO(content))) == "xl/worksheets/sheet2.xml"
    limits.check(content)


@pytest.mark.parametrize("content", [b"not a zip", workbook(1)[:200]])
def test_unreadable_files_are_refused(content):
    with pytest.raises(FileProblem):
        limits.check(content)


def test_a_zip_bomb_is_refused_unopened(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_BYTES", 10_000)
    with pytest.raises(FileProblem) as info:
        limits.check(workbook(2_000))
    assert "过大" in info.value.zh


def test_the_parse_stops_at_the_same_row_whatever_the_declared_dimension():
    # A false dimension (a million rows) makes no filler rows; rows past the limit stop it.
    content = with_sheet_xml(workbook(3, value="x"), lambda d: d.replace(
        b"<sheetData>", b'<dimension ref="A1:C1000000"/><sheetData>'))
    assert [n for n, _ in read_rows(content)] == [2, 3, 4]
    late = with_sheet_xml(workbook(0), lambda d: d.replace(
        b"</sheetData>", b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>9</t></is></c></row>'
        % (MAX_ROWS + 2, MAX_ROWS + 2) + b"</sheetData>"))
    with pytest.raises(FileProblem):
        read_rows(late)
