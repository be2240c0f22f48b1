"""Every route declares who may call it, and the declarations are the agreed ones."""
import pytest

from fazhi_shared.context import ROLES, STAFF_ROLES

from gateway.auth import declaration, public

UNIT_WRITERS = {"city_admin", "street_admin", "community_worker"}
# Who org lets create and correct people records (issue 7 point 8: declarations promise
# no more than the service allows).
PEOPLE_WRITERS = {"city_admin", "street_admin", "community_worker", "grid_worker",
                  "property_staff", "judicial_staff"}
REVEALERS = {"city_admin", "street_admin", "judicial_staff", "community_worker", "auditor"}
ACCOUNT_ADMINS = {"city_admin", "street_admin"}
AUDIT_READERS = {"city_admin", "street_admin", "auditor"}
PUBLIC = "public"
SIGNED_IN = "any signed-in account"

EXPECTED = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/api/docs/ui/<path:filename>"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/refresh"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/org/units"): set(ROLES),
    ("POST", "/api/v1/org/units"): UNIT_WRITERS,
    ("GET", "/api/v1/org/units/<id:unit_id>"): set(ROLES),
    ("PATCH", "/api/v1/org/units/<id:unit_id>"): UNIT_WRITERS,
    ("POST", "/api/v1/org/units/<id:unit_id>/move"): UNIT_WRITERS,
    ("GET", "/api/v1/org/units/<id:unit_id>/children"): set(ROLES),
    ("POST", "/api/v1/org/units/<id:unit_id>/retirement"): UNIT_WRITERS,
    ("GET", "/api/v1/org/units/<id:unit_id>/five-haves-coverage.xlsx"): set(STAFF_ROLES),
    ("GET", "/api/v1/org/compounds/<id:compound_id>/imports"): set(STAFF_ROLES),
    ("GET", "/api/v1/org/audit-log"): AUDIT_READERS,
    ("GET", "/api/v1/org/unmasked-reads"): AUDIT_READERS,
    ("GET", "/api/v1/admin/login-log"): ACCOUNT_ADMINS,
    ("GET", "/api/v1/admin/sessions"): ACCOUNT_ADMINS,
    ("DELETE", "/api/v1/admin/sessions/<id:session_id>"): ACCOUNT_ADMINS,
    ("GET", "/api/v1/org/compounds"): set(ROLES),
    ("POST", "/api/v1/org/people"): PEOPLE_WRITERS,
    ("GET", "/api/v1/org/people"): set(STAFF_ROLES),
    ("GET", "/api/v1/org/people/<id:person_id>"): set(STAFF_ROLES),
    ("PATCH", "/api/v1/org/people/<id:person_id>"): PEOPLE_WRITERS,
    ("POST", "/api/v1/org/people/<id:person_id>/reveal"): REVEALERS,
    ("POST", "/api/v1/org/accounts"): ACCOUNT_ADMINS,
    ("GET", "/api/v1/org/accounts/<id:account_id>"): ACCOUNT_ADMINS,
    ("POST", "/api/v1/org/accounts/<id:account_id>/grants"): ACCOUNT_ADMINS,
    ("DELETE", "/api/v1/org/grants/<id:grant_id>"): ACCOUNT_ADMINS,
    ("GET", "/api/v1/org/ping"): set(ROLES),
}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_endpoint_declares_who_may_call_it(plain_app):
    undeclared = sorted(f"{m} {rule.rule} ({rule.endpoint})" for m, rule in _routes(plain_app)
                        if declaration(plain_app.view_functions[rule.endpoint]) is None)
    assert not undeclared, f"routes without @public/@authenticated/@allow: {undeclared}"


def test_declared_roles_are_real_roles(plain_app):
    for _, rule in _routes(plain_app):
        access = declaration(plain_app.view_functions[rule.endpoint])
        assert access.roles is None or set(access.roles) <= set(ROLES), rule.rule


def test_declarations_are_the_agreed_ones(plain_app):
    """The routes agreed for v1 keep their declarations (other areas may add routes)."""
    actual = {}
    for method, rule in _routes(plain_app):
        access = declaration(plain_app.view_functions[rule.endpoint])
        actual[(method, rule.rule)] = (PUBLIC if access.public else
                                       SIGNED_IN if access.roles is None else set(access.roles))
    assert {route: actual.get(route, "missing") for route in EXPECTED} == EXPECTED


def test_allow_refuses_unknown_roles():
    from gateway.auth import allow

    with pytest.raises(ValueError):
        allow("superuser")
    with pytest.raises(ValueError):
        allow()


def test_an_undeclared_route_is_closed_not_open(plain_app):
    # Added after the factory ran, as a careless extension would: refused, never served.
    plain_app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    plain_app.add_url_rule("/declared", "declared", public(lambda: "hello"))
    client = plain_app.test_client()
    r = client.get("/undeclared")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    assert client.get("/declared").status_code == 200
