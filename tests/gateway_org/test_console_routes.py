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
