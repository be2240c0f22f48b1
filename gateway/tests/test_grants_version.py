"""A change of an account's grants refuses its older access tokens at once, however close
in time: tokens carry the version of the account's grants they were issued at, and the
session listener bumps it (``gateway.listener.refuse_older_tokens``, what its handlers of
org's grant and credential events do). Whole-second token times (``iat``) used to let a
token issued in the same second as a revocation keep the revoked grant."""
from __future__ import annotations

import time

from fazhi_shared.service.db import transaction

from gateway import listener

STALE = "您的权限已变更，请刷新令牌。"


def bearer(who):
    return {"Authorization": who["Authorization"]}


def at_the_start_of_a_second():
    while time.time() % 1 > 0.3:
        time.sleep(0.02)
    return int(time.time())


def apply_change(gateway_db, account_id):
    """What the session listener does on org.grant.created / org.grant.revoked."""
    with transaction(gateway_db) as session:
        listener.refuse_older_tokens(session, account_id)


def test_a_token_issued_in_the_same_second_as_a_revocation_is_refused(client, login,
                                                                       gateway_db):
    second = at_the_start_of_a_second()
    who = login(("community_worker", "/c/s"))
    assert client.get("/api/v1/me", headers=bearer(who)).status_code == 200
    apply_change(gateway_db, who["account"]["id"])
    assert int(time.time()) == second, "the test must run within one wall-clock second"
    r = client.get("/api/v1/me", headers=bearer(who))
    assert r.status_code == 401 and r.get_json()["error"]["message"] == STALE


def test_a_refreshed_token_after_the_change_works(client, fake_rpc, login, gateway_db):
    who = login(("community_worker", "/c/s"))
    apply_change(gateway_db, who["account"]["id"])
    fake_rpc.answer("org", "get_account", {**who["account"], "grants": []})
    fresh = client.post("/api/v1/auth/refresh", json={"refresh_token": who["refresh_token"]})
    assert fresh.status_code == 200
    headers = {"Authorization": f"Bearer {fresh.get_json()['access_token']}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["roles"] == []
    # Other accounts' tokens are untouched.
    other = login(("grid_worker", "/c/s"))
    apply_change(gateway_db, who["account"]["id"])
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_a_change_applied_while_org_answers_a_login_is_not_lost(client, fake_rpc, login,
                                                                  gateway_db):
    """org checked the password with the old grants; the revocation reached the gateway
    before the session row existed: the new token must not carry the revoked grant."""
    who = login(("community_worker", "/c/s"))
    account = who["account"]
    now_without = {**account, "grants": []}

    def authenticate(**kwargs):
        apply_change(gateway_db, account["id"])     # the listener, while org answers
        return account                              # org's answer: the old grants

    fake_rpc.answer("org", "authenticate", authenticate)
    fake_rpc.answer("org", "get_account", now_without)
    r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                "password": "whatever-it-is"})
    assert r.status_code == 200
    headers = {"Authorization": f"Bearer {r.get_json()['access_token']}"}
    me = client.get("/api/v1/me", headers=headers)
    # Either the token already carries the current grants, or it is refused as stale.
    assert (me.status_code == 200 and me.get_json()["roles"] == []) or (
        me.status_code == 401 and me.get_json()["error"]["message"] == STALE), me.get_json()
