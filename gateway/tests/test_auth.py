"""Sign-in, tokens and sessions with org answered by the fake RPC (the same flows against
the real org service run in tests/gateway_org/test_auth.py)."""
from datetime import datetime, timedelta, timezone

from fazhi_shared.errors import Unauthenticated

from gateway.testing import fake_account


def test_login_signs_in_through_org_and_opens_a_session(client, fake_rpc, login):
    who = login(("community_worker", "/c/s/m"))
    (_, _, kwargs, principal), = fake_rpc.calls_to("org", "authenticate")
    assert kwargs == {"username": who["account"]["username"], "password": "whatever-it-is"}
    assert principal.kind == "anonymous"           # org checks the credentials itself
    me = client.get("/api/v1/me", headers={"Authorization": who["Authorization"]}).get_json()
    assert me["roles"] == ["community_worker"]
    assert me["grants"] == [{"role": "community_worker", "path": "/c/s/m"}]


def test_wrong_credentials_are_org_s_401(client, fake_rpc):
    fake_rpc.answer("org", "authenticate", Unauthenticated("用户名或密码错误。", "Wrong."))
    r = client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "用户名或密码错误。"


def test_a_disabled_account_cannot_log_in(client, fake_rpc, login):
    fake_rpc.answer("org", "authenticate", fake_account(disabled=True))
    r = client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    assert r.status_code == 401


def test_refresh_reads_current_grants_and_logout_ends_the_session(client, fake_rpc, login):
    who = login(("grid_worker", "/c/s"))
    fake_rpc.answer("org", "get_account", {**who["account"], "grants": [
        {"id": "g", "role": "mediator", "path": "/c/s"}]})
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": who["refresh_token"]})
    assert r.status_code == 200
    (_, _, kwargs, principal), = fake_rpc.calls_to("org", "get_account")
    assert kwargs == {"account_id": who["account"]["id"]}
    # the gateway's own identity (a service principal org accepts on get_account only)
    assert (principal.kind, principal.service) == ("service", "gateway")
    new = {"Authorization": f"Bearer {r.get_json()['access_token']}"}
    assert client.get("/api/v1/me", headers=new).get_json()["roles"] == ["mediator"]
    assert client.post("/api/v1/auth/logout", headers=new).status_code == 204
    assert client.get("/api/v1/me", headers=new).status_code == 401
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": who["refresh_token"]})
    assert r.status_code == 401


def test_a_password_changed_after_sign_in_ends_the_session_at_refresh(client, fake_rpc, login):
    who = login(("grid_worker", "/c/s"))
    later = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()
    fake_rpc.answer("org", "get_account", {**who["account"], "password_changed_at": later})
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": who["refresh_token"]})
    assert r.status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": who["Authorization"]}
                      ).status_code == 401
