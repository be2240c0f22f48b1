"""The refresh token as an HttpOnly cookie for the web console (issue 9, point 8).

Login and refresh set ``fazhi_refresh`` — ``HttpOnly; SameSite=Strict; Path=/api/v1/auth``,
``Secure`` over https — beside the JSON body mobile apps keep using. A browser client
says so with ``X-Requested-With``: its answers then carry the refresh token in the cookie
only, never where a page script could read it, and it refreshes with the cookie (the
header is required: a cross-site form cannot send it). Logout clears the cookie; a
refused cookie refresh clears it too. Rotation, theft detection and the second-tab grace
are the same as for the body's token (tests/test_refresh_rotation.py)."""
from __future__ import annotations

import jwt
import pytest

from gateway import config

COOKIE = "fazhi_refresh"
BROWSER = {"X-Requested-With": "fazhi-web"}
CREDENTIALS = {"username": "someone", "password": "whatever-it-is"}


def set_cookie(r) -> dict:
    """The ``fazhi_refresh`` Set-Cookie header of a response, as {attribute: value}."""
    [header] = [h for h in r.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {"value": value}
    for p in parts[1:]:
        key, _, val = p.partition("=")
        attrs[key.lower()] = val or True
    return attrs


def jti(token):
    return jwt.decode(token, config.JWT_SECRET.get(), algorithms=["HS256"])["jti"]


@pytest.fixture
def signed_in(client, fake_rpc):
    """A browser login: ``(response, body)``; the test client keeps the cookie."""
    from gateway.testing import fake_account

    acc = fake_account((("grid_worker", "/c/s"),))
    fake_rpc.answer("org", "authenticate", acc)
    fake_rpc.answer("org", "get_account", acc)
    r = client.post("/api/v1/auth/login", json=CREDENTIALS, headers=BROWSER)
    assert r.status_code == 200, r.get_json()
    return r, r.get_json()


def cookie_refresh(client, headers=BROWSER, **kw):
    return client.post("/api/v1/auth/refresh", json={}, headers=headers, **kw)


def test_login_sets_an_httponly_strict_cookie_on_the_auth_path(signed_in):
    r, body = signed_in
    c = set_cookie(r)
    assert c["httponly"] is True and c["samesite"] == "Strict" and c["path"] == "/api/v1/auth"
    assert "secure" not in c                            # plain http (development)
    assert 0 < int(c["max-age"]) <= config.REFRESH_TTL.get()
    assert jwt.decode(c["value"], config.JWT_SECRET.get(),
                      algorithms=["HS256"])["typ"] == "refresh"
    # a browser's answer holds no refresh token a page script could read
    assert "refresh_token" not in body and body["access_token"]


def test_mobile_apps_keep_the_json_body(client, fake_rpc, login):
    who = login(("grid_worker", "/c/s"))                 # no X-Requested-With
    assert who["refresh_token"]
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": who["refresh_token"]})
    assert r.status_code == 200 and r.get_json()["refresh_token"]
    assert set_cookie(r)["httponly"] is True             # the cookie is set all the same


def test_the_cookie_is_secure_over_https(client, fake_rpc):
    from gateway.testing import fake_account

    acc = fake_account((("grid_worker", "/c/s"),))
    fake_rpc.answer("org", "authenticate", acc)
    r = client.post("/api/v1/auth/login", json=CREDENTIALS, headers=BROWSER,
                    base_url="https://localhost")
    assert set_cookie(r)["secure"] is True


def test_the_console_refreshes_with_the_cookie_and_it_rotates(client, signed_in):
    first = set_cookie(signed_in[0])["value"]
    r = cookie_refresh(client)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["access_token"] and "refresh_token" not in body
    second = set_cookie(r)["value"]
    assert jti(second) != jti(first)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
                      ).status_code == 200
    # the next refresh uses the rotated cookie the client now holds
    assert cookie_refresh(client).status_code == 200


def test_a_cookie_refresh_without_the_header_is_refused_and_changes_nothing(client, signed_in):
    r = cookie_refresh(client, headers={})
    assert r.status_code == 403
    assert "X-Requested-With" in r.get_json()["error"]["message"]
    assert not [h for h in r.headers.getlist("Set-Cookie") if h.startswith(COOKIE)]
    assert cookie_refresh(client).status_code == 200     # the token was not spent


def test_no_token_at_all_is_a_401(client):
    r = cookie_refresh(client)
    assert r.status_code == 401


def test_logout_clears_the_cookie(client, signed_in):
    _, body = signed_in
    r = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer "
                                                                       f"{body['access_token']}"})
    assert r.status_code == 204
    c = set_cookie(r)
    assert c["value"] in ("", '""') and c["path"] == "/api/v1/auth"
    assert c.get("max-age") == "0" or "1970" in str(c.get("expires"))
    assert cookie_refresh(client).status_code == 401


def test_a_refused_cookie_is_cleared(client, signed_in, monkeypatch):
    monkeypatch.setenv("GATEWAY_REFRESH_GRACE", "0")
    old = set_cookie(signed_in[0])["value"]
    assert cookie_refresh(client).status_code == 200
    # the spent token comes back (a stolen copy): the session ends and the cookie goes
    client.set_cookie(COOKIE, old, path="/api/v1/auth")
    r = cookie_refresh(client)
    assert r.status_code == 401
    assert set_cookie(r)["value"] in ("", '""')
