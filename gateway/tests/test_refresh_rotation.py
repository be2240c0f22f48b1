"""Refresh tokens rotate: each refresh answers a new pair and the refresh token it used is
spent. A spent token presented again means two holders (theft, or a leaked copy): the
session ends. A second browser tab refreshing with the same token a moment later is not
a thief: within ``GATEWAY_REFRESH_GRACE`` seconds the just-replaced token works once more.
(org is answered by the fake RPC; the same flows in front of the real org run in
tests/gateway_org/test_auth.py.)"""
from __future__ import annotations

import threading

import jwt
import pytest

from gateway import config

ENDED = "登录已失效，请重新登录。"


def refresh(client, token):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def jti(token):
    return jwt.decode(token, config.JWT_SECRET.get(), algorithms=["HS256"])["jti"]


@pytest.fixture
def no_grace(monkeypatch):
    monkeypatch.setenv("GATEWAY_REFRESH_GRACE", "0")


def test_each_refresh_answers_a_new_refresh_token(client, login):
    who = login(("grid_worker", "/c/s"))
    first = refresh(client, who["refresh_token"])
    assert first.status_code == 200, first.get_json()
    rotated = first.get_json()["refresh_token"]
    assert jti(rotated) != jti(who["refresh_token"])
    second = refresh(client, rotated)
    assert second.status_code == 200, second.get_json()
    assert jti(second.get_json()["refresh_token"]) not in {jti(rotated),
                                                           jti(who["refresh_token"])}
    assert client.get("/api/v1/me", headers=bearer(second.get_json()["access_token"])
                      ).status_code == 200


def test_a_spent_refresh_token_presented_again_ends_the_session(client, login, no_grace):
    who = login(("grid_worker", "/c/s"))
    rotated = refresh(client, who["refresh_token"]).get_json()
    replay = refresh(client, who["refresh_token"])
    assert replay.status_code == 401 and replay.get_json()["error"]["message"] == ENDED
    # Theft detected: every token of the session is refused, the rightful holder's too.
    assert refresh(client, rotated["refresh_token"]).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(rotated["access_token"])).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": who["Authorization"]}
                      ).status_code == 401


def test_a_second_tab_within_the_grace_gets_a_valid_pair(client, login):
    who = login(("grid_worker", "/c/s"))
    tab_a = refresh(client, who["refresh_token"])
    tab_b = refresh(client, who["refresh_token"])   # the same token, a moment later
    assert tab_a.status_code == tab_b.status_code == 200, tab_b.get_json()
    a, b = tab_a.get_json(), tab_b.get_json()
    for pair in (a, b):
        assert client.get("/api/v1/me", headers=bearer(pair["access_token"])).status_code == 200
    # Both tabs go on refreshing (one of them first), and the session lives.
    next_a = refresh(client, a["refresh_token"])
    next_b = refresh(client, b["refresh_token"])
    assert next_a.status_code == next_b.status_code == 200, next_b.get_json()
    assert client.get("/api/v1/me", headers=bearer(next_b.get_json()["access_token"])
                      ).status_code == 200


def test_the_grace_allows_one_more_use_only(client, login):
    who = login(("grid_worker", "/c/s"))
    assert refresh(client, who["refresh_token"]).status_code == 200
    assert refresh(client, who["refresh_token"]).status_code == 200     # the second tab
    third = refresh(client, who["refresh_token"])
    assert third.status_code == 401 and third.get_json()["error"]["message"] == ENDED


def test_a_token_two_rotations_old_ends_the_session_even_within_the_grace(client, login):
    who = login(("grid_worker", "/c/s"))
    one = refresh(client, who["refresh_token"]).get_json()
    two = refresh(client, one["refresh_token"])
    assert two.status_code == 200
    stale = refresh(client, who["refresh_token"])
    assert stale.status_code == 401
    assert refresh(client, two.get_json()["refresh_token"]).status_code == 401


def test_two_tabs_refreshing_at_the_same_moment_both_succeed(app, login):
    who = login(("grid_worker", "/c/s"))
    statuses = []

    def tab():
        statuses.append(refresh(app.test_client(), who["refresh_token"]).status_code)

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert statuses == [200, 200]
