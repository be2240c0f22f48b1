"""The web clients in a real browser: Debian's Chromium (``/usr/bin/chromium``, headless)
driven by ``playwright-core`` (web/e2e/*.mjs), against a platform this module starts —
org, the gateway (serving the fresh build of web/) and its session listener as child
processes, on a private vhost and fresh databases seeded with the demo street.

Each browser test asserts the Chinese labels it expects, no uncaught error and no error
logged by the app, no request to any other host, no sideways scrolling at 375 px, no
serious or critical accessibility violation (axe-core), and reads back through the API
what its clicks changed. Screenshots land in web/test-results/screenshots/.

Needs Node ≥ 20.19 with npm and Debian's ``chromium`` (``.ci/run`` installs it): missing,
the tests skip — and fail under ``CI=true``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from fazhi_shared.service.testing import (CI, TEST_PG, ServiceProcess, create_vhost,
                                          delete_vhost, service_amqp_uri, wait_until)

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
SCREENSHOTS = WEB / "test-results" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Fazhi2026!"


def _need(ok: bool, why: str) -> None:
    if not ok:
        if CI.get():
            pytest.fail(f"{why} (CI=true: a missing prerequisite fails)")
        pytest.skip(why)


def _node_ok() -> bool:
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        return False
    version = subprocess.run([node, "-p", "process.versions.node"], capture_output=True,
                             text=True).stdout.strip()
    major, minor = (int(p) for p in version.split(".")[:2])
    return (major, minor) >= (20, 19)


@pytest.fixture(scope="module")
def web_build():
    """``npm ci`` when the lockfile changed, then ``npm run build`` (which checks the
    bundle budgets); the build directory."""
    _need(_node_ok(), "Node >= 20.19 with npm is needed to build web/")
    _need(os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing (apt-get install chromium)")
    installed = WEB / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (WEB / "package-lock.json").stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True,
                       capture_output=True)
    built = subprocess.run(["npm", "run", "build"], cwd=WEB, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return WEB / "dist"


@pytest.fixture(scope="module")
def platform(web_build, tmp_path_factory):
    """org + gateway + session listener, on their own vhost and databases."""
    from fazhi_shared.service.db import dispose_all, drop_database
    from fazhi_shared.service.migrations import upgrade

    tag = uuid.uuid4().hex[:8]
    vhost = f"fazhi-web-{tag}"
    create_vhost(vhost)
    org_db = f"{TEST_PG.get()}/fazhi_org_web_{tag}"
    gateway_db = f"{TEST_PG.get()}/fazhi_gateway_web_{tag}"
    run = tmp_path_factory.mktemp("web-platform")
    logs = run / "logs"
    logs.mkdir()
    (run / "files").mkdir()
    with socket_port() as port:
        bind = f"127.0.0.1:{port}"
    base_uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    env = {"ORG_DATABASE_URL": org_db, "GATEWAY_DATABASE_URL": gateway_db,
           "FAZHI_FILE_STORE": str(run / "files"), "FAZHI_DEV_MODE": "true",
           "FAZHI_CLOCK_FILE": "", "GATEWAY_WEB_DIR": str(web_build), "GATEWAY_BIND": bind,
           "GATEWAY_WORKERS": "2", "FAZHI_LOG_FORMAT": "text"}
    procs = []
    try:
        upgrade(str(ROOT / "services" / "org" / "migrations"), org_db)
        upgrade(str(ROOT / "gateway" / "migrations"), gateway_db)
        # Each package connects as its own broker user, as under `make run` (events carry it).
        as_org = {**env, "AMQP_URI": service_amqp_uri("org", base_uri)}
        as_gateway = {**env, "AMQP_URI": service_amqp_uri("gateway", base_uri)}
        seeded = subprocess.run([sys.executable, "-m", "org.seed"], cwd=ROOT / "services" / "org",
                                env={**os.environ, **as_org}, capture_output=True, text=True)
        assert seeded.returncode == 0, seeded.stdout[-2000:] + seeded.stderr[-2000:]
        for name, argv, own in (
                ("org", [sys.executable, "-m", "org", "--no-migrate"], as_org),
                ("gateway", [sys.executable, "-m", "gateway", "serve"], as_gateway),
                ("gateway-listener", [sys.executable, "-m", "gateway", "listen"], as_gateway)):
            procs.append(ServiceProcess(name, argv, env=own,
                                        log_path=str(logs / f"{name}.log")).start())
        url = f"http://{bind}"
        wait_until(lambda: requests.get(f"{url}/readyz", timeout=2).status_code == 200,
                   timeout=60, what="the gateway to be ready")
        yield {"url": url, "dev_texts": run / "dev-texts", "logs": logs, "run": run}
    finally:
        for proc in reversed(procs):
            proc.stop()
        delete_vhost(vhost)
        dispose_all()
        for db in (org_db, gateway_db):
            try:
                drop_database(db)
            except Exception:       # never created
                pass


class socket_port:
    """A free TCP port on the loopback."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()


