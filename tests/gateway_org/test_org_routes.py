"""The org routes end to end: validation at the gateway, the call, the service's answer."""
import pytest

from fazhi_shared.ids import new_id

EN = {"Accept-Language": "en"}


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def test_unit_lifecycle(client, world, admin):
    units = world.units
    r = client.post("/api/v1/org/units", headers=admin,
                    json={"parent_id": units["compound"]["id"], "kind": "building",
                          "name": "2幢"})
    assert r.status_code == 201, r.get_json()
    building = r.get_json()
    assert building["path"] == f"{units['compound']['path']}/{building['id']}"
    assert client.get(f"/api/v1/org/units/{building['id']}", headers=admin).get_json() == building
    renamed = client.patch(f"/api/v1/org/units/{building['id']}", headers=admin,
                           json={"name": "二幢"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "二幢"
    assert renamed.get_json()["path"] == building["path"]
    children = client.get(f"/api/v1/org/units/{units['compound']['id']}/children",
                          headers=admin).get_json()
    assert {u["name"] for u in children["items"]} >= {"1幢", "二幢"}
    listed = client.get("/api/v1/org/units", headers=admin,
                        query_string={"kind": "building",
                                      "parent_id": units["compound"]["id"]}).get_json()
    assert {u["id"] for u in listed["items"]} >= {building["id"], units["building"]["id"]}


def test_move_unit(client, world, admin):
    units = world.units
    other = client.post("/api/v1/org/units", headers=admin,
                        json={"parent_id": units["community"]["id"], "kind": "compound",
                              "name": "安居小区"}).get_json()
    building = client.post("/api/v1/org/units", headers=admin,
                           json={"parent_id": units["compound"]["id"], "kind": "building",
                                 "name": "9幢"}).get_json()
    moved = client.post(f"/api/v1/org/units/{building['id']}/move", headers=admin,
                        json={"new_parent_id": other["id"]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["path"] == f"{other['path']}/{building['id']}"
    compounds = client.get("/api/v1/org/compounds", headers=admin).get_json()["items"]
    assert {c["id"] for c in compounds} >= {other["id"], units["compound"]["id"]}


def test_cursor_pagination(client, world, admin):
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/org/compounds", headers=admin, query_string=query).get_json()
        assert len(page["items"]) <= 1
        seen += [u["id"] for u in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 2 and pages >= 2


def test_people(client, world, as_user):
    worker = as_user(world.worker)
    r = client.post("/api/v1/org/people", headers=worker,
                    json={"name": "王五", "phone": "13900001111", "id_number": "32128319850101101X",
                          "gender": "male", "unit_id": world.units["unit"]["id"]})
    assert r.status_code == 201, r.get_json()
    person = r.get_json()
    assert person["id_number"] != "32128319850101101X"          # masked
    got = client.get(f"/api/v1/org/people/{person['id']}", headers=worker).get_json()
    assert got["name"] == "王五"
    listed = client.get("/api/v1/org/people", headers=worker,
                        query_string={"unit_id": world.units["unit"]["id"], "q": "王"}).get_json()
    [row] = [p for p in listed["items"] if p["id"] == person["id"]]
    assert row["phone"] != "13900001111"                          # masked in lists
    patched = client.patch(f"/api/v1/org/people/{person['id']}", headers=worker,
                           json={"name": "王小五"})
    assert patched.status_code == 200 and patched.get_json()["name"] == "王小五"
    revealed = client.post(f"/api/v1/org/people/{person['id']}/reveal", headers=worker,
                           json={"reason": "调解需要核实身份"})
    assert revealed.status_code == 200
    assert revealed.get_json()["id_number"] == "32128319850101101X"


def test_accounts_and_grants(client, world, admin, login):
    person = client.post("/api/v1/org/people", headers=admin,
                         json={"name": "赵六", "unit_id": world.units["street"]["id"]}).get_json()
    r = client.post("/api/v1/org/accounts", headers=admin,
                    json={"username": f"zhao_{person['id'][-6:]}", "password": "long-password-1",
                          "person_id": person["id"]})
    assert r.status_code == 201, r.get_json()
    account = r.get_json()
    grant = client.post(f"/api/v1/org/accounts/{account['id']}/grants", headers=admin,
                        json={"role": "street_admin", "unit_id": world.units["street"]["id"]})
    assert grant.status_code == 201 and grant.get_json()["role"] == "street_admin"
    got = client.get(f"/api/v1/org/accounts/{account['id']}", headers=admin).get_json()
    assert [g["role"] for g in got["grants"]] == ["street_admin"]
    tokens = login({"username": account["username"], "password": "long-password-1"})
    assert tokens["account"]["grants"][0]["path"] == world.units["street"]["path"]
    again = client.post("/api/v1/org/accounts", headers=admin,
                        json={"username": account["username"], "password": "long-password-1",
                              "person_id": person["id"]}, )
    assert again.status_code == 409
    assert again.get_json()["error"]["fields"] == {"username": ["用户名已被占用。"]}


def test_ping(client, world, as_user):
    r = client.get("/api/v1/org/ping", headers=as_user(world.resident))
    assert r.status_code == 200 and r.get_json() == {"service": "org", "database": True}


def test_body_validation_names_the_field(client, world, admin):
    body = {"parent_id": world.units["compound"]["id"], "kind": "building"}
    zh = client.post("/api/v1/org/units", headers=admin, json=body)
    en = client.post("/api/v1/org/units", headers={**admin, **EN}, json=body)
    assert zh.status_code == en.status_code == 422
    assert zh.get_json()["error"]["fields"] == {"name": ["缺少必填字段。"]}
    assert en.get_json()["error"]["fields"] == {"name": ["Missing data for required field."]}
    bad_kind = client.post("/api/v1/org/units", headers=admin,
                           json={**body, "name": "x", "kind": "castle"}).get_json()["error"]
    assert list(bad_kind["fields"]) == ["kind"] and bad_kind["fields"]["kind"][0].startswith(
        "必须是以下之一")
    # The URL carries the id: a body with one is refused, not silently ignored.
    extra = client.patch(f"/api/v1/org/units/{world.units['building']['id']}", headers=admin,
                         json={"name": "x", "id": world.units["unit"]["id"]})
    assert extra.status_code == 422 and extra.get_json()["error"]["fields"] == {
        "id": ["未知字段。"]}


def test_query_validation_names_the_field(client, world, admin):
    for query, field in (({"limit": 0}, "limit"), ({"limit": "many"}, "limit"),
                         ({"parent_id": "nope"}, "parent_id"), ({"kind": "castle"}, "kind")):
        r = client.get("/api/v1/org/units", headers=admin, query_string=query)
        assert r.status_code == 422, query
        assert list(r.get_json()["error"]["fields"]) == [field]


def test_rules_checked_by_the_service_come_back_as_422(client, world, admin):
    r = client.post("/api/v1/org/units", headers=admin,
                    json={"parent_id": world.units["compound"]["id"], "kind": "unit",
                          "name": "越级"})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {"kind": ["此处只能新建“楼栋”。"]}


def test_outside_scope_or_missing_is_404(client, world, as_user):
    worker = as_user(world.worker)
    missing = client.get(f"/api/v1/org/units/{new_id()}", headers=worker)
    assert missing.status_code == 404
    assert missing.get_json()["error"] == {"code": "not_found", "message": "记录不存在。"}
    # The city is above the worker's community: the service does not confirm it exists.
    above = client.get(f"/api/v1/org/people/{world.admin['person_id']}", headers=worker)
    assert above.status_code == 404
