"""Failed sign-ins are throttled, per account (the username) and per client address, in
the gateway's database (shared by every worker and replica): a few failures are free,
then each further one costs a growing delay during which the login answers 429 with
``Retry-After`` without asking org. Correct logins never count, so hundreds of residents
signing in from one address on a vote day are never slowed. Admins lift an account's
lock (in their scope), the city admin an address's.

org is the fake RPC here: ``authenticate`` accepts one password (``RIGHT``) and refuses
the others as org does (401)."""
from __future__ import annotations

import itertools
import time
import uuid

import pytest

from fazhi_shared.errors import NotFound, Unauthenticated

from gateway.testing import fake_account

RIGHT = "the-right-password-1"
_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own for each test (the throttle state outlives a test)."""
    n = next(_addresses)
    return f"10.{uuid.uuid4().int % 250}.{n // 250}.{n % 250 + 1}"


def org_accepting(fake_rpc, *accounts):
    by_name = {a["username"]: a for a in accounts}

    def authenticate(username, password):
        if username in by_name and password == RIGHT:
            return by_name[username]
        raise Unauthenticated("用户名或密码错误。", "Wrong username or password.")

    fake_rpc.answer("org", "authenticate", authenticate)


def attempt(client, username, password, address, **headers):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_429(client, fake_rpc):
    victim = fake_account([("city_admin", "/c")])
    org_accepting(fake_rpc, victim)
    address = new_address()
    started = time.monotonic()
    statuses = [attempt(client, victim["username"], f"guess-{i}", address).status_code
                for i in range(30)]
    assert time.monotonic() - started < 5
    assert set(statuses) == {401, 429} and statuses[0] == 401, statuses
    right = attempt(client, victim["username"], RIGHT, address)
    assert right.status_code == 429, right.get_json()
    error = right.get_json()["error"]
    assert error["code"] == "too_many_requests" and "秒后再试" in error["message"]
    assert int(right.headers["Retry-After"]) >= 1
    # Refused at the door: org checked only the first few passwords, not thirty.
    assert len(fake_rpc.calls_to("org", "authenticate")) <= 8
    en = attempt(client, victim["username"], RIGHT, address, **{"Accept-Language": "en"})
    assert en.status_code == 429 and "try again" in en.get_json()["error"]["message"]


def test_the_account_lock_holds_from_any_address(client, fake_rpc):
    victim = fake_account([("resident", "/c/s")])
    org_accepting(fake_rpc, victim)
    for i in range(10):
        attempt(client, victim["username"], f"guess-{i}", new_address())   # a botnet
    assert attempt(client, victim["username"], RIGHT, new_address()).status_code == 429


def test_hundreds_of_correct_logins_from_one_address_do_not_trip_it(client, fake_rpc):
    residents = [fake_account([("resident", "/c/s")]) for _ in range(300)]
    org_accepting(fake_rpc, *residents)
    address = new_address()                        # the polling station's one address
    statuses = {attempt(client, r["username"], RIGHT, address).status_code for r in residents}
    assert statuses == {200}
    # A few typos among them do not slow the others down either.
    for r in residents[:5]:
        assert attempt(client, r["username"], "typo", address).status_code == 401
        assert attempt(client, r["username"], RIGHT, address).status_code == 200


def test_failures_from_one_address_on_many_accounts_are_throttled(client, fake_rpc):
    org_accepting(fake_rpc)
    address = new_address()
    statuses = [attempt(client, f"user{i}", "123456", address).status_code
                for i in range(80)]                # password spraying
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    other = fake_account()
    org_accepting(fake_rpc, other)
    assert attempt(client, other["username"], RIGHT, address).status_code == 429
    assert attempt(client, other["username"], RIGHT, new_address()).status_code == 200


def test_a_correct_login_clears_the_account_s_failures(client, fake_rpc):
    user = fake_account([("grid_worker", "/c/s")])
    org_accepting(fake_rpc, user)
    address = new_address()
    for _ in range(2):
        for i in range(4):
            assert attempt(client, user["username"], f"typo{i}", address).status_code == 401
        assert attempt(client, user["username"], RIGHT, address).status_code == 200


def test_delays_grow_with_each_further_failure(client, fake_rpc, monkeypatch):
    monkeypatch.setenv("GATEWAY_LOGIN_FREE_FAILURES", "1")
    user = fake_account()
    org_accepting(fake_rpc, user)
    address = new_address()
    assert attempt(client, user["username"], "a", address).status_code == 401  # free
    assert attempt(client, user["username"], "b", address).status_code == 401  # locks 1 s
    first = attempt(client, user["username"], "c", address)
    assert first.status_code == 429 and first.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert attempt(client, user["username"], "d", address).status_code == 401  # locks 2 s
    second = attempt(client, user["username"], "e", address)
    assert second.status_code == 429 and second.headers["Retry-After"] == "2"


def test_a_forged_forwarded_header_does_not_escape_the_address_count(client, fake_rpc):
    org_accepting(fake_rpc)
    address = new_address()
    last = None
    for i in range(80):
        last = attempt(client, f"user{i}", "123456", address,
                       **{"X-Forwarded-For": f"192.0.2.{i}"})
    assert last.status_code == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_forwarded_header(
        client, fake_rpc, monkeypatch):
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "1")
    org_accepting(fake_rpc)
    ingress = new_address()
    attacker, neighbour = new_address(), new_address()
    for i in range(80):
        # The client may prepend anything; the ingress appends the address it saw.
        last = attempt(client, f"user{i}", "123456", ingress,
                       **{"X-Forwarded-For": f"198.51.100.{i}, {attacker}"})
    assert last.status_code == 429
    user = fake_account()
    org_accepting(fake_rpc, user)
    ok = attempt(client, user["username"], RIGHT, ingress, **{"X-Forwarded-For": neighbour})
    assert ok.status_code == 200


@pytest.fixture
def locked(client, fake_rpc):
    """An account locked by failed sign-ins."""
    user = fake_account([("community_worker", "/c/s/m")])
    org_accepting(fake_rpc, user)
    address = new_address()
    for i in range(10):
        attempt(client, user["username"], f"guess-{i}", address)
    assert attempt(client, user["username"], RIGHT, address).status_code == 429
    return user, address


def test_an_admin_in_scope_lifts_an_account_s_lock(client, fake_rpc, login, locked):
    user, address = locked
    admin = login(("street_admin", "/c/s"))
    fake_rpc.answer("org", "get_account", user)           # in the admin's scope
    r = client.delete(f"/api/v1/auth/throttles/accounts/{user['id']}",
                      headers={"Authorization": admin["Authorization"]})
    assert r.status_code == 204, r.get_json()
    (_, _, kwargs, principal), = fake_rpc.calls_to("org", "get_account")[-1:]
    assert kwargs == {"account_id": user["id"]}
    assert principal.kind == "user" and principal.account_id == admin["account"]["id"]
    org_accepting(fake_rpc, user)
    assert attempt(client, user["username"], RIGHT, new_address()).status_code == 200


def test_an_admin_cannot_lift_a_lock_outside_their_scope(client, fake_rpc, login, locked):
    user, address = locked
    admin = login(("street_admin", "/c/other"))
    fake_rpc.answer("org", "get_account", NotFound())       # org: not in this admin's scope
    r = client.delete(f"/api/v1/auth/throttles/accounts/{user['id']}",
                      headers={"Authorization": admin["Authorization"]})
    assert r.status_code == 404
    assert attempt(client, user["username"], RIGHT, new_address()).status_code == 429


def test_only_admins_may_lift_locks(client, fake_rpc, login, locked):
    user, address = locked
    worker = login(("community_worker", "/c/s"))
    for url in (f"/api/v1/auth/throttles/accounts/{user['id']}",
                f"/api/v1/auth/throttles/addresses/{address}"):
        r = client.delete(url, headers={"Authorization": worker["Authorization"]})
        assert r.status_code == 403
    street = login(("street_admin", "/c/s"))
    r = client.delete(f"/api/v1/auth/throttles/addresses/{address}",
                      headers={"Authorization": street["Authorization"]})
    assert r.status_code == 403                 # an address is in no street: the city's


def test_the_city_admin_lifts_an_address_s_lock(client, fake_rpc, login):
    org_accepting(fake_rpc)
    address = new_address()
    for i in range(80):
        attempt(client, f"user{i}", "123456", address)
    user = fake_account()
    admin = login(("city_admin", "/c"))
    org_accepting(fake_rpc, user)
    assert attempt(client, user["username"], RIGHT, address).status_code == 429
    r = client.delete(f"/api/v1/auth/throttles/addresses/{address}",
                      headers={"Authorization": admin["Authorization"]})
    assert r.status_code == 204
    assert attempt(client, user["username"], RIGHT, address).status_code == 200
