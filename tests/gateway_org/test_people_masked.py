"""Issue 7, point 9, through the gateway with the real org: ``GET /org/people/{id}`` shows
every staff role, volunteers included, the phone masked; ``reveal`` is the audited way."""
from __future__ import annotations

from gateway.testing import make_login

API = "/api/v1/org"


def test_a_volunteer_reads_a_person_with_the_phone_masked(client, world, as_user):
    worker = as_user(world.worker)
    created = client.post(f"{API}/people", headers=worker,
                          json={"name": "掩码乙", "phone": "13900004321",
                                "unit_id": world.units["unit"]["id"]})
    assert created.status_code == 201, created.get_json()
    person = created.get_json()
    volunteer = as_user(make_login(world.units["compound"]["id"], "volunteer"))
    got = client.get(f"{API}/people/{person['id']}", headers=volunteer)
    assert got.status_code == 200, got.get_json()
    assert got.get_json()["phone"] == "139****4321"
    assert client.get(f"{API}/people/{person['id']}", headers=worker).get_json()[
        "phone"] == "139****4321"
    revealed = client.post(f"{API}/people/{person['id']}/reveal", headers=worker,
                           json={"reason": "回访需要"})
    assert revealed.status_code == 200 and revealed.get_json()["phone"] == "13900004321"