def _browser(script: str, platform: dict, **env) -> dict:
    """Run web/e2e/<script>; its JSON report (fails with the reason and the logs)."""
    out = subprocess.run(["node", f"e2e/{script}"], cwd=WEB, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "BASE_URL": platform["url"],
                                           "SCREENSHOTS": str(SCREENSHOTS), "PASSWORD": PASSWORD,
                                           **{k: str(v) for k, v in env.items()}})
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1]) if lines else {"ok": False, "error": out.stdout + out.stderr}
    if not report.get("ok"):
        tails = {p.name: p.read_text(errors="replace")[-1500:]
                 for p in platform["logs"].glob("*.log")}
        pytest.fail(f"{script}: {report.get('error')}\nchecked: {report.get('checks')}\n"
                    f"stderr: {out.stderr[-2000:]}\nlogs: {json.dumps(tails, ensure_ascii=False)[:6000]}")
    return report


def _token(url: str, username: str) -> str:
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": username, "password": PASSWORD},
                      timeout=5)
    r.raise_for_status()
    return r.json()["access_token"]


def _items(url: str, path: str, token: str, **query) -> list:
    r = requests.get(f"{url}/api/v1{path}", params={"limit": 200, **query},
                     headers={"Authorization": f"Bearer {token}"}, timeout=5)
    r.raise_for_status()
    return r.json()["items"]


def test_staff_console_in_a_browser(platform, tmp_path):
    """Street admin: login → compound by name → a building with units → workbook import
    with a bad row (progress, the row's error) → electorate totals → coverage export."""
    from org.samples import id_number, xlsx

    rows = [{"building": "8幢", "unit": f"{300 + i}", "registered_area": f"{80 + i % 40}.50",
             "owner_kind": "个人", "owner_name": f"导入业主{i}",
             "owner_id_number": id_number(f"321283{19800000000 + i:011d}")} for i in range(1, 300)]
    rows.insert(1, {"building": "8幢", "unit": "9999", "registered_area": "abc"})   # Excel row 3
    workbook = tmp_path / "阳光花园.xlsx"
    workbook.write_bytes(xlsx(rows))
    report = _browser("staff.mjs", platform, WORKBOOK=workbook, BAD_ROW=3, BUILDING="8幢",
                      OWNER_ID_NUMBER=id_number("32128319851212003"))
    assert len(report["checks"]) >= 6, report
    # Read back once more from here: the building and the import's units are in org.
    token = _token(platform["url"], "street_admin")
    compound = next(c for c in _items(platform["url"], "/org/compounds", token) if c["name"] == "阳光花园")
    building = next(b for b in _items(platform["url"], f"/org/units/{compound['id']}/children", token)
                    if b["name"] == "8幢")
    names = {u["name"] for u in _items(platform["url"], f"/org/units/{building['id']}/children", token)}
    assert {"101", "102", "301"} <= names and not {"201", "9999"} & names   # 201 retired


def test_resident_phone_pages_in_a_browser(platform):
    """A resident at 375 px: registration with the phone code → pending claim → staff
    confirm it in the console → the resident sees their home."""
    token = _token(platform["url"], "community_worker")
    compound = next(c for c in _items(platform["url"], "/org/compounds", token) if c["name"] == "阳光花园")
    building = _items(platform["url"], f"/org/units/{compound['id']}/children", token)[0]
    unit = _items(platform["url"], f"/org/units/{building['id']}/children", token)[0]
    _browser("resident.mjs", platform, UNIT_ID=unit["id"], PHONE="13700001234",
             DEV_TEXTS=platform["dev_texts"], STAFF_USER="community_worker")
    claims = _items(platform["url"], "/org/resident-claims", token, status="confirmed",
                    unit_id=unit["id"])
    assert len(claims) == 1
