"""Every installed contract's routes, mounted by the gateway, against a fake RPC.

For each declared route: the door refuses a caller without a token (401) and a role the
route does not declare (403) before any RPC; an allowed caller's request reaches exactly
the declared RPC method with the URL's ids (renamed as declared) and the fixed keywords,
signed as that user, and gets the service's answer with the declared status. Then the
declaration features one by one: find-or-create statuses, uploads into the file store,
downloads from it, errors passed through, unknown query parameters refused.
"""
from __future__ import annotations

import io
import re
import uuid

import pytest

from fazhi_shared import files
from fazhi_shared.context import ROLES
from fazhi_shared.errors import Conflict, NotFound, ServiceUnavailable
from fazhi_shared.http import PUBLIC, SIGNED_IN

from gateway import contracts


ALL = [(c.service, r) for c in contracts.installed() for r in c.routes]
PATH = "/a/b"          # the grant path of the test caller (the fake does not check scope)


def bearer(login_headers: dict) -> dict:
    return {"Authorization": login_headers["Authorization"]}


def _id(route) -> str:
    return f"{route.method} {route.path}"


def url_of(service, route):
    ids = {v: str(uuid.uuid4()) for v in route.url_variables()}
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids[m.group(1)], route.path)
    return f"/api/v1/{service}{path}", ids


def allowed_role(route) -> str:
    return "city_admin" if isinstance(route.roles, str) else route.roles[0]


def send(client, route, url, headers, body=None):
    method = getattr(client, route.method.lower())
    if route.location == "json":
        return method(url, json=body if body is not None else {}, headers=headers)
    return method(url, headers=headers)


def test_every_service_with_a_contract_is_mounted(plain_app):
    assert plain_app.config["GATEWAY_SERVICES"] == [c.service for c in contracts.installed()]
    assert "org" in plain_app.config["GATEWAY_SERVICES"]
    rules = {(m, r.rule) for r in plain_app.url_map.iter_rules() for m in r.methods}
    for service, route in ALL:
        assert (route.method, f"/api/v1/{service}{route.path}") in rules, _id(route)


@pytest.mark.parametrize("service,route", [a for a in ALL if a[1].roles != PUBLIC],
                         ids=lambda a: _id(a) if hasattr(a, "path") else a)
def test_the_door_refuses_before_any_rpc(client, fake_rpc, login, service, route):
    url, _ = url_of(service, route)
    r = send(client, route, url, {})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthenticated"
    if route.roles != SIGNED_IN:
        others = [role for role in ROLES if role not in route.roles]
        if others:
            headers = bearer(login((others[0], PATH)))
            calls = len(fake_rpc.calls)
            r = send(client, route, url, headers)
            assert r.status_code == 403, (others[0], r.get_json())
            assert len(fake_rpc.calls) == calls, "a refused request reached the service"


@pytest.mark.parametrize("service,route", [a for a in ALL if a[1].upload is None],
                         ids=lambda a: _id(a) if hasattr(a, "path") else a)
def test_an_allowed_request_reaches_the_declared_rpc(client, fake_rpc, login, service, route):
    headers = bearer(login((allowed_role(route), PATH))) if route.roles != PUBLIC else {}
    url, ids = url_of(service, route)
    seen = {}

    def answer(**kwargs):
        seen.update(kwargs)
        return fake_rpc.examples.get((service, route.rpc))
    fake_rpc.answer(service, route.rpc, answer)
    if route.download is not None:
        ref = files.put_bytes(b"PK-not-really", route.download.content_type, "导出.xlsx")
        fake_rpc.answer(service, route.rpc, lambda **kw: (seen.update(kw), ref)[1])
    r = send(client, route, url, headers)
    if r.status_code == 422:
        # Required body fields: the door named them and sent nothing on.
        assert r.get_json()["error"]["fields"], r.get_json()
        assert not fake_rpc.calls_to(service, route.rpc)
        return
    assert r.status_code == route.status or (route.created_flag and r.status_code == 200), \
        (r.status_code, r.get_json() if r.is_json else r.data[:200])
    (_, _, kwargs, principal), = fake_rpc.calls_to(service, route.rpc)
    expected = {route.args.get(v, v): ids[v] for v in ids} | dict(route.fixed)
    assert {k: kwargs[k] for k in expected} == expected
    if route.roles == PUBLIC:
        assert principal.kind == "anonymous"
    else:
        assert principal.kind == "user" and principal.roles == {allowed_role(route)}
        assert principal.deadline is not None
    if route.download is None and route.output is not None:
        assert r.get_json() == fake_rpc.examples[(service, route.rpc)]


