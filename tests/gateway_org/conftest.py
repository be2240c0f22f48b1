"""The gateway in front of the real org service: the Flask app (test client) with org
run in process on the real broker, each test module with its own fresh databases. These
keep every end-to-end check of org's routes through the gateway (scope: 404 outside it,
roles, workbook upload and download, a stopped service is 503); the gateway's own tests
(gateway/tests) run against a fake RPC fed with examples from the contracts.

The world is module-scoped and lives on its own RabbitMQ vhost: in a whole-repo pytest
run, session-scoped fixtures of other packages (an org service on the session vhost with
another database) stay alive, and two org services on one queue would answer from
different databases.
"""
from __future__ import annotations

import os
import uuid
from contextlib import ExitStack
from types import SimpleNamespace

import pytest

from fazhi_shared.service import rpc_client
from fazhi_shared.context import Principal
from fazhi_shared.service.testing import (call_as, private_vhost, running_services,
                                  wait_for_ping)

from gateway.app import create_app
from gateway.testing import make_login
from gateway.models import MIGRATIONS_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORG_MIGRATIONS = os.path.join(ROOT, "services", "org", "migrations")
SYSTEM = Principal.system()


def fresh_rpc_client() -> None:
    """Forget this thread's RPC client, so the next call connects to the current AMQP_URI."""
    rpc_client.reset()


class OrgRunner:
    """The org service in this process; a test may stop it (once) to see 503s."""

    def __init__(self):
        self._stack = None

    def start(self):
        from org.service import OrgService

        self._stack = ExitStack()
        self._stack.enter_context(running_services(OrgService))
        wait_for_ping("org")

    def stop(self):
        if self._stack is not None:
            self._stack.close()
            self._stack = None


@pytest.fixture(scope="module")
def env(make_database):
    """A private vhost and fresh gateway and org databases, for one test module."""
    with private_vhost("fazhi-gateway-test") as uri, pytest.MonkeyPatch.context() as mp:
        # Recorded first so leaving the module restores what was there before.
        mp.delenv("GATEWAY_DATABASE_URL", raising=False)
        mp.delenv("ORG_DATABASE_URL", raising=False)
        gateway_db = make_database("gateway", MIGRATIONS_DIR)
        org_db = make_database("org", ORG_MIGRATIONS)
        yield SimpleNamespace(amqp_uri=uri, gateway_db=gateway_db, org_db=org_db)


@pytest.fixture(scope="module")
def org_service(env):
    runner = OrgRunner()
    runner.start()
    yield runner
    runner.stop()


@pytest.fixture(scope="module")
def app(env):
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def plain_app():
    """The app without broker or database (for what needs no I/O)."""
    return create_app({"TESTING": True})


def _account(unit: dict, username: str, role: str | None) -> dict:
    return make_login(unit["id"], role, username=username)


@pytest.fixture
def make_account(world):
    """``make_account(role=None)`` → a new login on the world's compound."""
    return lambda role=None: _account(world.units["compound"], f"u_{uuid.uuid4().hex[:8]}", role)


@pytest.fixture(scope="module")
def world(org_service):
    """city → street → community → compound → building → unit, and one login per role
    the tests need (usernames are unique per module: the org database is too)."""
    node, units = None, {}
    for kind, name in (("city", "法治市"), ("street", "清风街道"), ("community", "明理社区"),
                       ("compound", "和谐小区"), ("building", "1幢"), ("unit", "101室")):
        node = call_as(SYSTEM, "org", "create_unit", parent_id=node and node["id"], kind=kind,
                       name=name)
        units[kind] = node
    tag = uuid.uuid4().hex[:6]
    return SimpleNamespace(
        units=units,
        admin=_account(units["city"], f"admin_{tag}", "city_admin"),
        worker=_account(units["community"], f"worker_{tag}", "community_worker"),
        resident=_account(units["unit"], f"resident_{tag}", "resident"),
        nobody=_account(units["compound"], f"nobody_{tag}", None),
        spare=_account(units["compound"], f"spare_{tag}", None),
    )


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def login(client):
    """``login(account, **headers)`` → the login response body (asserting 200)."""
    def do(account, **headers):
        r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                    "password": account["password"]},
                        headers=headers)
        assert r.status_code == 200, r.get_json()
        return r.get_json()
    return do


@pytest.fixture
def as_user(login):
    """``as_user(account)`` → request headers carrying a fresh access token."""
    return lambda account: bearer(login(account)["access_token"])


@pytest.fixture
def broker_down(env, monkeypatch):
    """AMQP_URI points at a port where no broker listens (for this test only)."""
    monkeypatch.setenv("AMQP_URI", "amqp://guest:guest@127.0.0.1:1/")
    fresh_rpc_client()
    yield
    monkeypatch.undo()
    fresh_rpc_client()
