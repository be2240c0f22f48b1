"""Run the whole platform on this machine as plain processes (what ``make run`` calls).

    python deploy/local/stack.py up      # check infra, migrate, start, seed, print URL
    python deploy/local/stack.py down    # stop what ``up`` started
    python deploy/local/stack.py status

Processes get the same environment variables as in docker-compose.yml; logs and pid
files go to ``.run/``, the shared file store (``FAZHI_FILE_STORE``) to ``.run/files``.
Each process connects to RabbitMQ as its package's own user ``fazhi-<name>`` (the gateway
and its listener: ``fazhi-gateway``), which ``up`` creates with a development password
and the production permissions (``fazhi_shared.keys.broker_permissions``: each publishes
only to its own event exchange) through the management API, or ``rabbitmqctl``.
Every folder under ``services/`` with a pyproject.toml is migrated and started; a service
with a demo seed (``services/<name>/<name>/seed.py``, run as ``python -m <name>.seed``
once every service is up, after the seeds of the services whose contract it depends on,
printing one JSON object) gets its demo data. A seed that prints
``logins`` and ``password`` has them shown with the URL. Adding a service edits nothing
here.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / ".run"
WEB = ROOT / "web"
PY = sys.executable

HINTS = {
    "RabbitMQ": "start it with: rabbitmq-server -detached",
    "PostgreSQL": "start it with: pg_ctlcluster --skip-systemctl-redirect "
                  "$(ls /etc/postgresql) main start",
}


def services() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def seeds() -> list[str]:
    """The services that have a demo seed (``<name>.seed``), each after the services whose
    contract it depends on (org's first)."""
    from fazhi_shared.service.platform import seed_order

    return seed_order(ROOT)


def env() -> dict:
    e = dict(os.environ)
    e.setdefault("FAZHI_LOG_FORMAT", "json")
    e.setdefault("FAZHI_FILE_STORE", str(RUN / "files"))  # shared by every process
    e.setdefault("FAZHI_DEV_MODE", "true")                 # a development machine
    e.setdefault("GATEWAY_BIND", "127.0.0.1:8000")
    e.setdefault("GATEWAY_WEB_DIR", str(WEB / "dist"))     # the console at /, phones at /h5/
    return e


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def check_infrastructure() -> None:
    """Say clearly what is missing instead of failing later with a stack trace."""
    from fazhi_shared.config import AMQP_URI
    from gateway.config import DATABASE_URL  # every package's database is on this server
    from sqlalchemy.engine import make_url

    amqp = AMQP_URI.get()
    host_port = amqp.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    pg = make_url(DATABASE_URL.get())
    missing = []
    if not _reachable(host or "127.0.0.1", int(port or 5672)):
        missing.append(("RabbitMQ", f"{host}:{port or 5672}"))
    if not _reachable(pg.host or "127.0.0.1", pg.port or 5432):
        missing.append(("PostgreSQL", f"{pg.host}:{pg.port or 5432}"))
    if missing:
        for name, where in missing:
            print(f"✗ {name} is not reachable at {where} — {HINTS[name]}", file=sys.stderr)
        sys.exit(2)
    print("✓ RabbitMQ and PostgreSQL are reachable")


def _amqp() -> "urllib.parse.SplitResult":
    from fazhi_shared.config import AMQP_URI

    return urllib.parse.urlsplit(env().get("AMQP_URI") or AMQP_URI.get())


def broker_uri(identity: str) -> str:
    """``AMQP_URI`` with ``identity``'s own user and development password."""
    from fazhi_shared.keys import broker_user, dev_broker_password

    base = _amqp()
    q = urllib.parse.quote
    netloc = f"{q(broker_user(identity), safe='')}:{q(dev_broker_password(identity), safe='')}" \
             f"@{base.hostname}:{base.port or 5672}"
    return urllib.parse.urlunsplit((base.scheme, netloc, base.path, base.query, ""))


def ensure_broker_users(identities: list[str]) -> None:
    """Create (or reset) each identity's broker user with its permissions on the vhost."""
    import base64

    from fazhi_shared.keys import broker_permissions, broker_user, dev_broker_password

    base = _amqp()
    vhost = urllib.parse.unquote(base.path[1:]) if len(base.path) > 1 else "/"
    admin = base64.b64encode(f"{urllib.parse.unquote(base.username or 'guest')}:"
                             f"{urllib.parse.unquote(base.password or 'guest')}".encode()).decode()
    api = f"http://{base.hostname}:15672/api"
    q = lambda text: urllib.parse.quote(text, safe="")  # noqa: E731

    def put(path, body):
        request = urllib.request.Request(f"{api}{path}", data=json.dumps(body).encode(),
                                         method="PUT", headers={
                                             "Authorization": f"Basic {admin}",
                                             "Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).close()

    for identity in identities:
        user, perms = broker_user(identity), broker_permissions(identity)
        password = dev_broker_password(identity)
        try:
            put(f"/users/{q(user)}", {"password": password, "tags": ""})
            put(f"/permissions/{q(vhost)}/{q(user)}", perms)
            continue
        except OSError:
            pass
        try:       # no management API: the CLI (this machine runs the broker)
            subprocess.run(["rabbitmqctl", "add_user", user, password], capture_output=True)
            for argv in (["change_password", user, password],
                         ["set_permissions", "-p", vhost, user, perms["configure"],
                          perms["write"], perms["read"]]):
                subprocess.run(["rabbitmqctl", *argv], capture_output=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            print(f"✗ cannot create the broker user {user}: neither RabbitMQ's management "
                  f"API ({api}) nor rabbitmqctl answered. Enable the API with "
                  f"`rabbitmq-plugins enable rabbitmq_management` (or run as a user allowed "
                  f"to use rabbitmqctl), then `make run` again.", file=sys.stderr)
            sys.exit(2)
    print(f"✓ broker users ready: {', '.join(broker_user(i) for i in identities)}")


def _pid(name: str) -> int | None:
    f = RUN / f"{name}.pid"
    if not f.exists():
        return None
    pid = int(f.read_text())
    try:
        os.kill(pid, 0)
        return pid
    except OSError:
        return None


def _start(name: str, argv: list[str], cwd: Path, identity: str) -> None:
    if _pid(name):
        print(f"• {name} already running (pid {_pid(name)})")
        return
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    log = open(RUN / "logs" / f"{name}.log", "ab")
    proc = subprocess.Popen(argv, cwd=cwd, env={**env(), "AMQP_URI": broker_uri(identity)},
                            stdout=log, stderr=log, start_new_session=True)
    (RUN / f"{name}.pid").write_text(str(proc.pid))
    print(f"• started {name} (pid {proc.pid}, log .run/logs/{name}.log)")


def _run(argv: list[str], cwd: Path) -> str:
    out = subprocess.run(argv, cwd=cwd, env=env(), capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout + out.stderr, file=sys.stderr)
        sys.exit(out.returncode)
    return out.stdout


def _seed(svc: str) -> dict:
    """Run ``python -m <svc>.seed`` as the service's own broker user (a seed may call org
    as the service); its JSON output (the last line that parses)."""
    from fazhi_shared.service.platform import run_seed

    try:
        return run_seed(ROOT, svc, {**env(), "AMQP_URI": broker_uri(svc)})
    except RuntimeError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        sys.exit(1)


def _newest(folder: Path, skip: set) -> float:
    newest = 0.0
    for path in folder.rglob("*"):
        if path.is_file() and not skip.intersection(path.relative_to(folder).parts):
            newest = max(newest, path.stat().st_mtime)
    return newest


def build_web() -> None:
    """``npm ci`` when the lockfile changed and ``npm run build`` when web/ changed since
    the last build (the build also checks the bundle budgets)."""
    import shutil

    if shutil.which("npm") is None:
        print("✗ npm is missing: the console is not built (install Node >= 20.19); "
              "the API still runs", file=sys.stderr)
        return
    installed = WEB / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (WEB / "package-lock.json").stat().st_mtime:
        print("• npm ci (web/)")
        _run(["npm", "ci", "--no-audit", "--no-fund"], WEB)
    manifest = WEB / "dist" / ".vite" / "manifest.json"
    sources = _newest(WEB, {"node_modules", "dist", "test-results"})
    if not manifest.exists() or manifest.stat().st_mtime < sources:
        print("• npm run build (web/)")
        _run(["npm", "run", "build"], WEB)
    print("✓ web console built")


def up() -> None:
    check_infrastructure()
    store = env()["FAZHI_FILE_STORE"]
    if "://" not in store:
        Path(store).mkdir(parents=True, exist_ok=True)
    for svc in services():
        _run([PY, "-m", svc, "--migrate-only"], ROOT / "services" / svc)
    _run([PY, "-m", "gateway", "migrate"], ROOT / "gateway")
    print("✓ databases migrated")
    ensure_broker_users([*services(), "gateway"])
    for svc in services():
        _start(svc, [PY, "-m", svc, "--no-migrate"], ROOT / "services" / svc, svc)
    build_web()
    _start("gateway", [PY, "-m", "gateway", "serve"], ROOT / "gateway", "gateway")
    _start("gateway-listener", [PY, "-m", "gateway", "listen"], ROOT / "gateway", "gateway")
    bind = env()["GATEWAY_BIND"]
    url = f"http://{bind}"
    deadline = time.monotonic() + 60
    status = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=3) as r:
                status = r.status
                if status == 200:
                    break
        except Exception as exc:  # not up yet
            status = exc
        time.sleep(0.5)
    if status != 200:
        print(f"✗ the gateway did not become ready ({status}); see .run/logs/", file=sys.stderr)
        sys.exit(1)
    # Seeds run once the services are up: a service's seed may call org as the service,
    # and its unit-tree read model fills from org's events.
    seeded = {}
    for svc in seeds():
        seeded[svc] = _seed(svc)
        created = seeded[svc].get("created")
        print(f"✓ {svc} demo data ready" + (f" (created now: {created})" if created else ""))
    print(f"\nFazhi is running: open {url}/  (the console; phone pages {url}/h5/, "
          f"API {url}/api/v1, docs {url}/api/docs, ready: {url}/readyz)")
    for svc, result in seeded.items():
        if result.get("logins"):
            print(f"Demo logins ({svc}; password {result.get('password', '?')}): "
                  f"{', '.join(result['logins'])}")
    print(f"Files: {env()['FAZHI_FILE_STORE']}")
    print("Stop with: make stop")


def down() -> None:
    for f in sorted(RUN.glob("*.pid")):
        name = f.stem
        pid = _pid(name)
        if pid:
            os.killpg(os.getpgid(pid), signal.SIGTERM)
            for _ in range(100):
                if not _pid(name):
                    break
                time.sleep(0.1)
            else:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            print(f"• stopped {name}")
        f.unlink(missing_ok=True)


def status() -> None:
    for name in [*services(), "gateway", "gateway-listener"]:
        pid = _pid(name)
        print(f"{name:18} {'running (pid %d)' % pid if pid else 'stopped'}")


if __name__ == "__main__":
    {"up": up, "down": down, "status": status}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
