"""org's web pages in a real browser: Debian's Chromium (``/usr/bin/chromium``, headless)
driven by ``playwright-core`` (web/e2e/*.mjs), against the session's whole platform
(``web_platform`` of the fazhi pytest plugin: every service, the gateway serving the fresh
build of web/ and its session listener, on a private vhost and fresh databases with every
service's demo data). Each service's own pages are tested the same way in
``services/<name>/tests/web/``.

Each browser test asserts the Chinese labels it expects, no uncaught error and no error
logged by the app, no request to any other host, no sideways scrolling at 375 px, no
serious or critical accessibility violation (axe-core), and reads back through the API
what its clicks changed. Screenshots land in web/test-results/screenshots/.

Needs Node >= 20.19 with npm and Debian's ``chromium`` (``.ci/run`` installs it): missing,
the tests skip — and fail under ``CI=true``.
"""
from __future__ import annotations

from pathlib import Path

from fazhi_shared.service.testing import browser

E2E = Path(__file__).resolve().parents[1] / "web" / "e2e"


def test_staff_console_in_a_browser(web_platform, tmp_path):
    """Street admin: login → compound by name → a building with units → workbook import
    with a bad row (progress, the row's error) → electorate totals → coverage export."""
    from org.samples import id_number, xlsx

    rows = [{"building": "8幢", "unit": f"{300 + i}", "registered_area": f"{80 + i % 40}.50",
             "owner_kind": "个人", "owner_name": f"导入业主{i}",
             "owner_id_number": id_number(f"321283{19800000000 + i:011d}")} for i in range(1, 300)]
    rows.insert(1, {"building": "8幢", "unit": "9999", "registered_area": "abc"})   # Excel row 3
    workbook = tmp_path / "阳光花园.xlsx"
    workbook.write_bytes(xlsx(rows))
    report = browser(E2E / "staff.mjs", web_platform, WORKBOOK=workbook, BAD_ROW=3, BUILDING="8幢",
                     OWNER_ID_NUMBER=id_number("32128319851212003"))
    assert len(report["checks"]) >= 6, report
    # Read back once more from here: the building and the import's units are in org.
    token = web_platform.token("street_admin")
    compound = next(c for c in web_platform.items("/org/compounds", token) if c["name"] == "阳光花园")
    building = next(b for b in web_platform.items(f"/org/units/{compound['id']}/children", token)
                    if b["name"] == "8幢")
    names = {u["name"] for u in web_platform.items(f"/org/units/{building['id']}/children", token)}
    assert {"101", "102", "301"} <= names and not {"201", "9999"} & names   # 201 retired


def test_resident_phone_pages_in_a_browser(web_platform):
    """A resident at 375 px: registration with the phone code → pending claim → staff
    confirm it in the console → the resident sees their home."""
    token = web_platform.token("community_worker")
    compound = next(c for c in web_platform.items("/org/compounds", token) if c["name"] == "阳光花园")
    building = web_platform.items(f"/org/units/{compound['id']}/children", token)[0]
    unit = web_platform.items(f"/org/units/{building['id']}/children", token)[0]
    browser(E2E / "resident.mjs", web_platform, UNIT_ID=unit["id"], PHONE="13700001234",
            DEV_TEXTS=web_platform.dev_texts, STAFF_USER="community_worker")
    claims = web_platform.items("/org/resident-claims", token, status="confirmed",
                                    unit_id=unit["id"])
    assert len(claims) == 1
