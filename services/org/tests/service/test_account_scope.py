"""Granting a role on an account outside the admin's scope is the same 404 as reading it
(issue 7, point 2): the answer does not reveal which account ids exist."""
import uuid

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()


def admin(role, path):
    return Principal(kind="user", account_id=f"adm-{uuid.uuid4().hex[:6]}",
                     grants=(Grant(role, path),))


def account(tree, person_unit, role, unit):
    name = f"acc_{uuid.uuid4().hex[:8]}"
    person = call_as(SYSTEM, "org", "create_person", name=name,
                     unit_id=tree[person_unit]["id"])
    acc = call_as(SYSTEM, "org", "create_account", username=name, password="first-pass-1",
                  person_id=person["id"])
    call_as(SYSTEM, "org", "grant_role", account_id=acc["id"], role=role,
            unit_id=tree[unit]["id"])
    return acc


def test_granting_on_an_account_in_another_street_is_404_like_reading_it(tree):
    target = account(tree, "communityB", "community_worker", "communityB")
    street_a = admin("street_admin", tree["streetA"]["path"])
    with pytest.raises(NotFound):
        call_as(street_a, "org", "get_account", account_id=target["id"])
    with pytest.raises(NotFound) as outside:
        call_as(street_a, "org", "grant_role", account_id=target["id"], role="grid_worker",
                unit_id=tree["communityA"]["id"])
    with pytest.raises(NotFound) as missing:
        call_as(street_a, "org", "grant_role", account_id=new_id(), role="grid_worker",
                unit_id=tree["communityA"]["id"])
    # the answer does not tell an existing account from a missing one
    assert outside.value.to_payload() == missing.value.to_payload()
    assert call_as(SYSTEM, "org", "get_account", account_id=target["id"])["grants"][0][
        "role"] == "community_worker"
    assert len(call_as(SYSTEM, "org", "get_account", account_id=target["id"])["grants"]) == 1
