"""A compound's past imports (issue 9, point 7): newest first, a page at a time, each with
its file, status, counts and who started it (by name); for the registry's readers in
scope."""
import time
import uuid

import pytest

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.vocabulary import XLSX
from org.samples import xlsx

SYSTEM = Principal.system()


def run(principal, compound_id, rows, filename):
    job = call_as(principal, "org", "start_import", compound_id=compound_id,
                  file=files.put_bytes(xlsx(rows), XLSX, filename))
    end = time.monotonic() + 60
    while job["status"] == "running":
        assert time.monotonic() < end
        time.sleep(0.05)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


@pytest.fixture(scope="module")
def history(tree):
    tag = uuid.uuid4().hex[:6]
    cpd = call_as(SYSTEM, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"导入记录小区{tag}")
    other = call_as(SYSTEM, "org", "create_unit", parent_id=tree["communityA"]["id"],
                    kind="compound", name=f"别的小区{tag}")
    person = call_as(SYSTEM, "org", "create_person", name="王导入", unit_id=cpd["id"])
    account = call_as(SYSTEM, "org", "create_account", username=f"importer_{tag}",
                      password="long-password-1", person_id=person["id"])
    worker = Principal(kind="user", account_id=account["id"], person_id=person["id"],
                       grants=(Grant("community_worker", tree["communityA"]["path"]),))
    jobs = [run(worker, cpd["id"], [{"building": "1幢", "unit": "101"}], "第一次.xlsx"),
            run(worker, cpd["id"], [{"building": "1幢", "unit": "102"},
                                    {"building": "1幢", "unit": "103",
                                     "registered_area": "不是数字"}], "第二次.xlsx"),
            run(worker, cpd["id"], [{"building": "1幢", "unit": "101"}], "第三次.xlsx")]
    run(worker, other["id"], [{"building": "9幢", "unit": "901"}], "别的.xlsx")
    return {"compound": cpd, "worker": worker, "jobs": jobs}


def pages(principal, compound_id, limit):
    out, cursor = [], None
    while True:
        page = call_as(principal, "org", "list_imports", compound_id=compound_id, limit=limit,
                       cursor=cursor)
        out.append(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return out


def test_the_imports_newest_first_with_counts_and_who(history):
    h = history
    [page] = pages(h["worker"], h["compound"]["id"], 50)
    assert [j["filename"] for j in page] == ["第三次.xlsx", "第二次.xlsx", "第一次.xlsx"]
    assert [j["id"] for j in page] == [j["id"] for j in reversed(h["jobs"])]
    third, second, first = page
    assert (first["status"], first["imported"], first["error_rows"]) == ("done", 1, 0)
    assert (second["imported"], second["error_rows"]) == (1, 1)
    assert (third["imported"], third["unchanged"]) == (0, 1)
    assert all(j["created_by_name"] == "王导入" for j in page)
    assert all(j["created_by"] == h["worker"].account_id for j in page)
    assert "errors" not in first               # the row errors are on GET /imports/<id>


def test_a_page_at_a_time(history):
    h = history
    got = pages(h["worker"], h["compound"]["id"], 2)
    assert [len(p) for p in got] == [2, 1]
    assert [j["filename"] for p in got for j in p] == ["第三次.xlsx", "第二次.xlsx",
                                                       "第一次.xlsx"]


def test_readers_in_scope_only(history, tree):
    h = history
    for principal in (Principal(kind="user", account_id=None,
                                grants=(Grant("community_worker", tree["communityB"]["path"]),)),
                      Principal(kind="user", account_id=None,
                                grants=(Grant("resident", tree["unitA"]["path"]),))):
        with pytest.raises(NotFound):
            call_as(principal, "org", "list_imports", compound_id=h["compound"]["id"])
