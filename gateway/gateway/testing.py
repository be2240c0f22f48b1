"""Helpers for tests that drive the gateway (its own tests and other packages'):
logins made through org's RPCs as the system, and bearer headers from a real login."""
from __future__ import annotations

import uuid

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()
PASSWORD = "correct-horse-42"


def make_login(unit_id: str, role: str | None, person_id: str | None = None,
               username: str | None = None) -> dict:
    """A new account (and person, unless given) holding ``role`` on the unit, if any."""
    username = username or f"u_{uuid.uuid4().hex[:10]}"
    if person_id is None:
        person_id = call_as(SYSTEM, "org", "create_person", name=f"{username}的主人",
                            unit_id=unit_id)["id"]
    account = call_as(SYSTEM, "org", "create_account", username=username, password=PASSWORD,
                      person_id=person_id)
    grant = None
    if role:
        grant = call_as(SYSTEM, "org", "grant_role", account_id=account["id"], role=role,
                        unit_id=unit_id)
    return {"username": username, "password": PASSWORD, "id": account["id"],
            "person_id": person_id, "grant": grant}


def headers_for(client, account: dict) -> dict:
    """``Authorization`` headers from a real login through the gateway (asserting 200)."""
    r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                 "password": account["password"]})
    assert r.status_code == 200, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}
