"""Issue 7, point 1, as the issue reported it: through the gateway, with the real org
behind it. A street admin may not reset the password of (nor disable) an account holding
``city_admin`` whose person happens to be filed in their street."""
from __future__ import annotations

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as

from gateway.testing import make_login

SYSTEM = Principal.system()
API = "/api/v1/org"


def _street_admin(world, as_user):
    admin = make_login(world.units["street"]["id"], "street_admin")
    return as_user(admin)


def _city_admin_filed_in(world):
    """A city admin whose person record lies in the world's compound (inside the street)."""
    person = call_as(SYSTEM, "org", "create_person", name="市管理员",
                     unit_id=world.units["compound"]["id"])
    return make_login(world.units["city"]["id"], "city_admin", person_id=person["id"])


def test_a_street_admin_cannot_reset_a_city_admins_password_and_log_in_as_them(
        client, world, as_user):
    street_admin = _street_admin(world, as_user)
    city_admin = _city_admin_filed_in(world)
    r = client.put(f"{API}/accounts/{city_admin['id']}/password", headers=street_admin,
                   json={"new_password": "taken-over-42"})
    assert r.status_code == 403, r.get_json()
    stolen = client.post("/api/v1/auth/login", json={"username": city_admin["username"],
                                                     "password": "taken-over-42"})
    assert stolen.status_code == 401
    own = client.post("/api/v1/auth/login", json={"username": city_admin["username"],
                                                  "password": city_admin["password"]})
    assert own.status_code == 200


def test_a_street_admin_cannot_disable_a_city_admin(client, world, as_user):
    street_admin = _street_admin(world, as_user)
    city_admin = _city_admin_filed_in(world)
    r = client.put(f"{API}/accounts/{city_admin['id']}/disabled", headers=street_admin,
                   json={"disabled": True})
    assert r.status_code == 403, r.get_json()
    assert call_as(SYSTEM, "org", "get_account", account_id=city_admin["id"])["disabled"] is False
