"""pytest fixtures every package's tests use (loaded as the ``fazhi`` pytest plugin).

Tests run against the real RabbitMQ and PostgreSQL: each test session gets its own
RabbitMQ virtual host (so a running platform on the same broker is never disturbed) and
each package its own throw-away databases, migrated with the package's own migrations.
The vhost is made through RabbitMQ's management API (``rabbitmqctl`` when it is off);
tests that inspect the broker need the API: :func:`require_management_api` fails with
how to enable it, and any test failing on a connection to it says so too.

Child processes (:class:`ServiceProcess`) run in their own process group and are always
ended: ``stop`` ends the whole group (SIGTERM, then SIGKILL after a timeout), and any
still running when the session ends — e.g. started by a fixture that failed before it
could yield — is ended then.

Under ``CI=true`` a missing prerequisite is a failure, not a skip (:func:`skip_or_fail`).
"""
from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import time
import uuid
import weakref
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import pytest

from ..config import Setting, as_bool

def pytest_load_initial_conftests(early_config, parser, args):
    """Monkey-patch eventlet before any test module imports sockets or threads.

    nameko runs services in process on eventlet; nameko's own plugin no longer patches.
    """
    from .green import monkey_patch

    # The tests run in development mode (development keys accepted); child processes inherit it.
    os.environ.setdefault("FAZHI_DEV_MODE", "true")
    monkey_patch()


ADMIN_URL = Setting("FAZHI_TEST_RABBIT_ADMIN", "http://guest:guest@127.0.0.1:15672",
                    doc="RabbitMQ management API used by the tests to make a vhost")
TEST_PG = Setting("FAZHI_TEST_POSTGRES", "postgresql+pg8000://postgres@127.0.0.1:5432",
                  doc="PostgreSQL server the tests create their databases on")
CI = Setting("CI", False, as_bool,
             doc="set by CI systems: a missing test prerequisite fails instead of skipping")
ENABLE_MANAGEMENT = "rabbitmq-plugins enable rabbitmq_management"


def skip_or_fail(reason: str) -> None:
    """Skip the test for a missing prerequisite — or, under ``CI=true``, fail it: CI must
    not pass without running what it is there to run."""
    if CI.get():
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure)", pytrace=False)
    pytest.skip(reason)


def _shown(url: str) -> str:
    """The URL without its credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def management_api_problem() -> str | None:
    """None when RabbitMQ's management API answers; else what is wrong and how to fix it."""
    import requests

    url = ADMIN_URL.get()
    try:
        requests.get(f"{url}/api/overview", timeout=3).raise_for_status()
        return None
    except requests.RequestException as exc:
        return (f"RabbitMQ's management API does not answer at {_shown(url)} "
                f"({exc.__class__.__name__}). The tests need it (a private vhost per run; "
                f"tests that list, close or inspect broker connections and queues). Enable it "
                f"with `{ENABLE_MANAGEMENT}` (`make test` does this itself), or point "
                f"FAZHI_TEST_RABBIT_ADMIN at it.")


def ensure_management_api(wait: float = 30) -> None:
    """Before a test run (``make test``): enable the management plugin when the API does
    not answer and wait for it; exit saying how when that is not possible."""
    import shutil

    problem = management_api_problem()
    if problem is None:
        return
    if shutil.which("rabbitmq-plugins"):
        print(f"RabbitMQ's management API is off; running `{ENABLE_MANAGEMENT}`", flush=True)
        subprocess.run(ENABLE_MANAGEMENT.split() + ["--quiet"], capture_output=True)
        end = time.monotonic() + wait
        while time.monotonic() < end and (problem := management_api_problem()):
            time.sleep(1)
    if problem:
        sys.exit(f"{problem}\n(It could not be enabled from here: run the command above on "
                 f"the broker's host, as a user allowed to, then `make test` again.)")


