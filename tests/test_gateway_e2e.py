"""End to end through the gateway (gunicorn) to the org service (its own process) on the
real broker and database: scope, refusal without context, and a stopped service."""
import json
import time
import uuid

import pytest
import requests

from fazhi_shared.context import Principal
from fazhi_shared.errors import Unauthenticated
from fazhi_shared.service.rpc_client import RpcClient
from fazhi_shared.service.testing import call_as, wait_for_ping, wait_until

SYSTEM = Principal.system()
PASSWORD = "e2e-password-1"


def make_login(username, role, unit):
    person = call_as(SYSTEM, "org", "create_person", name=username, unit_id=unit["id"])
    account = call_as(SYSTEM, "org", "create_account", username=username, password=PASSWORD,
                      person_id=person["id"])
    call_as(SYSTEM, "org", "grant_role", account_id=account["id"], role=role,
            unit_id=unit["id"])


@pytest.fixture(scope="module")
def world(gateway_url):
    city = call_as(SYSTEM, "org", "create_unit", parent_id=None, kind="city", name="端到端市")
    street_a = call_as(SYSTEM, "org", "create_unit", parent_id=city["id"], kind="street",
                       name="甲街道")
    street_b = call_as(SYSTEM, "org", "create_unit", parent_id=city["id"], kind="street",
                       name="乙街道")
    community_b = call_as(SYSTEM, "org", "create_unit", parent_id=street_b["id"],
                          kind="community", name="乙社区")
    make_login("e2e_street_admin_a", "street_admin", street_a)
    make_login("e2e_worker_b", "community_worker", community_b)
    return {"street_a": street_a, "community_b": community_b}


class Api:
    def __init__(self, base, username):
        self.base = f"{base}/api/v1"
        r = requests.post(f"{self.base}/auth/login",
                          json={"username": username, "password": PASSWORD}, timeout=5)
        assert r.status_code == 200, r.text
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

    def get(self, path, **kw):
        return requests.get(self.base + path, headers=self.headers, timeout=10, **kw)

    def post(self, path, body):
        return requests.post(self.base + path, json=body, headers=self.headers, timeout=10)


def test_scope_through_the_gateway(gateway_url, world):
    admin = Api(gateway_url, "e2e_street_admin_a")
    r = admin.post("/org/units", {"parent_id": world["street_a"]["id"], "kind": "community",
                                  "name": "甲社区"})
    assert r.status_code == 201, r.text
    community = r.json()
    compound = admin.post("/org/units", {"parent_id": community["id"], "kind": "compound",
                                         "name": "法治小区"}).json()
    for b in ("1幢", "2幢"):
        building = admin.post("/org/units", {"parent_id": compound["id"], "kind": "building",
                                             "name": b}).json()
        for u in ("101室", "102室"):
            r = admin.post("/org/units", {"parent_id": building["id"], "kind": "unit", "name": u})
            assert r.status_code == 201 and r.json()["path"].startswith(compound["path"])
    children = admin.get(f"/org/units/{compound['id']}/children").json()
    assert [c["name"] for c in children["items"]] == ["1幢", "2幢"]

    worker_b = Api(gateway_url, "e2e_worker_b")
    r = worker_b.get(f"/org/units/{compound['id']}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    listed = worker_b.get("/org/compounds", params={"limit": 200}).json()
    assert compound["id"] not in {c["id"] for c in listed["items"]}
    # bad input: 422 naming the field, in Chinese by default and English on request
    r = admin.post("/org/units", {"parent_id": compound["id"], "kind": "castle"})
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) >= {"kind", "name"}
    world["compound"] = compound


def test_one_request_id_from_gateway_to_service_logs(gateway_url, world, org_process):
    admin = Api(gateway_url, "e2e_street_admin_a")
    request_id = f"e2e-trace-{uuid.uuid4().hex[:12]}"
    r = requests.get(f"{admin.base}/org/units/{world['street_a']['id']}",
                     headers={**admin.headers, "X-Request-ID": request_id}, timeout=5)
    assert r.status_code == 200 and r.headers["X-Request-ID"] == request_id
    lines = [json.loads(line) for line in open(org_process.log_path, encoding="utf-8")
             if request_id in line]
    assert [(t["service"], t["message"]) for t in lines] == [("org", "rpc org.get_unit ok")]


def test_direct_rpc_without_context_is_refused(world):
    client = RpcClient()
    with pytest.raises(Unauthenticated):
        client.call("org", "get_unit", {"id": world["street_a"]["id"]}, context={})
    client.close()


