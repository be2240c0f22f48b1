"""The registry routes end to end, through HTTP as real logins: a 2,000-unit workbook
uploaded (3 bad rows) and imported in the background, re-imported changing nothing, the
electorate (an owner of 3 units once, a sale after T leaving the electorate as of T as it
was), areas, owners, transfers, residents, the template and export downloads, and the
gateway's gates: 403 for an undeclared role, 404 outside scope, 422 naming the field."""
from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import openpyxl
import pytest

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.service.testing import call_as

from gateway.testing import headers_for
from gateway.testing import make_login as _make_login
from org.samples import (BAD_ROWS, DEVELOPER, TRIPLE_OWNER_ID, area_of, big_rows,
                         xlsx)
from org.workbook import HEADINGS, KEYS, NOTES_SHEET, SHEET

SYSTEM = Principal.system()
API = "/api/v1/org"
EN = {"Accept-Language": "en"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- accounts: seeded through org's RPCs, used through HTTP logins ----------------------------
@pytest.fixture(scope="module")
def http(app):
    """One test client for the module (module-scoped fixtures go through HTTP too)."""
    return app.test_client()


@pytest.fixture(scope="module")
def people(world, http):
    """Logins by role: the compound's community worker (writer, reader, exporter), property
    staff and a lawyer on the compound, a resident, an account with no role, and the admin
    of another street."""
    units = world.units
    other_street = call_as(SYSTEM, "org", "create_unit", parent_id=units["city"]["id"],
                           kind="street", name="别的街道")
    accounts = {
        "admin": world.admin, "worker": world.worker, "resident": world.resident,
        "nobody": world.nobody,
        "property": make_login(units["compound"], "property_staff"),
        "lawyer": make_login(units["compound"], "lawyer"),
        "stranger": make_login(other_street, "street_admin"),
    }
    return SimpleNamespace(**{name: headers_for(http, a) for name, a in accounts.items()})


def make_login(unit: dict, role: str | None) -> dict:
    return _make_login(unit["id"], role)


# -- the 2,000-unit workbook ------------------------------------------------------------------
def upload(http, headers, compound_id, content: bytes, filename="两千户.xlsx", **extra):
    return http.post(f"{API}/compounds/{compound_id}/imports", headers={**headers, **extra},
                     data={"file": (io.BytesIO(content), filename)},
                     content_type="multipart/form-data")


def wait_for(http, headers, job: dict, timeout: float = 60) -> dict:
    """Poll ``GET /imports/<id>`` until the job is no longer running."""
    end = time.monotonic() + timeout
    while job["status"] == "running":
        assert time.monotonic() < end, f"import still running: {job}"
        time.sleep(0.05)
        r = http.get(f"{API}/imports/{job['id']}", headers=headers)
        assert r.status_code == 200, r.get_json()
        job = r.get_json()
    return job


def pages(http, headers, url, **query):
    """Every item of a paginated list, following ``next_cursor`` (200 a page)."""
    items, cursor = [], None
    while True:
        page = {"limit": 200, **query, **({"cursor": cursor} if cursor else {})}
        r = http.get(url, headers=headers, query_string=page)
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def counts(http, headers, compound_id) -> dict:
    """What an import could change, as the API shows it: units, owners, holdings."""
    buildings = pages(http, headers, f"{API}/units/{compound_id}/children")
    units = [u for b in buildings for u in pages(http, headers, f"{API}/units/{b['id']}/children")]
    return {"buildings": len(buildings), "units": len(units),
            "owners": len(pages(http, headers, f"{API}/compounds/{compound_id}/owners")),
            "holders": len(pages(http, headers, f"{API}/compounds/{compound_id}/ownership"))}


def electorate(http, headers, compound_id, **query) -> dict:
    r = http.get(f"{API}/compounds/{compound_id}/electorate", headers=headers,
                 query_string=query)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def without_time(e: dict) -> dict:
    return {k: v for k, v in e.items() if k != "as_of"}


@pytest.fixture(scope="module")
def big(world, http, people):
    """A compound made through HTTP and the 2,000-unit workbook uploaded into it by the
    community worker; the first import polled to its end."""
    r = http.post(f"{API}/units", headers=people.admin,
                  json={"parent_id": world.units["community"]["id"], "kind": "compound",
                        "name": "两千户小区"})
    assert r.status_code == 201, r.get_json()
    compound = r.get_json()
    content = xlsx(big_rows())
    started = time.monotonic()
    r = upload(http, people.worker, compound["id"], content)
    assert r.status_code == 202, r.get_json()
    accepted = r.get_json()
    job = wait_for(http, people.worker, accepted)
    return SimpleNamespace(compound=compound, content=content, accepted=accepted, job=job,
                           seconds=time.monotonic() - started)


@pytest.fixture(scope="module")
def reimported(big, http, people):
    """The same workbook uploaded again, with what the API showed before and after."""
    cid = big.compound["id"]
    before = {"electorate": without_time(electorate(http, people.worker, cid)),
              "counts": counts(http, people.worker, cid)}
    r = upload(http, people.worker, cid, big.content)
    assert r.status_code == 202, r.get_json()
    job = wait_for(http, people.worker, r.get_json())
    after = {"electorate": without_time(electorate(http, people.worker, cid)),
             "counts": counts(http, people.worker, cid)}
    return SimpleNamespace(job=job, before=before, after=after)


# -- the import -------------------------------------------------------------------------------
def test_upload_answers_202_and_the_job_ends_with_1997_rows_and_3_errors(big):
    assert big.accepted["status"] == "running"
    assert big.accepted["compound_id"] == big.compound["id"]
    assert big.accepted["filename"] == "两千户.xlsx"
    job = big.job
    print(f"\n2,000-row import through the gateway took {big.seconds:.2f} s")
    assert job["status"] == "done", job["errors"]
    assert (job["total_rows"], job["processed_rows"]) == (2000, 2000)
    assert job["imported"] == 1997 and job["unchanged"] == 0
    assert {e["row"]: e["reason_zh"] for e in job["errors"]} == BAD_ROWS
    assert all(e["reason_en"].startswith(f"Row {e['row']}: ") for e in job["errors"])


def test_uploading_it_again_changes_nothing(reimported):
    job = reimported.job
    assert job["status"] == "done"
    assert job["imported"] == 0 and job["unchanged"] == 1997
    assert {e["row"]: e["reason_zh"] for e in job["errors"]} == BAD_ROWS
    assert reimported.after == reimported.before
    assert reimported.before["counts"]["buildings"] == 20
    assert reimported.before["counts"]["units"] == 1997


def test_an_owner_of_three_units_is_counted_once_with_the_sum_of_areas(big, http, people):
    good = [r for n, r in enumerate(big_rows(), start=2) if n not in BAD_ROWS]
    result = electorate(http, people.worker, big.compound["id"])
    entries = [e for e in result["owners"] if e["name"] == "三套业主"]
    assert len(entries) == 1
    [triple] = entries
    assert len(triple["unit_ids"]) == 3 and triple["heads"] == 1
    assert triple["area"] == sum(area_of(r) for r in good[:3])
    developer = [e for e in result["owners"] if e["name"] == DEVELOPER]
    assert len(developer) == 1
    people_ids = {r["owner_id_number"] for r in good if r["owner_kind"] == "个人"}
    assert result["total_owners"] == len(people_ids) + 1 == len(result["owners"])
    assert result["total_area"] == sum(area_of(r) for r in good)
    assert result["units_without_owner"] == []


def test_a_unit_sold_after_t_leaves_the_electorate_as_of_t_unchanged(big, reimported, http,
                                                                     people):
    cid = big.compound["id"]
    before = electorate(http, people.worker, cid)
    t = before["as_of"]
    [seller] = [e for e in before["owners"] if e["name"] == "业主4"]    # owns one unit
    [sold] = seller["unit_ids"]
    buyer = http.post(f"{API}/compounds/{cid}/owners", headers=people.worker,
                      json={"kind": "person", "name": "新买家", "id_number": "32128319900101100X"})
    assert buyer.status_code == 201, buyer.get_json()
    buyer = buyer.get_json()
    assert buyer["created"] is True
    r = http.post(f"{API}/units/{sold}/transfers", headers=people.worker,
                  json={"owners": [{"owner_id": buyer["id"]}]})
    assert r.status_code == 201, r.get_json()
    assert [o["owner_id"] for o in r.get_json()["owners"]] == [buyer["id"]]

    # as of T the electorate is exactly what it was at T
    assert electorate(http, people.worker, cid, as_of=t) == before
    now = electorate(http, people.worker, cid)
    names = [e["name"] for e in now["owners"]]
    assert "业主4" not in names
    assert [e["unit_ids"] for e in now["owners"] if e["name"] == "新买家"] == [[sold]]
    assert (now["total_owners"], now["total_area"]) == (before["total_owners"],
                                                        before["total_area"])
    # the unit's owners, then and now
    then = http.get(f"{API}/units/{sold}/owners", headers=people.worker,
                    query_string={"as_of": t}).get_json()
    assert [o["name"] for o in then["owners"]] == ["业主4"]
    current = http.get(f"{API}/units/{sold}/owners", headers=people.worker).get_json()
    assert [o["name"] for o in current["owners"]] == ["新买家"]


def test_holdings_are_paginated(big, http, people):
    cid = big.compound["id"]
    first = http.get(f"{API}/compounds/{cid}/ownership", headers=people.worker,
                     query_string={"limit": 5}).get_json()
    assert len(first["items"]) == 5 and first["next_cursor"]
    second = http.get(f"{API}/compounds/{cid}/ownership", headers=people.worker,
                      query_string={"limit": 5, "cursor": first["next_cursor"]}).get_json()
    assert not {h["owner_id"] for h in first["items"]} & {h["owner_id"] for h in second["items"]}
    developers = http.get(f"{API}/compounds/{cid}/owners", headers=people.worker,
                          query_string={"kind": "developer"}).get_json()["items"]
    assert [o["name"] for o in developers] == [DEVELOPER]


# -- downloads --------------------------------------------------------------------------------
def assert_xlsx_attachment(r, filename: str) -> openpyxl.Workbook:
    assert r.status_code == 200, r.get_data()[:300]
    assert r.headers["Content-Type"] == XLSX
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition
    return openpyxl.load_workbook(io.BytesIO(r.get_data()), read_only=True)


def test_the_template_downloads_as_an_xlsx_for_any_signed_in_account(http, people):
    r = http.get(f"{API}/workbook-template", headers=people.nobody)
    wb = assert_xlsx_attachment(r, "房屋业主住户导入模板.xlsx")
    assert wb.sheetnames == [SHEET, NOTES_SHEET]
    assert next(wb[SHEET].iter_rows(values_only=True)) == HEADINGS
    assert http.get(f"{API}/workbook-template").status_code == 401


def test_the_export_downloads_as_an_xlsx_for_those_who_may_see_id_numbers(big, http, people):
    cid = big.compound["id"]
    r = http.get(f"{API}/compounds/{cid}/workbook", headers=people.worker)
    wb = assert_xlsx_attachment(r, "两千户小区-房屋业主住户.xlsx")
    assert r.headers["Cache-Control"] == "no-store"          # unmasked ID numbers
    rows = list(wb[SHEET].iter_rows(values_only=True))
    assert rows[0] == HEADINGS and len(rows) - 1 == 1997
    ids = [row[KEYS.index("owner_id_number")] for row in rows[1:]]
    assert ids.count(TRIPLE_OWNER_ID) == 3                  # unmasked
    # property staff may write the registry but not read unmasked ID numbers
    assert http.get(f"{API}/compounds/{cid}/workbook", headers=people.property).status_code == 403
    assert http.get(f"{API}/compounds/{cid}/workbook", headers=people.stranger).status_code == 404


# -- uploads that are refused -----------------------------------------------------------------
def test_bad_uploads_are_422_naming_the_file(world, http, people):
    cid = world.units["compound"]["id"]
    url = f"{API}/compounds/{cid}/imports"
    missing = http.post(url, headers=people.worker, data={"other": "x"},
                        content_type="multipart/form-data")
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"] == {"file": ["缺少必填字段。"]}
    text = upload(http, people.worker, cid, "楼栋,房号\n1幢,101\n".encode(), "房屋.csv")
    assert text.status_code == 422
    assert text.get_json()["error"]["fields"] == {"file": ["不是有效的 .xlsx 文件，请使用模板。"]}
    # a zip that is not a workbook: org refuses it, and the gateway names the field sent
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    not_xlsx = upload(http, people.worker, cid, archive.getvalue(), "房屋.xlsx", **EN)
    assert not_xlsx.status_code == 422
    assert not_xlsx.get_json()["error"]["fields"] == {
        "file": ["Not an .xlsx workbook; use the template."]}
    too_big = upload(http, people.worker, cid, b"PK" + b"\0" * (10 * 1024 * 1024 - 1))
    assert too_big.status_code == 422
    assert too_big.get_json()["error"]["fields"] == {"file": ["文件不能超过 10 MB。"]}
    # a body far over the limit is refused from its Content-Length, before it is read
    huge = upload(http, people.worker, cid, b"PK" + b"\0" * (11 * 1024 * 1024), **EN)
    assert huge.status_code == 422
    assert huge.get_json()["error"]["fields"] == {"file": ["The file is larger than 10 MB."]}
    # importing into a building, not a compound: org's rule, on the URL's id
    building = upload(http, people.worker, world.units["building"]["id"], xlsx([]))
    assert building.status_code == 422
    assert list(building.get_json()["error"]["fields"]) == ["compound_id"]


# -- areas, owners, transfers, residents on the conftest's compound ---------------------------
def test_areas_owners_transfers_and_residents(world, http, people):
    cid, uid = world.units["compound"]["id"], world.units["unit"]["id"]
    worker = people.worker
    area = http.put(f"{API}/units/{uid}/area", headers=worker,
                    json={"registered_area": 8935, "contract_area": 9012})
    assert area.status_code == 200, area.get_json()
    assert (area.get_json()["exclusive_area"], area.get_json()["area_source"]) == (
        8935, "registered")
    cleared = http.put(f"{API}/units/{uid}/area", headers=worker,
                       json={"registered_area": None}).get_json()
    assert (cleared["exclusive_area"], cleared["area_source"]) == (9012, "contract")

    body = {"kind": "person", "name": "李四", "id_number": "321283198001010010"}
    created = http.post(f"{API}/compounds/{cid}/owners", headers=worker, json=body)
    assert created.status_code == 201 and created.get_json()["created"] is True
    again = http.post(f"{API}/compounds/{cid}/owners", headers=worker, json=body)
    assert again.status_code == 200 and again.get_json()["created"] is False
    owner = created.get_json()
    assert again.get_json()["id"] == owner["id"]
    listed = http.get(f"{API}/compounds/{cid}/owners", headers=worker,
                      query_string={"q": "李"}).get_json()["items"]
    assert [o["id"] for o in listed] == [owner["id"]]

    moved = http.post(f"{API}/units/{uid}/transfers", headers=worker,
                      json={"owners": [{"owner_id": owner["id"]}]})
    assert moved.status_code == 201, moved.get_json()
    owners = http.get(f"{API}/units/{uid}/owners", headers=worker).get_json()["owners"]
    assert [(o["owner_id"], o["is_voter"]) for o in owners] == [(owner["id"], True)]
    holders = pages(http, worker, f"{API}/compounds/{cid}/ownership")
    assert [h["unit_ids"] for h in holders if h["owner_id"] == owner["id"]] == [[uid]]

    yesterday = (clock.today_local() - timedelta(days=1)).isoformat()
    tenant = http.post(f"{API}/units/{uid}/residents", headers=worker,
                       json={"name": "王租客", "phone": "13900002222", "relation": "tenant",
                             "date": yesterday})
    assert tenant.status_code == 201, tenant.get_json()
    residency = tenant.get_json()
    assert residency["phone"] != "13900002222"                     # masked
    living = http.get(f"{API}/units/{uid}/residents", headers=worker).get_json()["items"]
    assert residency["id"] in [r["id"] for r in living]
    out = http.post(f"{API}/residencies/{residency['id']}/move-out", headers=worker, json={})
    assert out.status_code == 200
    assert out.get_json()["moved_out"] == clock.today_local().isoformat()
    living = http.get(f"{API}/units/{uid}/residents", headers=worker).get_json()["items"]
    assert residency["id"] not in [r["id"] for r in living]
    then = http.get(f"{API}/units/{uid}/residents", headers=worker,
                    query_string={"on": yesterday}).get_json()["items"]
    assert residency["id"] in [r["id"] for r in then]
    again = http.post(f"{API}/residencies/{residency['id']}/move-out", headers=worker, json={})
    assert again.status_code == 409


# -- the gates --------------------------------------------------------------------------------
def test_bad_input_is_422_naming_the_field(world, http, people):
    cid, uid = world.units["compound"]["id"], world.units["unit"]["id"]
    worker = people.worker
    cases = [
        ("put", f"{API}/units/{uid}/area", {}, "registered_area", "缺少必填字段。"),
        ("put", f"{API}/units/{uid}/area", {"registered_area": 0}, "registered_area", None),
        ("put", f"{API}/units/{uid}/area", {"unit_id": uid, "surveyed_area": 5}, "unit_id",
         "未知字段。"),
        ("post", f"{API}/compounds/{cid}/owners", {"kind": "person", "name": "无证"},
         "id_number", "缺少必填字段。"),
        ("post", f"{API}/compounds/{cid}/owners", {"kind": "company", "name": "x"}, "kind", None),
        ("post", f"{API}/units/{uid}/transfers", {"owners": []}, "owners",
         "长度必须在 1 到 50 之间。"),
        ("post", f"{API}/units/{uid}/transfers", {"owners": [{"owner_id": "x"}]},
         "owners.0.owner_id", "不是有效的 UUID。"),
        ("post", f"{API}/units/{uid}/residents", {"name": "某", "relation": "boss"},
         "relation", None),
        ("post", f"{API}/units/{uid}/residents", {"relation": "tenant"}, "name", "缺少必填字段。"),
    ]
    for method, url, body, field, message in cases:
        r = getattr(http, method)(url, headers=worker, json=body)
        assert r.status_code == 422, (url, body, r.get_json())
        fields = r.get_json()["error"]["fields"]
        assert list(fields) == [field], (body, fields)
        if message:
            assert fields[field] == [message]
    for url, query, field in ((f"{API}/compounds/{cid}/electorate", {"as_of": "last week"},
                               "as_of"),
                              (f"{API}/units/{uid}/residents", {"on": "2026-13-01"}, "on"),
                              (f"{API}/compounds/{cid}/owners", {"limit": 0}, "limit"),
                              (f"{API}/compounds/{cid}/ownership", {"limit": 201}, "limit")):
        r = http.get(url, headers=worker, query_string=query)
        assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == [field], url
    en = http.put(f"{API}/units/{uid}/area", headers={**worker, **EN}, json={})
    assert en.get_json()["error"]["fields"] == {
        "registered_area": ["Missing data for required field."]}
    # a rule of org's on the URL's id: areas are set on a unit, not a building
    building = http.put(f"{API}/units/{world.units['building']['id']}/area", headers=worker,
                        json={"registered_area": 100})
    assert building.status_code == 422
    assert building.get_json()["error"]["fields"] == {"unit_id": ["请选择具体房屋（户）。"]}


def test_a_role_not_declared_is_403_before_any_call(big, world, http, people):
    cid, uid = big.compound["id"], world.units["unit"]["id"]
    job = big.job["id"]
    refused = [
        (people.resident, "get", f"{API}/compounds/{cid}/electorate", None),
        (people.resident, "get", f"{API}/imports/{job}", None),
        (people.resident, "get", f"{API}/units/{uid}/residents", None),
        (people.nobody, "get", f"{API}/compounds/{cid}/owners", None),
        (people.lawyer, "post", f"{API}/compounds/{cid}/owners",
         {"kind": "developer", "name": "x"}),
        (people.lawyer, "put", f"{API}/units/{uid}/area", {"registered_area": 1}),
        (people.lawyer, "post", f"{API}/units/{uid}/residents",
         {"name": "某", "relation": "tenant"}),
        (people.lawyer, "get", f"{API}/compounds/{cid}/workbook", None),
    ]
    for headers, method, url, body in refused:
        r = getattr(http, method)(url, headers=headers, json=body)
        assert r.status_code == 403, (url, r.get_json())
        assert r.get_json()["error"]["code"] == "forbidden"
    lawyer_upload = upload(http, people.lawyer, cid, big.content)
    assert lawyer_upload.status_code == 403
    # A lawyer is staff, so reading passes the gateway; org then judges the scope: the
    # lawyer's grant is on the conftest's compound, not on the big one.
    assert http.get(f"{API}/compounds/{cid}/electorate", headers=people.lawyer).status_code == 404
    own = world.units["compound"]["id"]
    assert http.get(f"{API}/compounds/{own}/electorate", headers=people.lawyer).status_code == 200


def test_another_streets_admin_gets_404(big, world, http, people):
    cid, uid = big.compound["id"], world.units["unit"]["id"]
    stranger = people.stranger
    for method, url, body in (
            ("get", f"{API}/compounds/{cid}/electorate", None),
            ("get", f"{API}/compounds/{cid}/owners", None),
            ("get", f"{API}/compounds/{cid}/ownership", None),
            ("get", f"{API}/imports/{big.job['id']}", None),
            ("get", f"{API}/units/{uid}/owners", None),
            ("get", f"{API}/units/{uid}/residents", None),
            ("put", f"{API}/units/{uid}/area", {"registered_area": 1}),
            ("post", f"{API}/compounds/{cid}/owners", {"kind": "developer", "name": "x"}),
            ("get", f"{API}/imports/{new_id()}", None)):
        r = getattr(http, method)(url, headers=stranger, json=body)
        assert r.status_code == 404, (url, r.get_json())
        assert r.get_json()["error"]["code"] == "not_found"
    r = upload(http, stranger, cid, big.content)
    assert r.status_code == 404
