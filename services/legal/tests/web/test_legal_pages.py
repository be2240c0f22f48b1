"""The legal pages in a real browser against the whole platform (``web_platform``: every
service with its demo data, the gateway serving the fresh build of web/): the console
(coverage, the roster calendar, intake and a refused promotion) and the phone pages at
375 px (on duty now, booking and cancelling, a public profile). Each script reads back
through the API what its clicks changed; web/e2e/lib.mjs says what every page must pass
(Chinese labels, no console errors, axe-core)."""
from __future__ import annotations

from pathlib import Path

from fazhi_shared.service.testing import browser

E2E = Path(__file__).resolve().parents[4] / "web" / "src" / "modules" / "legal" / "e2e"


def test_legal_console_in_a_browser(web_platform):
    seed = web_platform.seeds["legal"]
    report = browser(E2E / "console.mjs", web_platform, COMPOUND_ID=seed["compound_id"])
    assert len(report["checks"]) >= 4, report


def test_legal_phone_pages_in_a_browser(web_platform):
    seed = web_platform.seeds["legal"]
    report = browser(E2E / "phone.mjs", web_platform, LITERATE_ID=seed["literate_id"])
    assert len(report["checks"]) >= 4, report
