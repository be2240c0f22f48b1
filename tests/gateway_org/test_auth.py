"""Login, refresh, logout and revocation against the real org service; 401 and 403."""
import time

import jwt
import pytest
from sqlalchemy import text

from fazhi_shared.context import Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import (call_as, running_services, wait_for_ping,
                                          wait_until)

from gateway import config, rpc

EN = {"Accept-Language": "en"}
SYSTEM = Principal.system()


def claims(token):
    return jwt.decode(token, config.JWT_SECRET.get(), algorithms=["HS256"])


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_tokens_bound_to_a_session(client, world, env, login):
    body = login(world.admin, **{"User-Agent": "pytest-agent/1"})
    assert body["token_type"] == "Bearer" and body["expires_in"] == config.ACCESS_TTL.get()
    assert body["account"]["id"] == world.admin["id"]
    assert "password" not in body["account"]
    access, refresh = claims(body["access_token"]), claims(body["refresh_token"])
    assert access["typ"] == "access" and refresh["typ"] == "refresh"
    assert access["sub"] == refresh["sub"] == world.admin["id"]
    assert access["pid"] == world.admin["person_id"]
    assert access["g"] == [["city_admin", world.units["city"]["path"]]]
    assert access["sid"] == refresh["sid"] and access["jti"] != refresh["jti"]
    assert access["exp"] - access["iat"] == config.ACCESS_TTL.get()
    with engine_for(env.gateway_db).connect() as conn:
        row = conn.execute(text("SELECT * FROM auth_sessions WHERE id = :id"),
                           {"id": access["sid"]}).mappings().one()
    assert row["account_id"] == world.admin["id"] and row["revoked_at"] is None
    assert row["user_agent"] == "pytest-agent/1"


def test_wrong_password_is_401_in_both_languages(client, world):
    bad = {"username": world.admin["username"], "password": "wrong-password"}
    zh = client.post("/api/v1/auth/login", json=bad)
    en = client.post("/api/v1/auth/login", json=bad, headers=EN)
    assert zh.status_code == en.status_code == 401
    assert zh.get_json()["error"] == {"code": "unauthenticated", "message": "用户名或密码错误。"}
    assert en.get_json()["error"]["message"] == "Wrong username or password."
    unknown = client.post("/api/v1/auth/login", json={"username": "ghost", "password": "x"})
    assert unknown.status_code == 401


def test_me_states_the_token(client, world, as_user):
    r = client.get("/api/v1/me", headers=as_user(world.worker))
    assert r.status_code == 200
    me = r.get_json()
    assert me["account_id"] == world.worker["id"] and me["roles"] == ["community_worker"]
    assert me["grants"] == [{"role": "community_worker",
                             "path": world.units["community"]["path"]}]


def test_refresh_gives_a_new_access_token(client, world, login):
    tokens = login(world.worker)
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200
    fresh = r.get_json()
    assert fresh["token_type"] == "Bearer" and fresh["account"]["id"] == world.worker["id"]
    new, old = claims(fresh["access_token"]), claims(tokens["access_token"])
    assert new["sid"] == old["sid"] and new["jti"] != old["jti"] and new["typ"] == "access"
    assert client.get("/api/v1/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_tokens_are_not_interchangeable(client, world, login):
    tokens = login(world.worker)
    as_refresh = client.post("/api/v1/auth/refresh",
                             json={"refresh_token": tokens["access_token"]})
    assert as_refresh.status_code == 401
    as_access = client.get("/api/v1/me", headers=bearer(tokens["refresh_token"]))
    assert as_access.status_code == 401


def test_expired_and_forged_tokens_are_401(client, world, login):
    real = claims(login(world.worker)["access_token"])
    expired = jwt.encode({**real, "exp": int(time.time()) - 10}, config.JWT_SECRET.get(),
                         algorithm="HS256")
    r = client.get("/api/v1/me", headers=bearer(expired))
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "登录已过期，请重新登录。"
    forged = jwt.encode({**real, "g": [["city_admin", "/"]]},
                        "not-the-secret-but-just-as-long-0123456789", algorithm="HS256")
    assert client.get("/api/v1/me", headers=bearer(forged)).status_code == 401


def test_logout_revokes_both_tokens(client, world, login):
    tokens = login(world.worker)
    access = bearer(tokens["access_token"])
    assert client.get("/api/v1/org/ping", headers=access).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=access).status_code == 204
    after = client.get("/api/v1/me", headers=access)
    assert after.status_code == 401 and after.get_json()["error"]["code"] == "unauthenticated"
    refreshed = client.post("/api/v1/auth/refresh",
                            json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    # Other sessions of the same account are untouched.
    assert client.get("/api/v1/me", headers=bearer(login(world.worker)["access_token"])
                      ).status_code == 200


def test_revoked_grant_is_gone_after_refresh(client, world, login, as_user):
    admin = as_user(world.admin)
    grant = client.post(f"/api/v1/org/accounts/{world.spare['id']}/grants", headers=admin,
                        json={"role": "community_worker",
                              "unit_id": world.units["compound"]["id"]})
    assert grant.status_code == 201, grant.get_json()
    tokens = login(world.spare)
    assert claims(tokens["access_token"])["g"] == [["community_worker",
                                                    world.units["compound"]["path"]]]
    assert client.get("/api/v1/org/people", headers=bearer(tokens["access_token"])
                      ).status_code == 200
    revoked = client.delete(f"/api/v1/org/grants/{grant.get_json()['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.get_json()["revoked"] is True
    fresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200 and claims(fresh.get_json()["access_token"])["g"] == []
    r = client.get("/api/v1/org/people", headers=bearer(fresh.get_json()["access_token"]))
    assert r.status_code == 403


def test_role_not_declared_is_403_before_any_rpc(client, world, as_user, monkeypatch):
    resident = as_user(world.resident)
    calls = []
    monkeypatch.setattr(rpc, "call_as", lambda *a, **k: calls.append(a))
    for method, url, body in (
            ("post", "/api/v1/org/units", {"parent_id": world.units["building"]["id"],
                                           "kind": "unit", "name": "102室"}),
            ("get", "/api/v1/org/people", None),
            ("post", "/api/v1/org/accounts", {}),
            ("post", f"/api/v1/org/people/{world.resident['person_id']}/reveal", {})):
        r = getattr(client, method)(url, headers=resident, json=body)
        assert r.status_code == 403, (url, r.get_json())
        assert r.get_json()["error"] == {"code": "forbidden", "message": "您的角色无权执行此操作。"}
    assert calls == []
    en = client.get("/api/v1/org/people", headers={**resident, **EN})
    assert en.get_json()["error"]["message"] == "Your role may not do this."


def test_an_account_without_grants_can_see_itself_and_log_out(client, world, login):
    tokens = login(world.nobody)
    headers = bearer(tokens["access_token"])
    assert client.get("/api/v1/me", headers=headers).get_json()["roles"] == []
    assert client.get("/api/v1/org/ping", headers=headers).status_code == 403
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204


def test_resident_reads_units_the_service_filters(client, world, as_user):
    r = client.get("/api/v1/org/compounds", headers=as_user(world.resident))
    assert r.status_code == 200
    assert [u["id"] for u in r.get_json()["items"]] == [world.units["compound"]["id"]]


def test_disabled_account_cannot_refresh_or_log_in(client, world, login, make_account):
    account = make_account("community_worker")
    tokens = login(account)
    call_as(SYSTEM, "org", "set_account_disabled", account_id=account["id"], disabled=True)
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "登录已失效，请重新登录。"
    # Refusing the refresh also ended the session: the access token stops working at once.
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    again = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                    "password": account["password"]})
    assert again.status_code == 401