def require_management_api() -> str:
    """The management API's URL; fails the test, saying how to enable it, when it is off."""
    problem = management_api_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    return ADMIN_URL.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that failed on a connection to the management API says why."""
    report = yield
    if report.failed and call.excinfo is not None:
        port = urlsplit(ADMIN_URL.get()).port
        if port and f"port={port}" in str(call.excinfo.getrepr(style="short")):
            problem = management_api_problem()
            if problem:
                report.longrepr = f"{report.longrepr}\n\n{problem}"
    return report


def create_vhost(name: str) -> None:
    import requests

    url = ADMIN_URL.get()
    try:
        r = requests.put(f"{url}/api/vhosts/{quote(name, safe='')}", timeout=5)
        r.raise_for_status()
        r = requests.put(f"{url}/api/permissions/{quote(name, safe='')}/guest",
                         json={"configure": ".*", "write": ".*", "read": ".*"}, timeout=5)
        r.raise_for_status()
    except requests.RequestException:
        # No management plugin: fall back to the CLI (the test machine runs the broker).
        subprocess.run(["rabbitmqctl", "add_vhost", name], check=True, capture_output=True)
        subprocess.run(["rabbitmqctl", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                       check=True, capture_output=True)


_broker_users: set = set()


def service_amqp_uri(identity: str, amqp_uri: str | None = None) -> str:
    """The URI of ``amqp_uri`` (default ``AMQP_URI``: the test vhost) for ``identity``'s own
    broker user ``fazhi-<identity>``, made (development password) with its production
    permissions on that vhost (``keys.broker_permissions``), as ``make run`` does. Services
    started by the tests connect so: their events carry their user, and a permission the
    platform lacks fails here as it would in production."""
    import requests

    from ..keys import broker_permissions, broker_user, dev_broker_password

    base = urlsplit(amqp_uri or os.environ.get("AMQP_URI") or "amqp://guest:guest@127.0.0.1:5672/")
    vhost = unquote(base.path[1:]) if len(base.path) > 1 else "/"
    user, password = broker_user(identity), dev_broker_password(identity)
    if (vhost, user) not in _broker_users:
        perms = broker_permissions(identity)
        url = ADMIN_URL.get()
        try:
            requests.put(f"{url}/api/users/{quote(user, safe='')}",
                         json={"password": password, "tags": ""}, timeout=5).raise_for_status()
            requests.put(f"{url}/api/permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
                         json=perms, timeout=5).raise_for_status()
        except requests.RequestException:
            subprocess.run(["rabbitmqctl", "add_user", user, password], capture_output=True)
            subprocess.run(["rabbitmqctl", "change_password", user, password],
                           check=True, capture_output=True)
            subprocess.run(["rabbitmqctl", "set_permissions", "-p", vhost, user,
                            perms["configure"], perms["write"], perms["read"]],
                           check=True, capture_output=True)
        _broker_users.add((vhost, user))
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{base.hostname}"
    if base.port:
        netloc += f":{base.port}"
    return urlunsplit((base.scheme, netloc, base.path, base.query, ""))


def delete_vhost(name: str) -> None:
    import requests

    try:
        requests.delete(f"{ADMIN_URL.get()}/api/vhosts/{quote(name, safe='')}", timeout=10)
    except requests.RequestException:
        subprocess.run(["rabbitmqctl", "delete_vhost", name], capture_output=True)


def queue_depth(vhost_uri: str, queue: str) -> int | None:
    """Messages ready in ``queue`` (via a passive declare; None when it does not exist)."""
    from kombu import Connection
    with Connection(vhost_uri) as conn:
        try:
            _, count, _ = conn.default_channel.queue_declare(queue, passive=True)
            return count
        except Exception:
            return None


@contextmanager
def private_vhost(prefix: str = "fazhi-test"):
    """A fresh RabbitMQ vhost; ``AMQP_URI`` points at it (and this thread's RPC client is
    rebuilt) until the block ends, then the vhost and everything in it is deleted."""
    from . import rpc_client

    vhost = f"{prefix}-{uuid.uuid4().hex[:10]}"
    create_vhost(vhost)
    uri = f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AMQP_URI", uri)
        rpc_client.reset()
        try:
            yield uri
        finally:
            rpc_client.reset()
    delete_vhost(vhost)


@pytest.fixture(scope="session")
def vhost_uri():
    """A fresh RabbitMQ vhost for this test session; ``AMQP_URI`` points at it.

    (Not named ``amqp_uri``: nameko's own pytest plugin has a fixture of that name, and
    which plugin wins would depend on the order they load in.)

    A test directory whose services must not meet another directory's (e.g. in-process
    services left running by a session fixture) overrides this with its own
    ``private_vhost``.
    """
    with private_vhost() as uri:
        yield uri


@pytest.fixture(scope="session", autouse=True)
def file_store(tmp_path_factory):
    """A private shared file store for the test session (child processes inherit it)."""
    path = str(tmp_path_factory.mktemp("file-store"))
    previous = os.environ.get("FAZHI_FILE_STORE")
    os.environ["FAZHI_FILE_STORE"] = path
    yield path
    if previous is None:
        os.environ.pop("FAZHI_FILE_STORE", None)
    else:
        os.environ["FAZHI_FILE_STORE"] = previous


@pytest.fixture(scope="session")
def make_database():
    """``make_database(service, migrations_dir)`` → URL of a fresh migrated database.

    Sets ``<SERVICE>_DATABASE_URL`` so in-process and child services use it.
    """
    from .db import dispose_all, drop_database
    from .migrations import upgrade

    made = []

    def make(service: str, migrations_dir: str) -> str:
        name = f"fazhi_{service}_test_{uuid.uuid4().hex[:8]}"
        url = f"{TEST_PG.get()}/{name}"
        upgrade(migrations_dir, url)
        os.environ[f"{service.upper()}_DATABASE_URL"] = url
        made.append(url)
        return url

    yield make
    dispose_all()
    for url in made:
        drop_database(url)


@pytest.fixture
def clock_file(tmp_path, monkeypatch):
    """A clock file shared with child processes; write it with ``clock.set_clock``."""
    path = str(tmp_path / "clock.json")
    monkeypatch.setenv("FAZHI_CLOCK_FILE", path)
    return path


@contextmanager
def running_services(*service_classes, config: dict | None = None):
    """Run nameko services in this process (the test process is monkey-patched), each on
    its own broker user (:func:`service_amqp_uri`) unless ``config`` names an AMQP_URI."""
    from contextlib import ExitStack

    from nameko.runners import ServiceRunner

    from .rpc import identity_of
    from .runner import nameko_config

    runners = []
    with ExitStack() as stack:
        for cls in service_classes:
            settings = {**nameko_config(), **(config or {})}
            if not (config or {}).get("AMQP_URI"):
                settings["AMQP_URI"] = service_amqp_uri(identity_of(cls), settings["AMQP_URI"])
            runner = ServiceRunner(settings)
            runner.add_service(cls)
            runner.start()
            stack.callback(runner.stop)
            runners.append(runner)
        yield runners[0] if len(runners) == 1 else runners


_CHILDREN: "weakref.WeakSet[ServiceProcess]" = weakref.WeakSet()


class ServiceProcess:
    """A service (or the gateway) run as a child process, as in production — in its own
    process group, so ending it ends whatever it started too (gunicorn's workers, …)."""

    def __init__(self, name: str, argv: list[str], env: dict | None = None, log_path=None):
        self.name = name
        self.argv = argv
        self.env = {**os.environ, **(env or {})}
        self.log_path = log_path
        self.proc = None

    def start(self):
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=out,
                                     process_group=0)
        if out is not subprocess.DEVNULL:
            out.close()             # the child has its own copy
        _CHILDREN.add(self)
        return self

    def _signal_group(self, sig) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout: float = 15):
        """SIGTERM to the group; SIGKILL to the group if the process has not ended within
        ``timeout`` seconds, or to what it leaves behind."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def kill(self):
        """SIGKILL to the whole group (also to children the process left behind)."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGKILL)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        _CHILDREN.discard(self)


