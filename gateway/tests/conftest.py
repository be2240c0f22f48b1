"""The gateway's own tests: the Flask app (test client) in front of a fake RPC fed with
examples from the installed contracts. No service runs here; the gateway's own database
(login sessions) is a real, fresh PostgreSQL database. Real services meet the gateway in
the cross-service tests under ``tests/``.
"""
from __future__ import annotations

import pytest

from fazhi_shared.context import Principal

from gateway import contracts, rpc
from gateway.app import create_app
from gateway.models import MIGRATIONS_DIR
from gateway.testing import fake_account, fake_rpc_for

SYSTEM = Principal.system()


@pytest.fixture(scope="session")
def gateway_db(make_database):
    return make_database("gateway", MIGRATIONS_DIR)


@pytest.fixture
def fake_rpc(monkeypatch):
    """Every RPC the gateway makes goes to this fake (see ``gateway.testing.FakeRpc``)."""
    fake = fake_rpc_for(contracts.installed())
    monkeypatch.setattr(rpc, "client", lambda: fake)
    return fake


@pytest.fixture
def app(gateway_db, fake_rpc):
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def plain_app():
    """The app without broker or database (for what needs no I/O)."""
    return create_app({"TESTING": True})


@pytest.fixture
def login(client, fake_rpc):
    """``login(*(role, path))`` → headers of a real login whose account holds the grants
    (org's ``authenticate`` answered by the fake)."""
    def do(*grants, **kwargs):
        acc = fake_account(grants, **kwargs)
        fake_rpc.answer("org", "authenticate", acc)
        fake_rpc.answer("org", "get_account", acc)
        r = client.post("/api/v1/auth/login", json={"username": acc["username"],
                                                    "password": "whatever-it-is"})
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        return {"Authorization": f"Bearer {body['access_token']}",
                "refresh_token": body["refresh_token"], "account": acc}
    return do


def bearer(headers: dict) -> dict:
    return {"Authorization": headers["Authorization"]}
