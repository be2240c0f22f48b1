"""Workbook import and export over the real broker and database: a 2,000-unit workbook
with 3 bad rows, re-import changing nothing, progress, an interrupted import writing
nothing, export → re-import, the template."""
import io
import time
from datetime import date, datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import text

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

from org import workbook
from org.samples import (BAD_ROWS, DEVELOPER, TRIPLE_OWNER_ID, area_of, big_rows,
                         unit_row, xlsx)
from fazhi_org_contract.vocabulary import XLSX
from org.workbook import HEADINGS, KEYS

SYSTEM = Principal.system()
UTC = timezone.utc
# Tables whose every row is compared before/after (the outbox and audit log are counted:
# the relay marks outbox rows published meanwhile).
HASHED = ("units", "people", "owners", "ownerships", "residencies")


def user(role, path, account_id=None):
    return Principal(kind="user", account_id=account_id, grants=(Grant(role, path),))


def stored(content: bytes, filename: str = "房屋.xlsx") -> dict:
    """Put an upload into the shared file store, as the gateway does; its reference."""
    return files.put_bytes(content, XLSX, filename)


def snapshot(org_db) -> dict:
    """Row counts of every table but import_jobs, and a hash of every registry row."""
    with engine_for(org_db).connect() as conn:
        names = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT IN ('import_jobs', 'alembic_version')")).scalars().all()
        out = {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}
        for n in HASHED:
            out[f"{n}#"] = conn.execute(text(
                f'SELECT md5(string_agg(t::text, \',\' ORDER BY t::text)) FROM "{n}" t')).scalar()
    return out


def run_job(principal, compound_id, content, filename="房屋.xlsx", timeout=120):
    """Start an import and poll it to the end; returns (job, progress values seen)."""
    job = call_as(principal, "org", "start_import", compound_id=compound_id,
                  file=stored(content, filename))
    assert job["status"] == "running"
    seen, end = [], time.monotonic() + timeout
    while job["status"] == "running":
        assert time.monotonic() < end, "import did not finish"
        time.sleep(0.02)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
        seen.append((job["processed_rows"], job["total_rows"]))
    return job, seen


def new_compound(tree, name):
    admin = user("street_admin", tree["streetA"]["path"])
    return call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                   kind="compound", name=name)


# -- the 2,000-unit workbook ----------------------------------------------------------------
@pytest.fixture(scope="module")
def big(tree, org_db):
    """A compound imported from the 2,000-unit workbook (the first import)."""
    cpd = new_compound(tree, "两千户小区")
    worker = user("community_worker", tree["communityA"]["path"], "acc-importer")
    content = xlsx(big_rows())
    started = time.monotonic()
    job, seen = run_job(worker, cpd["id"], content, "两千户.xlsx")
    return {"compound": cpd, "worker": worker, "content": content, "job": job, "seen": seen,
            "seconds": time.monotonic() - started}


def test_2000_units_with_3_bad_rows(big, org_db):
    job = big["job"]
    print(f"\n2,000-row import took {big['seconds']:.2f} s")
    assert big["seconds"] < 60
    assert job["status"] == "done", job["errors"]
    assert (job["total_rows"], job["processed_rows"]) == (2000, 2000)
    assert job["imported"] == 1997 and job["unchanged"] == 0
    assert {e["row"]: e["reason_zh"] for e in job["errors"]} == BAD_ROWS
    assert all(e["reason_en"].startswith(f"Row {e['row']}: ") for e in job["errors"])
    cpd = big["compound"]
    [n_units] = [r[0] for r in _q(org_db, "SELECT count(*) FROM units WHERE kind = 'unit' "
                                          "AND path LIKE :p", p=cpd["path"] + "/%")]
    assert n_units == 1997
    # ID numbers are stored encrypted, never in clear
    assert not _q(org_db, "SELECT id FROM people WHERE encode(id_number_enc, 'escape') "
                          "LIKE :n", n=f"%{TRIPLE_OWNER_ID}%")
    # every unit, owner, ownership and residency went out as an event
    assert _count_events(org_db, "org.ownership.changed", cpd["id"]) == 1997
    # (the compound itself, 20 buildings, 1,997 units)
    assert _count_events(org_db, "org.unit.created", cpd["path"]) == 1 + 20 + 1997


def test_progress_was_visible_while_running(big):
    seen = big["seen"]
    assert any(0 < done < total for done, total in seen), seen[:20]
    done = [d for d, _ in seen]
    assert done == sorted(done)          # progress only moves forward


