"""The OpenAPI document is generated from the schemas and served with a local Swagger UI."""

PATHS = {
    "/api/v1/auth/login": {"post"}, "/api/v1/auth/refresh": {"post"},
    "/api/v1/auth/logout": {"post"}, "/api/v1/me": {"get"},
    "/api/v1/org/units": {"get", "post"},
    "/api/v1/org/units/{unit_id}": {"get", "patch"},
    "/api/v1/org/units/{unit_id}/move": {"post"},
    "/api/v1/org/units/{unit_id}/children": {"get"},
    "/api/v1/org/compounds": {"get"},
    "/api/v1/org/people": {"get", "post"},
    "/api/v1/org/people/{person_id}": {"get", "patch"},
    "/api/v1/org/people/{person_id}/reveal": {"post"},
    "/api/v1/org/accounts": {"post"},
    "/api/v1/org/accounts/{account_id}": {"get"},
    "/api/v1/org/accounts/{account_id}/grants": {"post"},
    "/api/v1/org/grants/{grant_id}": {"delete"},
    "/api/v1/org/ping": {"get"},
    "/healthz": {"get"}, "/readyz": {"get"},
}
SCHEMAS = {"Unit", "UnitPage", "UnitCreate", "UnitRenameBody", "UnitMoveBody", "Person",
           "PersonPage", "PersonCreate", "PersonUpdateBody", "PersonRevealBody",
           "PersonRevealed", "Account", "AccountCreate", "Grant", "GrantCreateBody",
           "Credentials", "TokenPair", "RefreshInput", "Me", "ErrorResponse"}


def spec(app):
    r = app.test_client().get("/api/openapi.json")
    assert r.status_code == 200
    return r.get_json()


def test_paths_and_methods(plain_app):
    doc = spec(plain_app)
    assert doc["openapi"].startswith("3.")
    for path, methods in PATHS.items():
        assert path in doc["paths"], path
        assert methods <= set(doc["paths"][path]), (path, set(doc["paths"][path]))


def test_component_schemas_come_from_the_contract(plain_app):
    schemas = spec(plain_app)["components"]["schemas"]
    assert SCHEMAS <= set(schemas), SCHEMAS - set(schemas)
    assert set(schemas["Unit"]["properties"]) >= {"id", "parent_id", "kind", "name", "path"}
    # The rename body is org's UnitRename without the id the URL carries.
    assert schemas["UnitRenameBody"]["required"] == ["name"]
    assert "id" not in schemas["UnitRenameBody"]["properties"]
    assert set(schemas["UnitCreate"]["properties"]["kind"]["enum"]) >= {"city", "unit"}


def test_request_body_query_and_path_parameters(plain_app):
    paths = spec(plain_app)["paths"]
    create = paths["/api/v1/org/units"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/UnitCreate")
    assert "201" in create["responses"]
    listing = {p["name"] for p in paths["/api/v1/org/units"]["get"]["parameters"]}
    assert listing >= {"cursor", "limit", "parent_id", "kind"}
    get_one = paths["/api/v1/org/units/{unit_id}"]
    params = get_one.get("parameters", []) + get_one["get"].get("parameters", [])
    assert any(p["name"] == "unit_id" and p["in"] == "path" for p in params)


def test_bearer_security_and_public_operations(plain_app):
    doc = spec(plain_app)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert doc["security"] == [{"bearer": []}]
    assert doc["paths"]["/api/v1/auth/login"]["post"]["security"] == []
    assert doc["paths"]["/healthz"]["get"]["security"] == []
    assert "security" not in doc["paths"]["/api/v1/org/ping"]["get"]
    assert "street_admin" in doc["paths"]["/api/v1/org/accounts"]["post"]["x-roles"]


def test_errors_are_documented_as_the_envelope(plain_app):
    doc = spec(plain_app)
    body = doc["components"]["schemas"]["ErrorBody"]["properties"]
    assert {"code", "message", "fields"} <= set(body)
    unprocessable = doc["components"]["responses"]["UNPROCESSABLE_ENTITY"]
    assert unprocessable["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse")


def test_swagger_ui_is_served_locally(plain_app):
    client = plain_app.test_client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs/ui/swagger-ui-bundle.js" in html and "/api/openapi.json" in html
    assert "//" not in html.split("swagger-ui-bundle.js")[0].split("src=")[-1]  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        assert client.get(f"/api/docs/ui/{asset}").status_code == 200, asset
    assert client.get("/api/docs/ui/../../etc/passwd").status_code == 404