def end_children(timeout: float = 5) -> None:
    """End every child process the tests started that is still running."""
    for child in list(_CHILDREN):
        child.stop(timeout)


def pytest_sessionfinish(session, exitstatus):
    end_children()


atexit.register(end_children)      # a run that ends without pytest's session finishing


def service_process(name: str, module: str, log_dir=None, env=None) -> ServiceProcess:
    """``python -m <module>`` as a child process, on ``name``'s own broker user."""
    log_path = os.path.join(log_dir, f"{name}.log") if log_dir else None
    env = {"AMQP_URI": service_amqp_uri(name), **(env or {})}
    return ServiceProcess(name, [sys.executable, "-m", module, "--no-migrate"], env, log_path)


def wait_until(predicate, timeout: float = 20, interval: float = 0.1, what: str = "condition"):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = predicate()
            if last:
                return last
        except Exception as exc:  # not ready yet
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def wait_for_ping(service: str, timeout: float = 30):
    from ..context import Principal, sign
    from .rpc_client import RpcClient

    c = RpcClient()
    ctx = {"fazhi_caller": sign(Principal.anonymous())}
    try:
        return wait_until(lambda: c.call(service, "ping", {}, ctx, timeout=1),
                          timeout, 0.2, f"{service} to answer ping")
    finally:
        c.close()


