"""What the web console needs from org and the gateway (issue 9), end to end through
HTTP as real logins: the five-haves coverage report as an .xlsx download."""
from __future__ import annotations

import io
import time
import uuid

import openpyxl
import pytest

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as

from gateway.testing import headers_for, make_login

SYSTEM = Principal.system()
API = "/api/v1/org"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def http(app):
    return app.test_client()


@pytest.fixture(scope="module")
def town(world, http):
    """A second street with a community and a compound; logins by role."""
    city = world.units["city"]
    other = call_as(SYSTEM, "org", "create_unit", parent_id=city["id"], kind="street",
                    name=f"别的街道{uuid.uuid4().hex[:6]}")
    return {
        "other_street": other,
        "street_admin": headers_for(http, make_login(world.units["street"]["id"],
                                                     "street_admin")),
        "other_admin": headers_for(http, make_login(other["id"], "street_admin")),
        "resident": headers_for(http, world.resident),
        "worker": headers_for(http, world.worker),
    }


# -- point 6: the coverage report as .xlsx ----------------------------------------------------
def test_the_coverage_report_downloads_as_an_xlsx(world, http, town):
    street = world.units["street"]
    r = http.get(f"{API}/units/{street['id']}/five-haves-coverage.xlsx",
                 headers=town["street_admin"])
    assert r.status_code == 200, r.get_data()[:300]
    assert r.mimetype == XLSX
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert r.headers["Cache-Control"] == "no-store"
    wb = openpyxl.load_workbook(io.BytesIO(r.get_data()))
    rows = list(wb["五有覆盖情况"].iter_rows(values_only=True))
    assert rows[1][:3] == ("清风街道", "明理社区", "和谐小区")
    # in another street's scope: 404; a resident: 403 at the door
    r = http.get(f"{API}/units/{street['id']}/five-haves-coverage.xlsx",
                 headers=town["other_admin"])
    assert r.status_code == 404
    r = http.get(f"{API}/units/{street['id']}/five-haves-coverage.xlsx",
                 headers=town["resident"])
    assert r.status_code == 403


# -- point 7: a compound's past imports ------------------------------------------------------
def test_a_compounds_past_imports_newest_first(world, http, town):
    from org.samples import xlsx

    cid = world.units["compound"]["id"]
    for name in ("一.xlsx", "二.xlsx"):
        r = http.post(f"{API}/compounds/{cid}/imports", headers=town["worker"],
                      data={"file": (io.BytesIO(xlsx([{"building": "1幢", "unit": "101室"}])),
                                     name)},
                      content_type="multipart/form-data")
        assert r.status_code == 202, r.get_json()
        job = r.get_json()
        for _ in range(400):
            job = http.get(f"{API}/imports/{job['id']}", headers=town["worker"]).get_json()
            if job["status"] != "running":
                break
            time.sleep(0.05)
    r = http.get(f"{API}/compounds/{cid}/imports?limit=1", headers=town["worker"])
    assert r.status_code == 200, r.get_json()
    page = r.get_json()
    assert [j["filename"] for j in page["items"]] == ["二.xlsx"] and page["next_cursor"]
    r = http.get(f"{API}/compounds/{cid}/imports?cursor={page['next_cursor']}",
                 headers=town["worker"])
    assert [j["filename"] for j in r.get_json()["items"]][:1] == ["一.xlsx"]
    assert http.get(f"{API}/compounds/{cid}/imports", headers=town["other_admin"]).status_code \
        == 404
    assert http.get(f"{API}/compounds/{cid}/imports", headers=town["resident"]).status_code \
        == 403
    assert http.get(f"{API}/compounds/{cid}/imports?status=done",
                    headers=town["worker"]).status_code == 422


# -- point 9: the administrator's pages --------------------------------------------------------
def test_the_operation_log_and_the_unmasked_reads(world, http, town):
    r = http.post(f"{API}/units", headers=town["worker"],
                  json={"parent_id": world.units["building"]["id"], "kind": "unit",
                        "name": f"审计{uuid.uuid4().hex[:4]}"})
    assert r.status_code == 201, r.get_json()
    unit = r.get_json()
    r = http.get(f"{API}/audit-log?action=unit.create&entity_id={unit['id']}",
                 headers=town["street_admin"])
    assert r.status_code == 200, r.get_json()
    [entry] = r.get_json()["items"]
    assert entry["actor_name"] and entry["place"][-1]["name"] == unit["name"]
    r = http.get(f"{API}/audit-log?entity_id={unit['id']}", headers=town["other_admin"])
    assert r.status_code == 200 and r.get_json()["items"] == []
    street_id = world.units["street"]["id"]
    assert http.get(f"{API}/audit-log?unit_id={street_id}",
                    headers=town["other_admin"]).status_code == 404
    for who in ("worker", "resident"):
        assert http.get(f"{API}/audit-log", headers=town[who]).status_code == 403
        assert http.get(f"{API}/unmasked-reads", headers=town[who]).status_code == 403
    auditor = headers_for(http, make_login(world.units["city"]["id"], "auditor"))
    person = call_as(SYSTEM, "org", "create_person", name="被查看者",
                     unit_id=world.units["unit"]["id"], phone="13900001234")
    admin = headers_for(http, world.admin)
    r = http.post(f"{API}/people/{person['id']}/reveal", headers=admin,
                  json={"reason": "调解需要核实"})
    assert r.status_code == 200, r.get_json()
    r = http.get(f"{API}/unmasked-reads?entity_id={person['id']}", headers=auditor)
    assert r.status_code == 200, r.get_json()
    [read] = r.get_json()["items"]
    assert read["action"] == "person.reveal" and read["detail"]["reason"] == "调解需要核实"


def test_the_login_log_and_sessions_online_with_forced_logout(world, http, town):
    worker = headers_for(http, world.worker)           # a session of its own
    assert http.get("/api/v1/me", headers=worker).status_code == 200
    wid = world.worker["id"]
    r = http.get(f"/api/v1/admin/login-log?account_id={wid}", headers=town["street_admin"])
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["items"] and r.get_json()["items"][0]["account"]["username"]
    r = http.get(f"/api/v1/admin/login-log?account_id={wid}", headers=town["other_admin"])
    assert r.status_code == 200 and r.get_json()["items"] == []
    sessions = http.get(f"/api/v1/admin/sessions?account_id={wid}",
                        headers=town["street_admin"]).get_json()["items"]
    assert sessions and all(s["account_id"] == wid for s in sessions)
    assert http.get(f"/api/v1/admin/sessions?account_id={wid}",
                    headers=town["other_admin"]).get_json()["items"] == []
    sid = sessions[0]["id"]
    assert http.delete(f"/api/v1/admin/sessions/{sid}",
                       headers=town["other_admin"]).status_code == 404
    assert http.delete(f"/api/v1/admin/sessions/{sid}",
                       headers=town["resident"]).status_code == 403
    for s in sessions:
        assert http.delete(f"/api/v1/admin/sessions/{s['id']}",
                           headers=town["street_admin"]).status_code == 204
    assert http.get("/api/v1/me", headers=worker).status_code == 401
