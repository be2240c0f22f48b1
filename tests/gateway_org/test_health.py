"""Probes, and 503s when the broker or the org service is not there.

The gateway's readiness pings every service whose contract it mounts, so this module runs
the other installed services too (in process, on the module's vhost, fresh databases).
The org service is stopped once, for the last tests of this module, and not restarted:
restarting an in-process nameko runner can hang on its next stop (nameko 2.14's queue
consumer may exit before it processes the pending cancel), so order matters here.
"""
import importlib
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from fazhi_shared.http import ENTRY_POINT_GROUP
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.testing import running_services, wait_for_ping

EN = {"Accept-Language": "en"}
ROOT = Path(__file__).resolve().parents[2]
MOUNTED = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
OTHERS = [name for name in MOUNTED if name != "org"]


def service_class(name: str) -> type:
    module = importlib.import_module(f"{name}.service")
    return next(c for c in vars(module).values() if isinstance(c, type)
                and issubclass(c, Service) and getattr(c, "name", None) == name)


@pytest.fixture(scope="module", autouse=True)
def other_services(env, make_database):
    """Every other installed service beside org, each with a fresh database."""
    with pytest.MonkeyPatch.context() as mp:
        for name in OTHERS:
            mp.delenv(f"{name.upper()}_DATABASE_URL", raising=False)    # restored after
            make_database(name, str(ROOT / "services" / name / "migrations"))
        with running_services(*(service_class(name) for name in OTHERS)):
            for name in OTHERS:
                wait_for_ping(name)
            yield


def checks(**states) -> dict:
    """The readiness checks: every mounted service "ok" unless named otherwise."""
    return {"database": "ok", "broker": "ok", **{name: "ok" for name in MOUNTED}, **states}


def timed(fn):
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ready_when_everything_answers(client, org_service):
    r = client.get("/readyz")
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"status": "ready", "checks": checks()}


def test_readyz_answers_quickly_with_the_broker_down(client, org_service, broker_down):
    r, took = timed(lambda: client.get("/readyz"))
    assert r.status_code == 503 and took < 1.5, took
    body = r.get_json()
    assert body["checks"] == checks(broker="unavailable",
                                    **{name: "unavailable" for name in MOUNTED})
    assert body["error"]["code"] == "service_unavailable" and "broker" in body["error"]["message"]


def test_a_route_with_the_broker_down_is_503_not_500(client, world, broker_down):
    # Login is itself an RPC, so no token is needed to show it.
    r, took = timed(lambda: client.post("/api/v1/auth/login", json={
        "username": world.worker["username"], "password": world.worker["password"]}))
    assert r.status_code == 503, r.get_json()
    assert r.get_json()["error"]["code"] == "service_unavailable"
    # fazhi_shared's client sleeps ~2 s in kombu's connection retry (see the README).
    assert took < 3.0, took


@pytest.fixture(scope="module")
def org_stopped(app, world, org_service):
    """Sign a worker in, then stop org for the rest of the module; the worker's headers."""
    r = app.test_client().post("/api/v1/auth/login", json={
        "username": world.worker["username"], "password": world.worker["password"]})
    assert r.status_code == 200
    org_service.stop()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


def test_not_ready_names_the_stopped_service(client, org_stopped):
    r, took = timed(lambda: client.get("/readyz", headers=EN))
    assert r.status_code == 503 and took < 1.5, took
    body = r.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"] == checks(org="unavailable")
    assert body["error"] == {"code": "service_unavailable", "message": "Not ready: org."}


def test_a_route_to_a_stopped_service_is_503_within_2s(client, org_stopped):
    r, took = timed(lambda: client.get("/api/v1/org/ping", headers=org_stopped))
    assert r.status_code == 503 and took < 2.0, took
    assert r.get_json()["error"] == {"code": "service_unavailable",
                                     "message": "org 服务暂时不可用，请稍后再试。"}
