"""The workbook's CPU-bound work goes through the offload helper (issue 8, point 4), on the
real broker and database with org in process: a parse past the pool's time limit fails
its job with a clear reason and writes nothing; a workbook over the row limit is refused
at the door; large exports are built in a worker process."""
import io
import time

import openpyxl
import pytest
from sqlalchemy import text

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.service import offload
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.vocabulary import XLSX
from org.samples import unit_row, xlsx
from org.workbook import HEADINGS, SHEET
from org.workbook.layout import MAX_ROWS

SYSTEM = Principal.system()


def worker(tree):
    return Principal(kind="user", account_id="acc-offload",
                     grants=(Grant("community_worker", tree["communityA"]["path"]),))


def compound(tree, name):
    return call_as(SYSTEM, "org", "create_unit", parent_id=tree["communityA"]["id"],
                   kind="compound", name=name)


def finished(principal, job, timeout=120):
    end = time.monotonic() + timeout
    while job["status"] == "running":
        assert time.monotonic() < end, "the import did not end"
        time.sleep(0.1)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


def test_a_parse_past_the_time_limit_fails_its_job_and_writes_nothing(tree, org_db, monkeypatch):
    cpd = compound(tree, "超时小区")
    monkeypatch.setenv("FAZHI_OFFLOAD_TASK_SECONDS", "0.05")    # read at each task
    job = call_as(worker(tree), "org", "start_import", compound_id=cpd["id"],
                  file=files.put_bytes(xlsx([unit_row(i) for i in range(3000)]), XLSX, "x.xlsx"))
    job = finished(worker(tree), job)
    assert job["status"] == "failed"
    [error] = job["errors"]
    assert "处理时间过长" in error["reason_zh"] and "未写入任何数据" in error["reason_zh"]
    assert "too long" in error["reason_en"]
    with engine_for(org_db).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM units WHERE parent_id = :c"),
                            {"c": cpd["id"]}).scalar() == 0
    monkeypatch.delenv("FAZHI_OFFLOAD_TASK_SECONDS")
    again = finished(worker(tree), call_as(worker(tree), "org", "start_import",
                                           compound_id=cpd["id"],
                                           file=files.put_bytes(xlsx([unit_row(0)]), XLSX,
                                                                "y.xlsx")))
    assert again["status"] == "done" and again["imported"] == 1    # a fresh worker


def test_a_sheet_over_the_row_limit_is_refused_at_the_door(tree):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append(list(HEADINGS))
    for _ in range(MAX_ROWS + 1):
        ws.append([None, None])
    out = io.BytesIO()
    wb.save(out)
    t0 = time.monotonic()
    with pytest.raises(ValidationFailed) as info:
        call_as(worker(tree), "org", "start_import", compound_id=compound(tree, "超限小区")["id"],
                file=files.put_bytes(out.getvalue(), XLSX, "z.xlsx"))
    assert time.monotonic() - t0 < 5
    assert f"超过{MAX_ROWS}行" in info.value.fields["zh"]["file"][0]


def test_imports_parse_and_large_exports_render_in_the_pool(tree, monkeypatch):
    offloaded = []
    real_run = offload.run

    def spy(fn, *args, **kwargs):
        offloaded.append(f"{fn.__module__}.{fn.__name__}")
        return real_run(fn, *args, **kwargs)

    monkeypatch.setattr(offload, "run", spy)
    cpd = compound(tree, "导出小区")
    job = finished(worker(tree), call_as(
        worker(tree), "org", "start_import", compound_id=cpd["id"],
        file=files.put_bytes(xlsx([unit_row(i) for i in range(300)]), XLSX, "e.xlsx")))
    assert job["status"] == "done", job["errors"]
    assert offloaded == ["org.workbook.rows.parse_workbook"]
    out = call_as(worker(tree), "org", "export_workbook", compound_id=cpd["id"])
    assert out["rows"] == 300
    assert offloaded[-1] == "org.workbook.sheets.export_bytes"
    ws = openpyxl.load_workbook(io.BytesIO(files.read_bytes(out)), read_only=True)[SHEET]
    assert sum(1 for _ in ws.iter_rows(min_row=2)) == 300