def test_write_bodies_are_validated_with_the_contract_schema(client, fake_rpc, login):
    headers = bearer(login(("city_admin", PATH)))
    r = client.post("/api/v1/org/units", json={"kind": "castle", "name": ""}, headers=headers)
    assert r.status_code == 422
    fields = r.get_json()["error"]["fields"]
    assert set(fields) == {"kind", "name", "parent_id"}
    assert not fake_rpc.calls_to("org", "create_unit")
    # the id the URL carries is not accepted in the body as well
    r = client.patch(f"/api/v1/org/units/{uuid.uuid4()}", json={"id": str(uuid.uuid4()),
                     "name": "新名"}, headers=headers)
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"id"}


def test_unknown_query_parameters_are_refused(client, fake_rpc, login):
    headers = bearer(login(("city_admin", PATH)))
    r = client.get("/api/v1/org/units?name=阳", headers=headers)
    assert r.status_code == 422 and "name" in r.get_json()["error"]["fields"]
    r = client.get(f"/api/v1/org/units/{uuid.uuid4()}?x=1", headers=headers)
    assert r.status_code == 422 and "x" in r.get_json()["error"]["fields"]
    assert not fake_rpc.calls_to("org", "list_units") and not fake_rpc.calls_to("org", "get_unit")


def test_find_or_create_answers_201_or_200(client, fake_rpc, login):
    headers = bearer(login(("city_admin", PATH)))
    url = f"/api/v1/org/compounds/{uuid.uuid4()}/owners"
    body = {"kind": "developer", "name": "开发商"}
    for created, status in ((True, 201), (False, 200)):
        fake_rpc.answer("org", "create_owner", lambda created=created, **kw: {
            "id": str(uuid.uuid4()), "kind": "developer", "created": created})
        r = client.post(url, json=body, headers=headers)
        assert r.status_code == status, r.get_json()


def test_service_errors_pass_through_in_the_envelope(client, fake_rpc, login):
    headers = bearer(login(("city_admin", PATH)))
    unit = f"/api/v1/org/units/{uuid.uuid4()}"
    for error, status, code in ((NotFound(), 404, "not_found"),
                                (Conflict("重名", "Taken"), 409, "conflict"),
                                (ServiceUnavailable(), 503, "service_unavailable")):
        fake_rpc.answer("org", "get_unit", error)
        r = client.get(unit, headers=headers)
        assert (r.status_code, r.get_json()["error"]["code"]) == (status, code)
    r = client.get(unit, headers={**headers, "Accept-Language": "en"})
    assert r.get_json()["error"]["message"] == ServiceUnavailable.default_en


def xlsx_bytes(size: int = 2000) -> bytes:
    return b"PK\x03\x04" + b"x" * (size - 4)