def test_electorate_of_the_imported_compound(big):
    cpd, rows = big["compound"], big_rows()
    good = [r for n, r in enumerate(rows, start=2) if n not in BAD_ROWS]
    result = call_as(SYSTEM, "org", "electorate", compound_id=cpd["id"])
    by_name = {e["name"]: e for e in result["owners"]}
    # the owner of three units appears once with the sum of their areas
    triple = by_name["三套业主"]
    assert len(triple["unit_ids"]) == 3 and triple["heads"] == 1
    assert triple["area"] == sum(area_of(r) for r in good[:3])
    assert [e["name"] for e in result["owners"]].count("三套业主") == 1
    # the developer's units count once
    dev = by_name[DEVELOPER]
    dev_rows = [r for r in good if r["owner_kind"] == "开发商"]
    assert len(dev["unit_ids"]) == len(dev_rows) and dev["area"] == sum(map(area_of, dev_rows))
    people = {r["owner_id_number"] for r in good if r["owner_kind"] == "个人"}
    assert result["total_owners"] == len(people) + 1
    assert result["total_area"] == sum(area_of(r) for r in good)


def test_reimporting_the_same_workbook_changes_nothing(big, org_db):
    before = snapshot(org_db)
    job, _ = run_job(big["worker"], big["compound"]["id"], big["content"])
    assert job["status"] == "done"
    assert job["imported"] == 0 and job["unchanged"] == 1997
    assert {e["row"]: e["reason_zh"] for e in job["errors"]} == BAD_ROWS
    assert snapshot(org_db) == before