def test_password_reset_ends_older_sessions_at_refresh(client, world, login, make_account):
    account = make_account("community_worker")
    before = login(account)
    call_as(SYSTEM, "org", "reset_password", account_id=account["id"],
            new_password="brand-new-password-1")
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": before["refresh_token"]})
    assert r.status_code == 401
    after = login({**account, "password": "brand-new-password-1"})
    fresh = client.post("/api/v1/auth/refresh", json={"refresh_token": after["refresh_token"]})
    assert fresh.status_code == 200, fresh.get_json()


def test_refresh_rotates_and_a_replayed_token_ends_the_session(client, world, login,
                                                               monkeypatch):
    monkeypatch.setenv("GATEWAY_REFRESH_GRACE", "0")
    tokens = login(world.worker)
    fresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200
    rotated = fresh.get_json()["refresh_token"]
    assert claims(rotated)["jti"] != claims(tokens["refresh_token"])["jti"]
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert replay.status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": rotated}).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(fresh.get_json()["access_token"])
                      ).status_code == 401


@pytest.fixture(scope="module")
def session_listener(env, org_service):
    """The gateway's session listener in this process, on the module's vhost and database."""
    from gateway.listener import SessionListener

    with running_services(SessionListener):
        wait_for_ping("gateway_sessions")
        yield


def test_a_revocation_refuses_the_old_token_within_the_same_second(
        client, world, login, as_user, make_account, session_listener):
    admin = as_user(world.admin)
    account = make_account()
    grant = client.post(f"/api/v1/org/accounts/{account['id']}/grants", headers=admin,
                        json={"role": "community_worker",
                              "unit_id": world.units["compound"]["id"]}).get_json()
    while time.time() % 1 > 0.2:        # no waiting for the next second: versions, not iat
        time.sleep(0.02)
    tokens = login(account)
    assert client.get("/api/v1/org/people", headers=bearer(tokens["access_token"])
                      ).status_code == 200
    assert client.delete(f"/api/v1/org/grants/{grant['id']}", headers=admin).status_code == 200
    wait_until(lambda: client.get("/api/v1/org/people", headers=bearer(tokens["access_token"])
                                  ).status_code == 401,
               timeout=10, what="the token with the revoked grant to be refused")
    fresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200 and claims(fresh.get_json()["access_token"])["g"] == []


def test_thirty_wrong_passwords_lock_the_account_until_an_admin_in_scope_lifts_it(
        client, world, make_account, as_user):
    from gateway.testing import make_login

    account = make_account("community_worker")
    address = {"REMOTE_ADDR": "10.77.0.1"}

    def attempt(password):
        return client.post("/api/v1/auth/login", environ_base=address,
                           json={"username": account["username"], "password": password})

    statuses = [attempt(f"guess-{i}").status_code for i in range(30)]
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    right = attempt(account["password"])
    assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 1
    assert right.get_json()["error"]["code"] == "too_many_requests"
    # A street admin of another street may not (org does not show them the account) …
    elsewhere = call_as(SYSTEM, "org", "create_unit", parent_id=world.units["city"]["id"],
                        kind="street", name=f"别处街道{account['id'][:4]}")
    outsider = make_login(elsewhere["id"], "street_admin")
    url = f"/api/v1/auth/throttles/accounts/{account['id']}"
    assert client.delete(url, headers=as_user(outsider)).status_code == 404
    assert attempt(account["password"]).status_code == 429
    # … the admin of the account's street may.
    admin = make_login(world.units["street"]["id"], "street_admin")
    assert client.delete(url, headers=as_user(admin)).status_code == 204
    assert attempt(account["password"]).status_code == 200
