"""The whole platform on this machine, for the browser tests and the benchmarks: every
service under ``services/``, the gateway and its session listener as child processes on a
private RabbitMQ vhost with fresh databases, each connecting as its own broker user, and
every service's demo data.

Seeds run **after** the services are up, so a service's seed can call org as the service
itself and its unit-tree read model fills from org's events. Their order is
:func:`seed_order`: org's first, then a service's seed after the seeds of the services whose
contract it depends on (its ``pyproject.toml`` names ``fazhi-<name>-contract``).
``make run`` (deploy/local/stack.py) uses the same order.

    with Platform(ROOT, web_dir=ROOT / "web/dist") as platform:
        token = platform.token("street_admin")
        platform.seeds["legal"]        # what legal's seed printed
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

DEMO_PASSWORD = "Fazhi2026!"
UNIT_TREE_SOURCE = "org"     # whose units every service's unit tree mirrors


def service_names(root: Path) -> list[str]:
    """Every folder under ``services/`` with a pyproject.toml."""
    return sorted(p.parent.name for p in (Path(root) / "services").glob("*/pyproject.toml"))


def contract_dependencies(root: Path, service: str) -> set[str]:
    """The services whose contract ``service``'s package depends on (``fazhi-<x>-contract``)."""
    text = (Path(root) / "services" / service / "pyproject.toml").read_text()
    return {name for name in re.findall(r"fazhi-([a-z][a-z0-9]*)-contract", text)
            if name != service}


def seed_order(root: Path) -> list[str]:
    """The services with a demo seed (``services/<x>/<x>/seed.py``): org's first (every
    service keeps org's unit tree and finds its people there), then each after those whose
    contract it depends on; otherwise in name order. A dependency cycle is an error."""
    root = Path(root)
    with_seed = [s for s in service_names(root) if (root / "services" / s / s / "seed.py").is_file()]
    deps = {s: (contract_dependencies(root, s) | ({UNIT_TREE_SOURCE} - {s})) & set(with_seed)
            for s in with_seed}
    ordered: list[str] = []
    while len(ordered) < len(with_seed):
        ready = [s for s in with_seed if s not in ordered and deps[s] <= set(ordered)]
        if not ready:
            raise ValueError(f"seed dependency cycle among {sorted(set(with_seed) - set(ordered))}")
        ordered.append(ready[0])
    return ordered