def test_export_then_reimport_changes_nothing(big, org_db):
    cpd, worker = big["compound"], big["worker"]
    exported = call_as(worker, "org", "export_workbook", compound_id=cpd["id"])
    assert exported["rows"] == 1997 and exported["filename"].endswith(".xlsx")
    content = files.read_bytes(exported)
    ws = openpyxl.load_workbook(io.BytesIO(content))[workbook.SHEET]
    assert tuple(c.value for c in ws[1]) == HEADINGS
    values = [dict(zip(KEYS, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    triple = [v for v in values if v["owner_id_number"] == TRIPLE_OWNER_ID]
    assert len(triple) == 3 and triple[0]["owner_is_voter"] == "是"
    before = snapshot(org_db)
    job, _ = run_job(worker, cpd["id"], content, exported["filename"])
    assert job["status"] == "done" and job["errors"] == []
    assert job["imported"] == 0 and job["unchanged"] == 1997
    assert snapshot(org_db) == before
    # the export is an audited read of ID numbers and phones
    [audit] = _q(org_db, "SELECT detail FROM audit_log WHERE action = 'workbook.export' "
                         "AND entity_id = :i", i=cpd["id"])
    assert audit[0]["rows"] == 1997


def test_export_is_for_roles_that_may_see_id_numbers(big, tree):
    with pytest.raises(Forbidden):
        call_as(user("property_staff", big["compound"]["path"]), "org", "export_workbook",
                compound_id=big["compound"]["id"])
    with pytest.raises(NotFound):
        call_as(user("community_worker", tree["communityB"]["path"]), "org", "export_workbook",
                compound_id=big["compound"]["id"])


def _q(org_db, sql, **params):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text(sql), params).all()


def _count_events(org_db, event_type, needle):
    return _q(org_db, "SELECT count(*) FROM outbox WHERE event_type = :t "
                      "AND envelope::text LIKE :n", t=event_type, n=f"%{needle}%")[0][0]


# -- a small workbook: co-owners, residents, unit-level problems, a dated change ------------
def test_co_owners_residents_and_unit_level_problems(tree, org_db):
    cpd = new_compound(tree, "小工作簿小区")
    worker = user("community_worker", tree["communityA"]["path"])
    rows = [
        # row 2-3: one unit, husband and wife co-own it, the wife votes; both live there
        {"building": "1幢", "unit": "101", "registered_area": "89.35", "owner_kind": "个人",
         "owner_name": "钱夫", "owner_id_number": "321283198001010010", "owner_is_voter": "否",
         "owner_since": "2020-05-01", "resident_relation": "业主自住"},
        {"building": "1幢", "unit": "101", "owner_kind": "个人", "owner_name": "钱妻",
         "owner_id_number": "321283198001010029", "owner_is_voter": "是",
         "resident_relation": "业主自住", "resident_name": "钱妻"},
        # row 4: a family member of that unit, on a row of its own
        {"building": "1幢", "unit": "101", "resident_name": "钱小", "resident_relation": "家庭成员"},
        # rows 5-6: co-owners naming no voter → both owner rows are reported
        {"building": "1幢", "unit": "102", "registered_area": "70", "owner_kind": "个人",
         "owner_name": "孙甲", "owner_id_number": "321283198001010037"},
        {"building": "1幢", "unit": "102", "owner_kind": "个人", "owner_name": "孙乙",
         "owner_id_number": "321283198001010045"},
        # row 7: the same unit's area written differently → reported
        {"building": "1幢", "unit": "102", "registered_area": "71"},
        # row 8: an organisation owner with a tenant
        {"building": "2幢", "unit": "201", "surveyed_area": "120.5", "owner_kind": "单位",
         "owner_name": "某某物流有限公司", "owner_id_number": "91320000MA1XXXXX0A",
         "owner_since": "2021-01-01", "resident_name": "周租客", "resident_relation": "租户", "resident_phone": "13900001111"},
        # row 9: an owner-occupier who is not an owner → reported
        {"building": "2幢", "unit": "202", "resident_name": "冒充", "resident_relation": "业主自住"},
        # row 10: too many decimals
        {"building": "2幢", "unit": "203", "registered_area": "12.345"},
    ]
    job, _ = run_job(worker, cpd["id"], xlsx(rows))
    assert job["status"] == "done"
    reasons = {e["row"]: e["reason_zh"] for e in job["errors"]}
    assert reasons == {
        5: "第5行：共有人须指定一名投票人。（本房屋的业主行均未导入）",
        6: "第6行：共有人须指定一名投票人。（本房屋的业主行均未导入）",
        7: "第7行：登记面积与第5行不一致",
        9: "第9行：业主自住的住户须是该房屋的业主",
        10: "第10行：登记面积最多两位小数"}
    assert job["imported"] == 4 and job["unchanged"] == 0
    result = call_as(SYSTEM, "org", "electorate", compound_id=cpd["id"])
    assert {(e["name"], e["area"]) for e in result["owners"]} == {("钱妻", 8935),
                                                                 ("某某物流有限公司", 12050)}
    # units 102, 202 and 203 had only bad rows: they were not created
    units = {u["name"]: u for u in _walk_units(worker, cpd["id"])}
    assert set(units) == {"101", "201"} and result["units_without_owner"] == []
    residents = call_as(worker, "org", "list_residents", unit_id=units["101"]["id"])["items"]
    assert {(r["name"], r["relation"]) for r in residents} == {
        ("钱夫", "owner_occupier"), ("钱妻", "owner_occupier"), ("钱小", "family_member")}

    # The same workbook again changes nothing; then the wife sells to the organisation on
    # a given date: the electorate before that date is unchanged.
    before = snapshot(org_db)
    again, _ = run_job(worker, cpd["id"], xlsx(rows))
    assert again["imported"] == 0 and again["unchanged"] == 4
    assert snapshot(org_db) == before
    sale_day = date.today() - timedelta(days=3)
    sold = [{"building": "1幢", "unit": "101", "owner_kind": "单位", "owner_name": "某某物流有限公司",
             "owner_id_number": "91320000MA1XXXXX0A", "owner_since": sale_day.isoformat()}]
    job, _ = run_job(worker, cpd["id"], xlsx(sold))
    assert job["imported"] == 1 and job["errors"] == []
    earlier = datetime.now(UTC) - timedelta(days=5)
    then = call_as(SYSTEM, "org", "electorate", compound_id=cpd["id"], as_of=earlier.isoformat())
    assert {(e["name"], e["area"]) for e in then["owners"]} == {("钱妻", 8935),
                                                               ("某某物流有限公司", 12050)}
    now = call_as(SYSTEM, "org", "electorate", compound_id=cpd["id"])
    assert [(e["name"], e["area"]) for e in now["owners"]] == [("某某物流有限公司", 8935 + 12050)]
    # a title date before the registered one is refused for the unit's owner rows
    late = [{**sold[0], "owner_kind": "个人", "owner_name": "钱夫",
             "owner_id_number": "321283198001010010",
             "owner_since": (sale_day - timedelta(days=1)).isoformat()}]
    job, _ = run_job(worker, cpd["id"], xlsx(late))
    [error] = job["errors"]
    assert error["row"] == 2 and "产权登记日期须晚于" in error["reason_zh"]


def _walk_units(principal, compound_id):
    buildings = call_as(principal, "org", "list_units", parent_id=compound_id)["items"]
    out = []
    for b in buildings:
        out += call_as(principal, "org", "list_units", parent_id=b["id"], limit=200)["items"]
    return out


# -- an interrupted import writes nothing ---------------------------------------------------
def test_interrupted_import_leaves_no_data(tree, org_db, monkeypatch):
    cpd = new_compound(tree, "中断小区")
    worker = user("community_worker", tree["communityA"]["path"])
    calls = []
    real = workbook.Progress.report

    def crash_midway(self, processed, total):
        calls.append(processed)
        if len(calls) == 5:          # 300+ rows already written in the open transaction
            raise RuntimeError("simulated crash")
        real(self, processed, total)

    monkeypatch.setattr(workbook.Progress, "report", crash_midway)
    before = snapshot(org_db)
    job, _ = run_job(worker, cpd["id"], xlsx([unit_row(i) for i in range(1000)]))
    assert job["status"] == "failed" and calls[-1] >= 300
    assert job["errors"][0]["row"] is None and "未写入任何数据" in job["errors"][0]["reason_zh"]
    assert snapshot(org_db) == before
    assert call_as(worker, "org", "list_units", parent_id=cpd["id"])["items"] == []


# -- checks before and around the import ------------------------------------------------------
def test_start_import_checks_the_file_and_the_caller(tree, monkeypatch):
    cpd = new_compound(tree, "检查小区")
    worker = user("community_worker", tree["communityA"]["path"])
    gone = {**stored(b"x"), "address": "sha256:" + "0" * 64}
    for bad in (stored(b"plain text, not a workbook"), gone, {"address": "nope"}):
        with pytest.raises(ValidationFailed) as info:
            call_as(worker, "org", "start_import", compound_id=cpd["id"], file=bad)
        assert list(info.value.fields["zh"]) and all(
            f.startswith("file") for f in info.value.fields["zh"]), info.value.fields
    monkeypatch.setattr(workbook.jobs, "MAX_BYTES", 1000)
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "start_import", compound_id=cpd["id"],
                file=stored(xlsx([]) + b"\0" * 1000))
    assert info.value.fields["zh"]["file"] == ["文件不能超过 10 MB。"]
    with pytest.raises(Forbidden):
        call_as(user("grid_worker", tree["communityA"]["path"]), "org", "start_import",
                compound_id=cpd["id"], file=stored(b"x"))
    with pytest.raises(NotFound):
        call_as(user("community_worker", tree["communityB"]["path"]), "org", "start_import",
                compound_id=cpd["id"], file=stored(b"x"))


def test_whole_file_problems_and_role_limits(tree, org_db):
    cpd = new_compound(tree, "表头小区")
    worker = user("community_worker", tree["communityA"]["path"])
    job, _ = run_job(worker, cpd["id"], xlsx([{"building": "1幢"}], headings=("楼号", "房间")))
    assert job["status"] == "failed"
    assert job["errors"] == [{"row": None, "reason_zh": "第1行缺少列：楼栋、房号（请使用模板）。",
                              "reason_en": "Row 1 lacks the column(s) 楼栋, 房号; use the template."}]
    # property staff may import into registered units but not create buildings
    property_staff = user("property_staff", cpd["path"])
    job, _ = run_job(property_staff, cpd["id"], xlsx([{"building": "9幢", "unit": "901"}]))
    assert [e["reason_zh"] for e in job["errors"]] == ["第2行：您的角色无权新建楼栋"]
    job, _ = run_job(worker, cpd["id"], xlsx([{"building": "9幢", "unit": "901"}]))
    assert job["imported"] == 1
    job, _ = run_job(property_staff, cpd["id"], xlsx([{"building": "9幢", "unit": "901",
                                                       "registered_area": "66.6"}]))
    assert job["imported"] == 1 and job["errors"] == []


def test_one_import_per_compound_at_a_time(tree, org_db):
    cpd = new_compound(tree, "并发小区")
    worker = user("community_worker", tree["communityA"]["path"])
    content = xlsx([unit_row(i) for i in range(600)])
    first = call_as(worker, "org", "start_import", compound_id=cpd["id"],
                    file=stored(content, "a.xlsx"))
    with pytest.raises(Conflict):
        call_as(worker, "org", "start_import", compound_id=cpd["id"],
                file=stored(content, "b.xlsx"))
    end = time.monotonic() + 60
    while call_as(worker, "org", "get_import", job_id=first["id"])["status"] == "running":
        assert time.monotonic() < end
        time.sleep(0.05)


def test_template_downloads_with_chinese_headings_and_notes(tree):
    worker = user("community_worker", tree["communityA"]["path"])
    t = call_as(worker, "org", "import_template")
    assert t["filename"].endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(files.read_bytes(t)))
    assert wb.sheetnames == [workbook.SHEET, "说明"]
    headings = [c.value for c in wb[workbook.SHEET][1]]
    assert headings == list(HEADINGS)
    for needed in ("楼栋", "房号", "登记面积(㎡)", "测绘面积(㎡)", "合同面积(㎡)",
                   "业主类型(个人/单位/开发商)", "业主证件号码", "住户姓名", "入住日期"):
        assert needed in headings
    notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "共有人" in notes and "开发商" in notes and "重复导入" in notes
    assert all(h in notes for h in HEADINGS)
    # the empty template imports as nothing at all
    cpd = new_compound(tree, "模板小区")
    job, _ = run_job(worker, cpd["id"], files.read_bytes(t))
    assert job["status"] == "done" and job["total_rows"] == 0