def test_an_upload_goes_to_the_file_store_and_the_rpc_gets_its_reference(
        client, fake_rpc, login):
    headers = bearer(login(("street_admin", PATH)))
    compound = str(uuid.uuid4())
    content = xlsx_bytes()
    fake_rpc.answer("org", "start_import", lambda **kw: {"id": str(uuid.uuid4()),
                                                        "status": "running"})
    r = client.post(f"/api/v1/org/compounds/{compound}/imports", headers=headers,
                    data={"file": (io.BytesIO(content), "楼栋 台账.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 202, r.get_json()
    (_, _, kwargs, _), = fake_rpc.calls_to("org", "start_import")
    assert kwargs["compound_id"] == compound
    ref = kwargs["file"]
    assert ref["size"] == len(content) and ref["filename"] == "楼栋 台账.xlsx"
    assert ref["address"].startswith("sha256:") and files.read_bytes(ref) == content
    assert set(ref) == {"address", "size", "content_type", "filename"}


@pytest.mark.parametrize("data,message", [
    ({}, "缺少必填字段。"),
    ({"file": (io.BytesIO(b""), "empty.xlsx")}, "请选择要上传的文件。"),
    ({"file": (io.BytesIO(b"hello, not a zip"), "a.xlsx")}, "不是有效的 .xlsx 文件，请使用模板。"),
    ({"file": (io.BytesIO(xlsx_bytes(10 * 1024 * 1024 + 1)), "big.xlsx")},
     "文件不能超过 10 MB。"),
])
def test_bad_uploads_are_422_naming_the_file_and_never_reach_the_service(
        client, fake_rpc, login, data, message):
    headers = bearer(login(("street_admin", PATH)))
    r = client.post(f"/api/v1/org/compounds/{uuid.uuid4()}/imports", headers=headers,
                    data=data, content_type="multipart/form-data")
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {"file": [message]}
    assert not fake_rpc.calls_to("org", "start_import")


def test_a_download_is_served_from_the_store_with_its_utf8_name(client, fake_rpc, login):
    headers = bearer(login(("street_admin", PATH)))
    content = xlsx_bytes(5000)
    ref = files.put_bytes(content, "application/vnd.openxmlformats-officedocument."
                          "spreadsheetml.sheet", "阳光小区-房屋业主住户.xlsx")
    fake_rpc.answer("org", "export_workbook", {**ref, "rows": 3})
    compound = str(uuid.uuid4())
    r = client.get(f"/api/v1/org/compounds/{compound}/workbook", headers=headers)
    assert r.status_code == 200 and r.data == content
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = r.headers["Content-Disposition"]
    assert f'filename="compound-{compound}.xlsx"' in disposition
    assert "filename*=UTF-8''%E9%98%B3%E5%85%89" in disposition
    assert r.headers["Cache-Control"] == "no-store"      # personal data: never cached


def test_vocabularies_are_public_and_labelled(client):
    r = client.get("/api/v1/org/vocabularies")
    assert r.status_code == 200
    kinds = {t["code"]: t["zh"] for t in r.get_json()["unit_kinds"]}
    assert kinds["compound"] == "小区" and kinds["building"] == "楼栋"


def test_two_services_may_not_share_a_schema_name():
    from marshmallow import fields as f

    from fazhi_shared.http import Contract, Route
    from fazhi_shared.schemas import BaseSchema

    def contract(service):
        note = type("Note", (BaseSchema,), {"text": f.String()})
        return Contract(service=service, title=service, routes=(
            Route("GET", "/notes", "list_notes", None, note, ("city_admin",)),))
    with pytest.raises(TypeError, match="Note"):
        contracts.check_schema_names([contract("alpha"), contract("beta")])
    contracts.check_schema_names([contract("alpha")])


def test_a_write_s_idempotency_key_reaches_the_service_with_a_hash_of_the_request(
        client, fake_rpc, login):
    from fazhi_shared.ids import new_id

    headers = bearer(login(("city_admin", PATH)))
    body = {"parent_id": new_id(), "kind": "street", "name": "清风街道"}
    for name in ("清风街道", "清风街道", "明月街道"):
        r = client.post("/api/v1/org/units", json={**body, "name": name},
                        headers={**headers, "Idempotency-Key": "k-1"})
        assert r.status_code == 201, r.get_json()
    keys = [(p.idempotency_key, p.request_hash, p.route)
            for *_, p in fake_rpc.calls_to("org", "create_unit")]
    assert [k[0] for k in keys] == ["k-1"] * 3
    assert keys[0] == keys[1] and keys[0][1] != keys[2][1]
    assert keys[0][2] == "POST /org/units"
    # reads carry none, writes without the header none, a malformed key is a 422
    client.get("/api/v1/org/units", headers={**headers, "Idempotency-Key": "k-1"})
    assert fake_rpc.calls_to("org", "list_units")[-1][3].idempotency_key is None
    r = client.post("/api/v1/org/units", json=body, headers={**headers,
                                                              "Idempotency-Key": "坏 key"})
    assert r.status_code == 422 and "Idempotency-Key" in r.get_json()["error"]["fields"]
