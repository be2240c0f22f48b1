"""The gateway serves the built web clients: the staff console at ``/``, the resident
phone pages at ``/h5/`` (gateway/gateway/routes/web.py), from the build directory named
by ``GATEWAY_WEB_DIR``; hashed assets cached for a year, the pages never cached, every
page navigation falling back to its client's index.html, strict security headers, and
the API's own 404s left alone."""
from __future__ import annotations

import pytest

from gateway.app import create_app

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
CONSOLE = '<!doctype html><html lang="zh-CN"><body>console<script type="module" src="/assets/console-Ab12Cd34.js"></script></body></html>'
PHONE = '<!doctype html><html lang="zh-CN"><body>h5</body></html>'


@pytest.fixture
def build(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "h5").mkdir()
    (tmp_path / "index.html").write_text(CONSOLE, encoding="utf-8")
    (tmp_path / "h5" / "index.html").write_text(PHONE, encoding="utf-8")
    (tmp_path / "assets" / "console-Ab12Cd34.js").write_text("export const x = 1;\n")
    (tmp_path / "assets" / "console-Ab12Cd34.css").write_text("body{}\n")
    (tmp_path / "favicon.ico").write_bytes(b"\0\0\1\0")
    return tmp_path


@pytest.fixture
def client(build):
    return create_app({"TESTING": True, "GATEWAY_WEB_DIR": str(build)}).test_client()


def _csp(response) -> dict:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_secure(response):
    csp = _csp(response)
    assert csp.get("default-src") == ["'self'"], csp
    assert csp.get("script-src") == ["'self'"], f"scripts: only the platform's own files {csp}"
    assert csp.get("object-src") == ["'none'"] and csp.get("base-uri") == ["'self'"], csp
    assert csp.get("frame-ancestors") == ["'none'"] and csp.get("form-action") == ["'self'"], csp
    for directive, sources in csp.items():
        for source in sources:
            assert source in {"'self'", "'none'", "data:", "blob:", "'unsafe-inline'"}, (
                f"{directive} names another origin or loosens the policy: {source}")
        if directive != "style-src":
            assert "'unsafe-inline'" not in sources, f"{directive}: no inline code"
    assert "'unsafe-eval'" not in str(csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_console_at_the_root(client):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200 and "console" in r.get_data(as_text=True)
    assert r.mimetype == "text/html"
    assert r.headers["Cache-Control"] == "no-cache"
    _assert_secure(r)


def test_phone_pages_under_h5(client):
    for url in ("/h5/", "/h5", "/h5/home", "/h5/register?unit=0192"):
        r = client.get(url, headers=HTML, follow_redirects=True)
        assert r.status_code == 200 and "h5" in r.get_data(as_text=True), url
        assert r.headers["Cache-Control"] == "no-cache", url
        _assert_secure(r)


def test_page_navigations_fall_back_to_the_console(client):
    for url in ("/login", "/compounds/0192a3b4-0000-7000-8000-000000000000", "/coverage?unit=x"):
        r = client.get(url, headers=HTML)
        assert r.status_code == 200 and "console" in r.get_data(as_text=True), url
        _assert_secure(r)


def test_hashed_assets_are_cached_for_a_year(client):
    r = client.get("/assets/console-Ab12Cd34.js")
    assert r.status_code == 200 and r.get_data(as_text=True).startswith("export")
    assert r.mimetype in {"text/javascript", "application/javascript"}
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    css = client.get("/assets/console-Ab12Cd34.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert client.get("/favicon.ico").headers["Cache-Control"] == "no-cache"


def test_a_missing_asset_is_a_404_not_a_page(client):
    for url in ("/assets/console-gone.js", "/assets/..%2f..%2fetc%2fpasswd", "/assets/%2e%2e/index.html",
                "/h5/../../etc/passwd", "/..%2f..%2fetc/passwd", "/missing.js"):
        r = client.get(url, headers=HTML)
        assert r.status_code == 404, url
        assert r.get_json()["error"]["code"] == "not_found", url


def test_the_api_keeps_its_own_404s(client):
    for url in ("/api/v1/nothing-here", "/api/nothing", "/api"):
        r = client.get(url, headers=HTML)
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found", url
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/api/openapi.json").status_code == 200


def test_other_clients_get_the_envelope_for_unknown_urls(client):
    """Only a browser navigating (Accept: text/html) gets a page for an unknown URL."""
    r = client.get("/nope")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    # curl, requests and most HTTP libraries send "Accept: */*": not a page navigation.
    for accept in ("*/*", "application/json", "application/json, */*;q=0.5"):
        r = client.get("/nope", headers={"Accept": accept})
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found", accept
    r = client.post("/login", headers=HTML)
    assert r.status_code in (404, 405) and r.get_json()["error"]["code"] in {"not_found",
                                                                           "method_not_allowed"}


def test_pages_are_public(client):
    """No token is needed for the pages; they call the API with one."""
    assert client.get("/", headers=HTML).status_code == 200
    assert client.get("/h5/", headers=HTML).status_code == 200


def test_not_built_says_so(tmp_path):
    client = create_app({"TESTING": True, "GATEWAY_WEB_DIR": str(tmp_path / "none")}).test_client()
    r = client.get("/", headers=HTML)
    assert r.status_code == 404
    assert "npm" in client.get("/", headers={**HTML, "Accept-Language": "en"}).get_json()["error"]["message"]
    assert client.get("/api/v1/nothing-here").status_code == 404


def test_the_setting_is_declared():
    from gateway import config

    assert config.WEB_DIR in config.SETTINGS
    assert config.WEB_DIR.name == "GATEWAY_WEB_DIR"
