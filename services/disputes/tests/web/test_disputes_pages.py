"""The disputes pages in a real browser against the whole platform (``web_platform``:
every service with its demo data, the gateway serving the fresh build of web/): the
console (search, a case's record and chain check, statistics, campaigns) and the phone
pages at 375 px (report a problem with a photo, follow it). Each script reads back
through the API what its clicks changed; see web/e2e/lib.mjs for what every page must
pass (Chinese labels, no console errors, axe-core)."""
from __future__ import annotations

import io
from pathlib import Path

from fazhi_shared.service.testing import browser

E2E = Path(__file__).resolve().parents[4] / "web" / "src" / "modules" / "disputes" / "e2e"


def test_disputes_console_in_a_browser(web_platform):
    seed = web_platform.seeds["disputes"]
    report = browser(E2E / "console.mjs", web_platform, CASE_ID=seed["escalated_case_id"])
    assert len(report["checks"]) >= 4, report


def test_disputes_phone_pages_in_a_browser(web_platform, tmp_path):
    from PIL import Image

    photo = tmp_path / "现场.jpg"
    img = Image.effect_noise((3000, 2000), 60).convert("RGB")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (32.0, 10.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif)
    photo.write_bytes(out.getvalue())
    report = browser(E2E / "phone.mjs", web_platform, PHOTO=photo,
                     PHOTO_BYTES=len(out.getvalue()))
    assert len(report["checks"]) >= 2, report
