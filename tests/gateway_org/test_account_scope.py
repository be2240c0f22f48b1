"""Issue 7, point 2, through the gateway with the real org: granting a role on an account
of another street is the same 404 as reading it, and tells nothing of which ids exist."""
from __future__ import annotations

import uuid

from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.service.testing import call_as

from gateway.testing import make_login

SYSTEM = Principal.system()
API = "/api/v1/org"


def test_granting_on_an_account_of_another_street_is_404_like_reading_it(
        client, world, as_user):
    street_admin = as_user(make_login(world.units["street"]["id"], "street_admin"))
    other_street = call_as(SYSTEM, "org", "create_unit", parent_id=world.units["city"]["id"],
                           kind="street", name=f"别街{uuid.uuid4().hex[:4]}")
    elsewhere = make_login(other_street["id"], "grid_worker")
    body = {"role": "grid_worker", "unit_id": world.units["compound"]["id"]}
    read = client.get(f"{API}/accounts/{elsewhere['id']}", headers=street_admin)
    granted = client.post(f"{API}/accounts/{elsewhere['id']}/grants", headers=street_admin,
                          json=body)
    missing = client.post(f"{API}/accounts/{new_id()}/grants", headers=street_admin,
                          json=body)
    assert (read.status_code, granted.status_code, missing.status_code) == (404, 404, 404)
    assert granted.get_json() == missing.get_json()       # existence is not revealed
    grants = call_as(SYSTEM, "org", "get_account", account_id=elsewhere["id"])["grants"]
    assert [g["role"] for g in grants] == ["grid_worker"]