def test_stopped_service_gives_503_fast_and_loses_no_write(gateway_url, world, org_process):
    admin = Api(gateway_url, "e2e_street_admin_a")
    compound = world.get("compound") or admin.get("/org/compounds").json()["items"][0]
    org_process.stop()
    try:
        start = time.monotonic()
        r = admin.get(f"/org/units/{compound['id']}")
        assert r.status_code == 503 and time.monotonic() - start < 2
        assert r.json()["error"]["code"] == "service_unavailable"
        ready = requests.get(f"{gateway_url}/readyz", timeout=5)
        assert ready.status_code == 503 and "org" in ready.text
        start = time.monotonic()
        r = admin.post("/org/units", {"parent_id": compound["id"], "kind": "building",
                                      "name": "不该出现的楼"})
        assert r.status_code == 503 and time.monotonic() - start < 2
    finally:
        org_process.start()
    wait_for_ping("org")
    # the same gateway process, not restarted, works again …
    wait_until(lambda: admin.get(f"/org/units/{compound['id']}").status_code == 200,
               timeout=15, what="the gateway to reach org again")
    assert requests.get(f"{gateway_url}/readyz", timeout=5).status_code == 200
    # … and the write that got 503 was never applied
    time.sleep(1)
    names = [c["name"] for c in admin.get(f"/org/units/{compound['id']}/children").json()["items"]]
    assert "不该出现的楼" not in names


def test_every_event_org_emitted_keeps_its_contract(org_db, world):
    """Every envelope in org's outbox (from all the flows above) loads with the shared
    envelope schema and its payload with org's published schema for that event."""
    from sqlalchemy import text

    from fazhi_shared.service.db import engine_for
    from fazhi_shared.service.events import EventEnvelope
    from fazhi_org_contract.schemas import EVENTS

    with engine_for(org_db).connect() as conn:
        envelopes = conn.execute(text("SELECT envelope FROM outbox")).scalars().all()
    assert len(envelopes) > 10
    for envelope in envelopes:
        EventEnvelope().load(envelope)
        service, event_type = envelope["type"].split(".", 1)
        assert service == "org"
        EVENTS[event_type]().load(envelope["payload"])


def test_revoked_grant_and_disabled_account_take_effect_at_once(gateway_url, world,
                                                                session_listener):
    """Org's events reach the gateway's session listener: a token whose grants changed is
    refused until refreshed, and a disabled account's sessions end — no 15-minute wait."""
    base = f"{gateway_url}/api/v1"
    community = world["community_b"]
    person = call_as(SYSTEM, "org", "create_person", name="将被撤权", unit_id=community["id"])
    account = call_as(SYSTEM, "org", "create_account", username="e2e_revoked",
                      password=PASSWORD, person_id=person["id"])
    grant = call_as(SYSTEM, "org", "grant_role", account_id=account["id"],
                    role="community_worker", unit_id=community["id"])
    tokens = requests.post(f"{base}/auth/login", json={"username": "e2e_revoked",
                                                       "password": PASSWORD}, timeout=5).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert requests.get(f"{base}/org/units/{community['id']}", headers=headers,
                        timeout=5).status_code == 200
    time.sleep(1.1)        # token iat has whole seconds
    call_as(SYSTEM, "org", "revoke_grant", grant_id=grant["id"])
    wait_until(lambda: requests.get(f"{base}/org/units/{community['id']}", headers=headers,
                                    timeout=5).status_code == 401,
               timeout=10, what="the old token to be refused")
    fresh = requests.post(f"{base}/auth/refresh", json={"refresh_token": tokens["refresh_token"]},
                          timeout=5)
    assert fresh.status_code == 200 and fresh.json()["account"]["grants"] == []
    new_headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert requests.get(f"{base}/me", headers=new_headers, timeout=5).status_code == 200
    assert requests.get(f"{base}/org/units/{community['id']}", headers=new_headers,
                        timeout=5).status_code == 403
    # disabling ends every session of the account
    call_as(SYSTEM, "org", "set_account_disabled", account_id=account["id"], disabled=True)
    wait_until(lambda: requests.get(f"{base}/me", headers=new_headers,
                                    timeout=5).status_code == 401,
               timeout=10, what="the disabled account's session to end")
    assert requests.post(f"{base}/auth/refresh", json={"refresh_token": tokens["refresh_token"]},
                         timeout=5).status_code == 401
