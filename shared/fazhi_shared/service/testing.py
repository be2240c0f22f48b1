"""pytest fixtures every package's tests use (loaded as the ``fazhi`` pytest plugin).

Tests run against the real RabbitMQ and PostgreSQL: each test session gets its own
RabbitMQ virtual host (so a running platform on the same broker is never disturbed) and
each package its own throw-away databases, migrated with the package's own migrations.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from ..config import Setting

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
    """Run nameko services in this process (the test process is monkey-patched)."""
    from nameko.runners import ServiceRunner

    from .runner import nameko_config

    runner = ServiceRunner({**nameko_config(), **(config or {})})
    for cls in service_classes:
        runner.add_service(cls)
    runner.start()
    try:
        yield runner
    finally:
        runner.stop()


class ServiceProcess:
    """A service (or the gateway) run as a child process, as in production."""

    def __init__(self, name: str, argv: list[str], env: dict | None = None, log_path=None):
        self.name = name
        self.argv = argv
        self.env = {**os.environ, **(env or {})}
        self.log_path = log_path
        self.proc = None

    def start(self):
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=out)
        return self

    def stop(self, timeout: float = 15):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def service_process(name: str, module: str, log_dir=None, env=None) -> ServiceProcess:
    log_path = os.path.join(log_dir, f"{name}.log") if log_dir else None
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


def call_as(principal, service: str, method: str, timeout: float = 10, **kwargs):
    """Call an RPC as ``principal`` (its deadline set to now + timeout) from a test."""
    import dataclasses

    from ..context import sign
    from .rpc_client import client, context_for

    p = dataclasses.replace(principal, deadline=time.time() + timeout)
    return client().call(service, method, kwargs, context_for(sign(p), "test"), timeout)