def run_seed(root: Path, service: str, env: dict, timeout: float = 600) -> dict:
    """Run ``python -m <service>.seed`` in its folder; the JSON object it printed last
    (``{}`` when none). A failing seed raises with its output's tail."""
    out = subprocess.run([sys.executable, "-m", f"{service}.seed"], cwd=Path(root) / "services" / service,
                         env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{service}.seed failed ({out.returncode}):\n"
                           f"{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    for line in reversed(out.stdout.strip().splitlines()):
        try:
            result = json.loads(line)
        except ValueError:
            continue
        if isinstance(result, dict):
            return result
    return {}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    """Start everything on enter, end everything on exit (processes, vhost, databases, files).

    ``url`` is the gateway's base URL, ``seeds`` maps each service to its seed's JSON,
    ``logs`` is the folder of every process's log, ``dev_texts`` where development text
    messages land (beside the file store), ``env`` the environment the processes share."""

    def __init__(self, root: Path, *, web_dir: Path | None = None, workers: int = 2,
                 run_dir: Path | None = None, extra_env: dict | None = None,
                 log_level: str | None = None, prepare=None):
        self.root = Path(root)
        self.web_dir = web_dir
        self.workers = workers
        self.tag = uuid.uuid4().hex[:8]
        self.run = Path(run_dir or tempfile.mkdtemp(prefix=f"fazhi-platform-{self.tag}-"))
        self.logs = self.run / "logs"
        self.dev_texts = self.run / "dev-texts"
        self.extra_env = extra_env or {}
        self.log_level = log_level
        self.prepare = prepare          # called with the env after migrations, before start
        self.services = service_names(self.root)
        self.procs: list = []
        self.seeds: dict = {}
        self.url = ""

    def _env(self) -> dict:
        from .testing import TEST_PG

        self.vhost = f"fazhi-platform-{self.tag}"
        self.databases = {f"{name.upper()}_DATABASE_URL": f"{TEST_PG.get()}/fazhi_{name}_p{self.tag}"
                          for name in [*self.services, "gateway"]}
        env = {**os.environ, **self.databases,
               "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}",
               "FAZHI_FILE_STORE": str(self.run / "files"), "FAZHI_DEV_MODE": "true",
               "FAZHI_CLOCK_FILE": "", "GATEWAY_BIND": f"127.0.0.1:{free_port()}",
               "GATEWAY_WORKERS": str(self.workers), "FAZHI_LOG_FORMAT": "text"}
        if self.web_dir:
            env["GATEWAY_WEB_DIR"] = str(self.web_dir)
        if self.log_level:
            env["FAZHI_LOG_LEVEL"] = self.log_level
        env.update(self.extra_env)
        return env

    def own(self, identity: str) -> dict:
        """The environment of ``identity``'s processes: its own broker user."""
        from .testing import service_amqp_uri

        return {**self.env, "AMQP_URI": service_amqp_uri(identity, self.env["AMQP_URI"])}

    def __enter__(self) -> "Platform":
        from .migrations import upgrade
        from .testing import ServiceProcess, create_vhost, wait_until

        self.logs.mkdir(parents=True, exist_ok=True)
        (self.run / "files").mkdir(exist_ok=True)
        self.env = self._env()
        create_vhost(self.vhost)
        try:
            for name in self.services:        # each service's start command migrates it
                out = subprocess.run([sys.executable, "-m", name, "--migrate-only"],
                                     cwd=self.root / "services" / name, env=self.own(name),
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    raise RuntimeError(f"migrating {name} failed:\n{out.stderr[-3000:]}")
            upgrade(str(self.root / "gateway" / "migrations"), self.env["GATEWAY_DATABASE_URL"])
            if self.prepare:
                self.prepare(self)
            for name in self.services:
                self.procs.append(ServiceProcess(
                    name, [sys.executable, "-m", name, "--no-migrate"], env=self.own(name),
                    log_path=str(self.logs / f"{name}.log")).start())
            gateway = self.own("gateway")
            self.procs.append(ServiceProcess("gateway", [sys.executable, "-m", "gateway", "serve"],
                                             env=gateway, log_path=str(self.logs / "gateway.log")).start())
            self.procs.append(ServiceProcess("gateway-listener", [sys.executable, "-m", "gateway", "listen"],
                                             env=gateway, log_path=str(self.logs / "gateway-listener.log")).start())
            self.url = f"http://{self.env['GATEWAY_BIND']}"

            def ready() -> bool:
                dead = [proc.name for proc in self.procs if proc.proc.poll() is not None]
                if dead:     # no use waiting: say which and why
                    raise RuntimeError(f"{', '.join(dead)} exited at start: "
                                       f"{json.dumps(self.log_tails(), ensure_ascii=False)[:6000]}")
                try:
                    return requests.get(f"{self.url}/readyz", timeout=2).status_code == 200
                except requests.RequestException:
                    return False

            wait_until(ready, timeout=90, interval=0.3, what="the gateway to be ready")
            for name in seed_order(self.root):
                self.seeds[name] = run_seed(self.root, name, self.own(name))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        from .db import dispose_all, drop_database
        from .testing import delete_vhost

        for proc in reversed(self.procs):
            try:
                proc.stop()
            except Exception:     # already gone
                pass
        self.procs = []
        delete_vhost(self.vhost)
        dispose_all()
        for url in getattr(self, "databases", {}).values():
            try:
                drop_database(url)
            except Exception:     # never created, or the server is down
                pass
        shutil.rmtree(self.run / "files", ignore_errors=True)

    # -- calling it ----------------------------------------------------------------------

    def token(self, username: str, password: str = DEMO_PASSWORD, attempts: int = 5) -> str:
        """An access token for a demo login. A 503 is retried (up to ``attempts`` times, as a
        client told "try again later" would): right after the seeds a busy machine can push
        a login past its deadline while org relays the seeds' events."""
        for attempt in range(attempts):
            r = requests.post(f"{self.url}/api/v1/auth/login",
                              json={"username": username, "password": password}, timeout=10)
            if r.status_code != 503 or attempt == attempts - 1:
                break
            time.sleep(0.5 * (attempt + 1))
        r.raise_for_status()
        return r.json()["access_token"]

    def get(self, path: str, token: str, **query):
        """GET ``/api/v1<path>``: the decoded JSON (raises on an error status)."""
        r = requests.get(f"{self.url}/api/v1{path}", params=query,
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
        r.raise_for_status()
        return r.json()

    def items(self, path: str, token: str, **query) -> list:
        return self.get(path, token, **{"limit": 200, **query})["items"]

    def log_tails(self, size: int = 1500) -> dict:
        return {p.name: p.read_text(errors="replace")[-size:] for p in self.logs.glob("*.log")}

    def wait_until(self, predicate, timeout: float = 30, what: str = "condition"):
        from .testing import wait_until

        return wait_until(predicate, timeout=timeout, what=what)


def node_problem() -> str | None:
    """Why web/ cannot be built here (None when Node >= 20.19 and npm are installed)."""
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        return "Node >= 20.19 with npm is needed to build web/"
    version = subprocess.run([node, "-p", "process.versions.node"], capture_output=True,
                             text=True).stdout.strip()
    major, minor = (int(p) for p in version.split(".")[:2])
    return None if (major, minor) >= (20, 19) else f"Node {version} is too old (>= 20.19)"


def build_web(web: Path) -> Path:
    """``npm ci`` when the lockfile changed, then ``npm run build`` (which checks the
    bundle budgets); the build directory."""
    installed = web / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (web / "package-lock.json").stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True,
                       capture_output=True)
    built = subprocess.run(["npm", "run", "build"], cwd=web, capture_output=True, text=True)
    if built.returncode != 0:
        raise RuntimeError(f"npm run build failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}")
    return web / "dist"


def run_browser_script(script: Path, platform: Platform, screenshots: Path, **env) -> dict:
    """Run a playwright-core script (``node <script>``, from web/) against the platform; its
    JSON report (the last stdout line starting with ``{``), ``ok`` false with the output
    when it printed none."""
    web = platform.root / "web"
    out = subprocess.run(["node", str(script)], cwd=web, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "BASE_URL": platform.url,
                                           "SCREENSHOTS": str(screenshots),
                                           "PASSWORD": DEMO_PASSWORD,
                                           **{k: str(v) for k, v in env.items()}})
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1]) if lines else {"ok": False, "error": out.stdout + out.stderr}
    report.setdefault("stderr", out.stderr[-2000:])
    return report
