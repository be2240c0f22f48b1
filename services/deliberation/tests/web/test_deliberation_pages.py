"""The deliberation pages in a real browser against the whole platform (``web_platform``:
every service with its demo data, the gateway serving the fresh build of web/): the
console (matters, live turnout, a paper ballot, the appeals board) and the phone pages
at 375 px (voting with a receipt, the result, an appeal, the mirror board). Each script
reads back through the API what its clicks changed."""
from __future__ import annotations

from pathlib import Path

from fazhi_shared.service.testing import browser

E2E = Path(__file__).resolve().parents[4] / "web" / "src" / "modules" / "deliberation" / "e2e"


def test_deliberation_console_in_a_browser(web_platform):
    seed = web_platform.seeds["deliberation"]
    report = browser(E2E / "console.mjs", web_platform, COMPOUND_ID=seed["compound_id"],
                     RUNNING_ID=seed["matters"]["running"], PAPER_CODE=seed["paper_code"])
    assert len(report["checks"]) >= 4, report


def test_deliberation_phone_pages_in_a_browser(web_platform):
    seed = web_platform.seeds["deliberation"]
    report = browser(E2E / "phone.mjs", web_platform, RUNNING_ID=seed["matters"]["running"])
    assert len(report["checks"]) >= 3, report
