"""A wrong code at the door is refused naming the Chinese labels (issue 9, point 5): the
query string and the body are checked with the contract's own schemas, so a console
shows "必须是以下之一：小区、楼栋…" next to the field, and English clients get the codes."""
from __future__ import annotations

from fazhi_shared.ids import new_id

KINDS_ZH = "必须是以下之一：市、街道、社区、小区、楼栋、房屋。"
KINDS_EN = "Must be one of: city, street, community, compound, building, unit."


def test_a_wrong_kind_in_the_query_string_names_the_labels(client, fake_rpc, login):
    staff = login(("city_admin", "/a"))
    r = client.get("/api/v1/org/units?kind=house",
                   headers={"Authorization": staff["Authorization"]})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {"kind": [KINDS_ZH]}
    r = client.get("/api/v1/org/units?kind=house",
                   headers={"Authorization": staff["Authorization"], "Accept-Language": "en"})
    assert r.get_json()["error"]["fields"] == {"kind": [KINDS_EN]}
    assert fake_rpc.calls_to("org", "list_units") == []


def test_a_wrong_relation_in_a_body_names_the_labels(client, fake_rpc, login):
    staff = login(("city_admin", "/a"))
    r = client.post(f"/api/v1/org/units/{new_id()}/residents",
                    json={"name": "张三", "relation": "friend"},
                    headers={"Authorization": staff["Authorization"]})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {
        "relation": ["必须是以下之一：业主自住、租户、家庭成员。"]}
    assert fake_rpc.calls_to("org", "move_in") == []


def test_the_openapi_document_gives_each_code_its_label(client):
    doc = client.get("/api/openapi.json").get_json()
    prop = doc["components"]["schemas"]["UnitCreate"]["properties"]["kind"]
    assert prop["enum"] == ["city", "street", "community", "compound", "building", "unit"]
    assert prop["x-labels"]["compound"] == "小区"
