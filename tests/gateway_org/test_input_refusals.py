"""Input that used to be a 500 from the real org service behind the gateway, now a clear
422 in the envelope naming the field (issue 8, point 1): a NUL character in a text field,
a search or the public login's username (PostgreSQL refuses NUL in text); crafted
pagination cursors; a term start a three-year term cannot be added to."""
from __future__ import annotations

import base64
import json

import pytest

from fazhi_shared.service.testing import call_as

API = "/api/v1/org"
EN = {"Accept-Language": "en"}


def error(r) -> dict:
    assert r.is_json, (r.status_code, r.get_data()[:200])
    body = r.get_json()
    assert set(body) == {"error"}, body
    return body["error"]


@pytest.fixture(scope="module")
def admin(world, app):
    client = app.test_client()
    r = client.post("/api/v1/auth/login", json={"username": world.admin["username"],
                                                "password": world.admin["password"]})
    assert r.status_code == 200, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


def test_nul_in_the_public_login_username_is_a_422(client, world):
    r = client.post("/api/v1/auth/login", json={"username": "admin\x00", "password": "x"})
    assert r.status_code == 422
    assert error(r)["fields"] == {"username": ["不能包含控制字符。"]}


def test_nul_in_a_search_is_a_422_naming_q(client, admin):
    r = client.get(f"{API}/people", query_string={"q": "张\x00"}, headers=admin)
    assert r.status_code == 422
    assert error(r)["fields"] == {"q": ["不能包含控制字符。"]}


def test_nul_in_a_name_is_a_422_naming_name(client, admin, world):
    r = client.post(f"{API}/units", headers={**admin, **EN},
                    json={"parent_id": world.units["building"]["id"], "kind": "unit",
                          "name": "102\x00"})
    assert r.status_code == 422
    assert error(r)["fields"] == {"name": ["Must not contain control characters."]}
    r = client.post(f"{API}/people", headers=admin,
                    json={"name": "\x00", "unit_id": world.units["compound"]["id"]})
    assert r.status_code == 422 and list(error(r)["fields"]) == ["name"]


def _b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("values", [[1], [True], [1e308], [1, 2], [None], ["a\x00"],
                                    [["x"]], [{"x": 1}]])
def test_crafted_cursors_are_a_422_naming_cursor(client, admin, values):
    for url in (f"{API}/units", f"{API}/people", f"{API}/compounds"):
        r = client.get(url, query_string={"cursor": _b64(values)}, headers=admin)
        assert r.status_code == 422, (url, values, r.get_data()[:200])
        assert error(r)["fields"] == {"cursor": ["分页游标无效。"]}


def test_crafted_cursors_straight_to_the_service_are_a_422(world):
    from fazhi_shared.context import Principal
    from fazhi_shared.errors import ValidationFailed

    for values in ([1], [1e308], [1, 2]):
        with pytest.raises(ValidationFailed) as info:
            call_as(Principal.system(), "org", "list_units", cursor=_b64(values))
        assert "cursor" in info.value.fields["zh"]


def test_a_term_start_that_overflows_is_a_422(client, admin, world):
    compound = world.units["compound"]
    people = [client.post(f"{API}/people", headers=admin,
                          json={"name": f"调解员{i}", "gender": g, "unit_id": compound["id"]}
                          ).get_json() for i, g in enumerate(("female", "male", "male"))]
    members = [{"person_id": p["id"], "position": "chair" if i == 0 else "member"}
               for i, p in enumerate(people)]
    for term_start in ("9999-12-31", "9999-01-01"):
        r = client.post(f"{API}/compounds/{compound['id']}/mediation-committee", headers=admin,
                        json={"term_start": term_start, "members": members})
        assert r.status_code == 422, r.get_data()[:300]
        assert error(r)["fields"] == {"term_start": ["日期须在 1900-01-01 至 2999-12-31 之间。"]}


def test_a_date_query_that_overflows_is_a_422(client, admin, world):
    compound = world.units["compound"]
    r = client.get(f"{API}/compounds/{compound['id']}/five-haves",
                   query_string={"as_of": "9999-12-31"}, headers=admin)
    assert r.status_code == 422
    assert list(error(r)["fields"]) == ["as_of"]