def production_keys(monkeypatch, *signers: str) -> dict:
    """Leave development mode for this test, with real key pairs for ``signers``: each
    ``<NAME>_SIGNING_KEY`` is set in this process (in-process services sign with them) and
    ``FAZHI_SIGNING_PUBLIC_KEYS`` lists their public keys. ``{name: (private, public)}``."""
    from ..keys import new_key_pair

    pairs = {name: new_key_pair() for name in signers}
    monkeypatch.setenv("FAZHI_DEV_MODE", "false")
    for name, (private, _) in pairs.items():
        monkeypatch.setenv(f"{name.upper()}_SIGNING_KEY", private)
    monkeypatch.setenv("FAZHI_SIGNING_PUBLIC_KEYS",
                       ",".join(f"{name}={public}" for name, (_, public) in pairs.items()))
    return pairs


def call_as(principal, service: str, method: str, timeout: float = 10, **kwargs):
    """Call an RPC as ``principal`` (its deadline set to now + timeout) from a test."""
    import dataclasses

    from ..context import sign
    from .rpc_client import client, context_for

    p = dataclasses.replace(principal, deadline=time.time() + timeout)
    return client().call(service, method, kwargs, context_for(sign(p), "test"), timeout)


# -- the whole platform in a browser -------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


def _repo_root(config):
    """The repository's root folder (pytest's rootdir, where pytest.ini is)."""
    from pathlib import Path

    return Path(str(config.rootpath))


@pytest.fixture(scope="session")
def web_build(request):
    """web/ built once for the session (``npm ci`` when its lockfile changed, then ``npm run
    build``, which checks the bundle budgets): the build directory. Needs Node >= 20.19 and
    Debian's Chromium: missing, the browser tests skip (fail under ``CI=true``)."""
    from .platform import build_web, node_problem

    problem = node_problem()
    if problem:
        skip_or_fail(problem)
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    return build_web(_repo_root(request.config) / "web")


@pytest.fixture(scope="session")
def web_platform(request, web_build):
    """Every service, the gateway serving the fresh build of web/ and its listener, on a
    private vhost with fresh databases and every service's demo data (seeds run after start,
    in dependency order: :class:`fazhi_shared.service.platform.Platform`). One per session,
    shared by every browser test: tests add their own records rather than assume none."""
    from .platform import Platform

    with Platform(_repo_root(request.config), web_dir=web_build) as platform:
        yield platform


def browser(script, platform, **env) -> dict:
    """Run the playwright-core ``script`` (a path; see web/e2e/lib.mjs) against
    ``web_platform``; its report. Fails the test with the script's reason, its checks and
    the tail of every process's log when it did not pass. Screenshots land in
    web/test-results/screenshots/."""
    import json

    from .platform import run_browser_script

    screenshots = platform.root / "web" / "test-results" / "screenshots"
    report = run_browser_script(script, platform, screenshots, **env)
    if not report.get("ok"):
        pytest.fail(f"{script}: {report.get('error')}\nchecked: {report.get('checks')}\n"
                    f"stderr: {report.get('stderr')}\nlogs: "
                    f"{json.dumps(platform.log_tails(), ensure_ascii=False)[:6000]}")
    return report
