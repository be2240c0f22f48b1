"""Input the gateway refuses at the door, in the error envelope, before any service is
called (issue 8, point 1): control characters in text and searches (the public login
too), JSON nested too deeply (every JSON endpoint, public ones included), a body that is
not JSON sent to a JSON endpoint, an oversized query string or header."""
from __future__ import annotations

import pytest

from fazhi_shared.ids import new_id

EN = {"Accept-Language": "en"}
PATH = "/a/b"


def error(r) -> dict:
    assert r.is_json, (r.status_code, r.get_data()[:200])
    body = r.get_json()
    assert set(body) == {"error"}, body
    return body["error"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def staff(login):
    return login(("city_admin", PATH))


# -- control characters -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["admin\x00", "\x00", "ad\x1bmin"])
def test_control_characters_in_the_public_login_are_a_422(client, fake_rpc, name):
    r = client.post("/api/v1/auth/login", json={"username": name, "password": "x"})
    assert r.status_code == 422
    assert error(r)["fields"] == {"username": ["不能包含控制字符。"]}
    assert fake_rpc.calls_to("org", "authenticate") == []


def test_control_characters_in_a_search_are_a_422_naming_it(client, fake_rpc, staff):
    r = client.get("/api/v1/org/people?q=%00", headers={"Authorization": staff["Authorization"],
                                                        **EN})
    assert r.status_code == 422
    assert error(r)["fields"] == {"q": ["Must not contain control characters."]}
    assert fake_rpc.calls_to("org", "list_people") == []


def test_control_characters_in_a_body_are_a_422_naming_the_field(client, fake_rpc, staff):
    r = client.post("/api/v1/org/units", json={"parent_id": new_id(), "kind": "unit",
                                               "name": "101\x00"},
                    headers={"Authorization": staff["Authorization"]})
    assert r.status_code == 422
    assert error(r)["fields"] == {"name": ["不能包含控制字符。"]}
    assert fake_rpc.calls_to("org", "create_unit") == []


# -- JSON nested too deeply -------------------------------------------------------------------
@pytest.mark.parametrize("depth", [100, 1000, 100_000])
def test_deep_json_on_the_public_login_is_a_400(client, fake_rpc, depth):
    for body in (nested(depth), '{"username": ' + nested(depth) + ', "password": "x"}'):
        r = client.post("/api/v1/auth/login", data=body, content_type="application/json")
        assert r.status_code == 400, r.get_data()[:200]
        assert error(r) == {"code": "bad_request",
                            "message": "请求体的 JSON 嵌套过深（最多 32 层）。"}
    assert fake_rpc.calls_to("org", "authenticate") == []


def test_deep_json_on_a_contract_route_is_a_400(client, fake_rpc, staff):
    r = client.post("/api/v1/org/units", data=nested(1000), content_type="application/json",
                    headers={"Authorization": staff["Authorization"], **EN})
    assert r.status_code == 400
    assert error(r)["message"] == "The JSON body is nested too deeply (at most 32 levels)."
    assert fake_rpc.calls_to("org", "create_unit") == []


def test_brackets_inside_strings_do_not_count_as_depth(client, fake_rpc):
    r = client.post("/api/v1/auth/login", json={"username": "[" * 500 + '"\\"{',
                                                "password": "x"})
    assert r.status_code == 422    # too long a username, but not "nested too deeply"
    assert "username" in error(r)["fields"]


# -- a body that is not JSON ------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/octet-stream"])
def test_a_body_that_is_not_json_is_a_415(client, fake_rpc, content_type):
    r = client.post("/api/v1/auth/login", data='{"username": "a", "password": "b"}',
                    content_type=content_type)
    assert r.status_code == 415
    assert error(r) == {"code": "unsupported_media_type",
                        "message": "请求体须为 JSON（Content-Type: application/json）。"}
    assert fake_rpc.calls_to("org", "authenticate") == []


def test_a_text_body_to_a_contract_write_is_a_415_and_nothing_runs(client, fake_rpc, staff):
    r = client.post("/api/v1/org/units", data='{"kind": "unit"}', content_type="text/plain",
                    headers={"Authorization": staff["Authorization"], **EN})
    assert r.status_code == 415
    assert error(r)["message"] == "The body must be JSON (Content-Type: application/json)."
    assert fake_rpc.calls_to("org", "create_unit") == []


def test_json_with_a_charset_and_json_suffixes_still_pass(client, fake_rpc):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = client.post("/api/v1/auth/login", data='{"username": "", "password": "b"}',
                        content_type=content_type)
        assert r.status_code == 422 and "username" in error(r)["fields"], content_type


# -- oversized query string and headers --------------------------------------------------------
def test_a_6kb_query_is_a_414_in_the_envelope(client, fake_rpc, staff):
    r = client.get("/api/v1/org/people?q=" + "a" * 6000,
                   headers={"Authorization": staff["Authorization"]})
    assert r.status_code == 414
    assert error(r) == {"code": "uri_too_long", "message": "请求地址过长（查询字符串最多 4096 字节）。"}
    assert fake_rpc.calls_to("org", "list_people") == []


def test_a_20kb_header_is_a_431_in_the_envelope(client):
    r = client.get("/healthz", headers={"X-Padding": "a" * 20_000, **EN})
    assert r.status_code == 431
    assert error(r) == {"code": "request_header_fields_too_large",
                        "message": "Request headers too large (at most 16384 bytes each, "
                                   "32768 in all)."}


def test_many_headers_adding_up_are_a_431(client):
    headers = {f"X-Pad-{i}": "a" * 4000 for i in range(9)}
    assert client.get("/healthz", headers=headers).status_code == 431


def test_ordinary_queries_and_headers_pass(client):
    r = client.get("/healthz?" + "a" * 4000, headers={"X-Padding": "a" * 12_000})
    assert r.status_code == 200
