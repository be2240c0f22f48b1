"""Probes against the fake RPC: /readyz pings every mounted service and names what fails;
only the database, the broker and the identity service (org) make it 503."""
import time

from fazhi_shared.errors import ServiceUnavailable


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ready_pings_every_mounted_service(client, fake_rpc, app):
    r = client.get("/readyz")
    assert r.status_code == 200, r.get_json()
    checks = r.get_json()["checks"]
    assert {s: checks[s] for s in app.config["GATEWAY_SERVICES"]} == \
        {s: "ok" for s in app.config["GATEWAY_SERVICES"]}
    pinged = sorted(c[0] for c in fake_rpc.calls if c[1] == "ping")
    assert pinged == sorted(app.config["GATEWAY_SERVICES"])


def test_not_ready_names_the_service_that_does_not_answer(client, fake_rpc):
    fake_rpc.answer("org", "ping", ServiceUnavailable())
    r = client.get("/readyz")
    assert r.status_code == 503
    body = r.get_json()
    assert body["checks"]["org"] == "unavailable" and "org" in body["error"]["message"]


def test_another_service_away_degrades_but_keeps_the_gateway_ready(client, fake_rpc, app):
    others = [s for s in app.config["GATEWAY_SERVICES"] if s != "org"]
    assert others, "only org is mounted: install another service's contract"
    away = others[0]
    fake_rpc.answer(away, "ping", ServiceUnavailable())
    r = client.get("/readyz")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "degraded" and body["degraded"] == [away]
    assert body["checks"][away] == "unavailable" and body["checks"]["org"] == "ok"


def test_readyz_answers_quickly_with_the_broker_down(client, monkeypatch):
    monkeypatch.setenv("AMQP_URI", "amqp://guest:guest@127.0.0.1:1/")
    started = time.monotonic()
    r = client.get("/readyz")
    assert r.status_code == 503 and r.get_json()["checks"]["broker"] == "unavailable"
    assert time.monotonic() - started < 2
