"""Every error is ``{"error": {"code", "message", "fields"?}}``, Chinese unless asked."""
from fazhi_shared.errors import Conflict

from gateway.auth import public

EN = {"Accept-Language": "en-US,en;q=0.9"}


def error(r):
    body = r.get_json()
    assert set(body) == {"error"}, body
    return body["error"]


def test_validation_422_names_the_fields_in_chinese(plain_app):
    r = plain_app.test_client().post("/api/v1/auth/login", json={"username": ""})
    assert r.status_code == 422
    e = error(r)
    assert e["code"] == "validation_failed" and e["message"] == "输入有误，请检查标出的字段。"
    assert e["fields"] == {"username": ["长度必须在 1 到 64 之间。"],
                           "password": ["缺少必填字段。"]}


def test_validation_422_in_english(plain_app):
    r = plain_app.test_client().post("/api/v1/auth/login",
                                     json={"username": "a", "password": "b", "extra": 1},
                                     headers=EN)
    e = error(r)
    assert r.status_code == 422 and e["message"] == "Some fields are invalid."
    assert e["fields"] == {"extra": ["Unknown field."]}


def test_body_that_is_not_an_object(plain_app):
    r = plain_app.test_client().post("/api/v1/auth/refresh", json=["x"])
    assert r.status_code == 422 and error(r)["code"] == "validation_failed"


def test_bad_json_is_400(plain_app):
    r = plain_app.test_client().post("/api/v1/auth/login", data="{nope",
                                     content_type="application/json")
    assert r.status_code == 400
    assert error(r) == {"code": "bad_request", "message": "请求体不是有效的 JSON。"}


def test_unknown_route_and_malformed_id_are_404(plain_app):
    client = plain_app.test_client()
    for url in ("/api/v1/nothing-here", "/api/v1/org/units/not-an-id"):
        r = client.get(url)
        assert r.status_code == 404 and error(r)["code"] == "not_found", url
    assert error(client.get("/nope", headers=EN))["message"] == "No such URL."


def test_wrong_method_is_405_with_allow(plain_app):
    r = plain_app.test_client().delete("/healthz")
    assert r.status_code == 405 and error(r)["code"] == "method_not_allowed"
    assert "GET" in r.headers["Allow"]


def test_crash_is_500_without_internals(plain_app):
    def boom():
        raise RuntimeError("password=hunter2 at db.internal:5432")

    plain_app.add_url_rule("/boom", "boom", public(boom))
    r = plain_app.test_client().get("/boom")
    assert r.status_code == 500
    assert error(r) == {"code": "internal_error", "message": "服务器内部错误。"}
    assert "hunter2" not in r.get_data(as_text=True)


def test_typed_service_errors_keep_status_and_fields(plain_app):
    def taken():
        raise Conflict("用户名已被占用。", "The username is taken.",
                       fields={"zh": {"username": ["用户名已被占用。"]},
                               "en": {"username": ["Already taken."]}})

    plain_app.add_url_rule("/taken", "taken", public(taken))
    client = plain_app.test_client()
    zh, en = client.get("/taken"), client.get("/taken", headers=EN)
    assert zh.status_code == en.status_code == 409
    assert error(zh)["fields"] == {"username": ["用户名已被占用。"]}
    assert error(en) == {"code": "conflict", "message": "The username is taken.",
                         "fields": {"username": ["Already taken."]}}


def test_request_id_is_echoed_or_made(plain_app):
    client = plain_app.test_client()
    assert client.get("/healthz", headers={"X-Request-ID": "req-42"}).headers[
        "X-Request-ID"] == "req-42"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id; " + "x" * 100})
    assert made.headers["X-Request-ID"] != "bad id" and len(made.headers["X-Request-ID"]) == 36
    assert client.get("/nope").headers["X-Request-ID"]  # errors carry it too


def test_unauthenticated_is_401_with_challenge(plain_app):
    client = plain_app.test_client()
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not.a.jwt"}):
        r = client.get("/api/v1/org/units", headers=headers)
        assert r.status_code == 401 and error(r)["code"] == "unauthenticated", headers
        assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_healthz(plain_app):
    r = plain_app.test_client().get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}
