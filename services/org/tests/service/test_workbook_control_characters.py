"""Control characters and the workbook (issue 8, point 2): one control character in a
unit name used to break the compound's export for good (openpyxl refuses it: 500 every
time). They are refused at the door — by RPC and by the import, row by row — and the
export writes whatever is already stored."""
import io
import time
import zipfile

import openpyxl
import pytest
from sqlalchemy import text

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.vocabulary import XLSX
from org.samples import unit_row, xlsx
from org.workbook import KEYS, SHEET

SYSTEM = Principal.system()


def user(role, path):
    return Principal(kind="user", account_id="acc-ctl", grants=(Grant(role, path),))


def run_job(principal, compound_id, content, timeout=60):
    ref = files.put_bytes(content, XLSX, "房屋.xlsx")
    job = call_as(principal, "org", "start_import", compound_id=compound_id, file=ref)
    end = time.monotonic() + timeout
    while job["status"] == "running":
        assert time.monotonic() < end, "import did not finish"
        time.sleep(0.05)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


def with_raw(content: bytes, replacements: dict) -> bytes:
    """The workbook with placeholders replaced by raw XML (characters openpyxl would
    refuse to write, as another program may)."""
    src, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            for old, new in replacements.items():
                data = data.replace(old, new)
            dst.writestr(item, data)
    return out.getvalue()


def exported_values(worker, compound_id) -> list[dict]:
    ref = call_as(worker, "org", "export_workbook", compound_id=compound_id)
    ws = openpyxl.load_workbook(io.BytesIO(files.read_bytes(ref)))[SHEET]
    return [dict(zip(KEYS, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]


@pytest.fixture
def compound(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    return call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                   kind="compound", name=f"控制字符小区{time.monotonic_ns()}")


@pytest.fixture
def worker(tree):
    return user("community_worker", tree["communityA"]["path"])


@pytest.mark.parametrize("name", ["1\x01幢", "101\x00", "\x1b[31m红\x1b[0m", "A\x7fB", "A\x85B"])
def test_control_characters_are_refused_by_rpc(compound, worker, name):
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "create_unit", parent_id=compound["id"], kind="building",
                name=name)
    assert info.value.fields["zh"] == {"name": ["不能包含控制字符。"]}


def test_the_import_refuses_rows_with_control_characters_and_imports_the_rest(
        compound, worker):
    rows = [unit_row(i) for i in range(1, 6)]
    rows[0]["unit"] = "UNITPLACEHOLDER"            # DEL: legal in XML, not in a name
    rows[1]["owner_name"] = "OWNERPLACEHOLDER"     # a C1 control character
    rows[2]["resident_name"], rows[2]["resident_relation"] = "RESIDENTPLACEHOLDER", "租户"
    content = with_raw(xlsx(rows), {b"UNITPLACEHOLDER": b"1&#127;01",
                                    b"OWNERPLACEHOLDER": "业主\x85甲".encode(),
                                    b"RESIDENTPLACEHOLDER": b"&#x9b;31m"})
    job = run_job(worker, compound["id"], content)
    assert job["status"] == "done", job
    assert [(e["row"], e["reason_zh"]) for e in job["errors"]] == [
        (2, "第2行：房号不能包含控制字符"), (3, "第3行：业主名称不能包含控制字符"),
        (4, "第4行：住户姓名不能包含控制字符")]
    assert job["errors"][0]["reason_en"] == "Row 2: the unit contains control characters"
    assert job["imported"] == 2
    # and the compound still exports
    assert len(exported_values(worker, compound["id"])) == 2


def test_the_export_writes_names_stored_before_the_door_closed(compound, worker, org_db):
    job = run_job(worker, compound["id"], xlsx([unit_row(i) for i in range(1, 4)]))
    assert job["status"] == "done" and job["imported"] == 3, job
    with engine_for(org_db).begin() as conn:     # as written before control characters
        conn.execute(text(                        # were refused at the door
            "UPDATE units SET name = 'A' || chr(1) || 'B' || chr(27) || '[31m' "
            "WHERE parent_id IN (SELECT id FROM units WHERE parent_id = :c) "
            "AND name = (SELECT min(name) FROM units WHERE parent_id IN "
            "(SELECT id FROM units WHERE parent_id = :c))"), {"c": compound["id"]})
        conn.execute(text(
            "UPDATE owners SET name = '业主' || chr(8) WHERE compound_id = :c"),
            {"c": compound["id"]})
    for _ in range(2):          # "for good": every export, not just the first, answers
        values = exported_values(worker, compound["id"])
        assert len(values) == 3
        assert "A\ufffdB\ufffd[31m" in {v["unit"] for v in values}
        assert {v["owner_name"] for v in values if v["owner_name"]} == {"业主\ufffd"}
