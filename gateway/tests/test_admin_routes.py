"""The gateway's data for the administrator's pages (issue 9, point 9): the login log
(successful, failed and throttled sign-ins with time, account, address masked to /24 and
user agent) and the sessions online with forced logout — for admins, and only for the
accounts org shows them (``account_labels`` as the admin: outside their scope a session
is a 404; an account they see but may not manage, a 403). org is answered by the fake."""
from __future__ import annotations

import uuid

import pytest

from fazhi_shared.errors import Unauthenticated
from fazhi_shared.ids import new_id

from gateway import testing

ADMIN = "/api/v1/admin"


def fake_account(grants):
    """An org account (ids are UUIDv7, as org makes them)."""
    return {**testing.fake_account(grants), "id": new_id(), "person_id": new_id()}


def labels(visible: dict):
    """org's ``account_labels``: the accounts it shows the caller, ``{id: manageable}``."""
    def answer(account_ids):
        return {"items": [{"id": i, "username": f"user_{i[:6]}", "display_name": "某人",
                           "disabled": False, "manageable": visible[i]}
                          for i in account_ids if i in visible]}
    return answer


def sign_in(client, fake_rpc, account, address="203.0.113.77", agent="Console/1.0",
            username=None):
    fake_rpc.answer("org", "authenticate", account)
    fake_rpc.answer("org", "get_account", account)
    return client.post("/api/v1/auth/login",
                       json={"username": username or account["username"], "password": "pw"},
                       headers={"User-Agent": agent},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def admin(client, fake_rpc):
    """A city admin's bearer headers (a login of its own)."""
    acc = fake_account((("city_admin", "/c"),))
    r = sign_in(client, fake_rpc, acc, address="198.51.100.1")
    return {"Authorization": f"Bearer {r.get_json()['access_token']}", "account": acc}


def as_role(client, fake_rpc, role):
    acc = fake_account(((role, "/c/s"),))
    r = sign_in(client, fake_rpc, acc, address="198.51.100.2")
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


def rows(client, headers, path, **params):
    r = client.get(f"{ADMIN}/{path}", headers=headers, query_string=params)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_sign_ins_are_logged_with_masked_addresses(client, fake_rpc, admin):
    a = fake_account((("grid_worker", "/c/s"),))
    assert sign_in(client, fake_rpc, a).status_code == 200
    fake_rpc.answer("org", "authenticate", Unauthenticated("用户名或密码错误。", "Wrong."))
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    r = client.post("/api/v1/auth/login", json={"username": phone, "password": "pw"},
                    environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert r.status_code == 401
    fake_rpc.answer("org", "account_labels", labels({a["id"]: True, admin["account"]["id"]: True}))
    log = rows(client, admin, "login-log", limit=200)["items"]
    [ok] = [e for e in log if e["account_id"] == a["id"]]
    assert ok["outcome"] == "success" and ok["address"] == "203.0.113.0/24"
    assert ok["user_agent"] == "Console/1.0" and ok["session_id"] and ok["at"]
    assert ok["account"]["display_name"] == "某人"
    [bad] = [e for e in log if e["username"] == phone[:3] + "****" + phone[-4:]]
    assert bad["outcome"] == "failure" and bad["account_id"] is None
    assert bad["address"] == "203.0.113.0/24"
    assert all(phone not in str(e) and "203.0.113.9" not in str(e) for e in log)
    # filters
    only = rows(client, admin, "login-log", account_id=a["id"])["items"]
    assert [e["outcome"] for e in only] == ["success"]
    assert all(e["outcome"] == "failure" for e in rows(client, admin, "login-log",
                                                        outcome="failure")["items"])


def test_a_street_admin_sees_the_sign_ins_of_accounts_org_shows_them(client, fake_rpc):
    mine, other = fake_account((("grid_worker", "/c/s"),)), fake_account((("grid_worker", "/c/t"),))
    for acc in (mine, other):
        sign_in(client, fake_rpc, acc)
    street = as_role(client, fake_rpc, "street_admin")
    fake_rpc.answer("org", "account_labels", labels({mine["id"]: True}))
    log = rows(client, street, "login-log", limit=200)["items"]
    assert {e["account_id"] for e in log} == {mine["id"]}       # no failures, no others
    # org was asked as the street admin, not as the gateway
    [*_, (_, _, kwargs, caller)] = fake_rpc.calls_to("org", "account_labels")
    assert caller.kind == "user" and caller.roles == {"street_admin"}


def test_pages_of_the_login_log(client, fake_rpc, admin):
    accounts = [fake_account((("grid_worker", "/c/s"),)) for _ in range(3)]
    for acc in accounts:
        sign_in(client, fake_rpc, acc)
    fake_rpc.answer("org", "account_labels",
                    labels({acc["id"]: True for acc in accounts}))
    seen, cursor = [], None
    for _ in range(50):
        page = rows(client, admin, "login-log", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)
    assert {acc["id"] for acc in accounts} <= {e["account_id"] for e in
                                               rows(client, admin, "login-log",
                                                    limit=200)["items"]}


def test_sessions_online_and_forced_logout(client, fake_rpc, admin):
    a = fake_account((("grid_worker", "/c/s"),))
    token = sign_in(client, fake_rpc, a, agent="Phone/2.0").get_json()["access_token"]
    fake_rpc.answer("org", "account_labels", labels({a["id"]: True}))
    online = rows(client, admin, "sessions", account_id=a["id"])["items"]
    [session] = online
    assert session["account_id"] == a["id"] and session["user_agent"] == "Phone/2.0"
    assert session["address"] == "203.0.113.0/24" and session["expires_at"]
    assert session["account"]["display_name"] == "某人"
    r = client.delete(f"{ADMIN}/sessions/{session['id']}", headers=admin)
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert rows(client, admin, "sessions", account_id=a["id"])["items"] == []
    assert client.delete(f"{ADMIN}/sessions/{session['id']}", headers=admin).status_code == 404


def test_forced_logout_outside_scope_is_404_and_of_a_higher_account_403(client, fake_rpc,
                                                                      admin):
    a = fake_account((("city_admin", "/c"),))
    sign_in(client, fake_rpc, a)
    fake_rpc.answer("org", "account_labels", labels({a["id"]: True}))
    [session] = rows(client, admin, "sessions", account_id=a["id"])["items"]
    fake_rpc.answer("org", "account_labels", labels({}))            # org does not show it
    assert client.delete(f"{ADMIN}/sessions/{session['id']}", headers=admin).status_code == 404
    assert rows(client, admin, "sessions", account_id=a["id"])["items"] == []
    fake_rpc.answer("org", "account_labels", labels({a["id"]: False}))   # sees, not manages
    r = client.delete(f"{ADMIN}/sessions/{session['id']}", headers=admin)
    assert r.status_code == 403
    assert client.delete(f"{ADMIN}/sessions/{uuid.uuid4()}", headers=admin).status_code == 404


@pytest.mark.parametrize("role", ["grid_worker", "auditor", "community_worker", "resident"])
def test_other_roles_are_refused_at_the_door(client, fake_rpc, role):
    headers = as_role(client, fake_rpc, role)
    before = len(fake_rpc.calls_to("org", "account_labels"))
    for method, path in (("get", "login-log"), ("get", "sessions"),
                         ("delete", f"sessions/{uuid.uuid4()}")):
        assert getattr(client, method)(f"{ADMIN}/{path}", headers=headers).status_code == 403
    assert len(fake_rpc.calls_to("org", "account_labels")) == before


def test_a_sign_in_refused_while_throttled_is_logged_as_such(client, fake_rpc, admin,
                                                             monkeypatch):
    monkeypatch.setenv("GATEWAY_LOGIN_FREE_FAILURES", "1")
    fake_rpc.answer("org", "authenticate", Unauthenticated("用户名或密码错误。", "Wrong."))
    name = f"locked_{uuid.uuid4().hex[:6]}"
    statuses = [client.post("/api/v1/auth/login", json={"username": name, "password": "x"},
                            environ_base={"REMOTE_ADDR": "192.0.2.200"}).status_code
                for _ in range(3)]
    assert statuses[-1] == 429
    fake_rpc.answer("org", "account_labels", labels({}))
    log = [e for e in rows(client, admin, "login-log", limit=200)["items"]
           if e["username"] == name]
    assert [e["outcome"] for e in log][0] == "throttled"
    assert {e["outcome"] for e in log} == {"failure", "throttled"}
    assert all(e["address"] == "192.0.2.0/24" for e in log)
