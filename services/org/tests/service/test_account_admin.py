"""Account administration on the real service: who may reset, disable, grant and revoke
on which account (issue 7, points 1 and 2). The rule and its matrix are unit-tested in
``tests/unit/test_account_rules.py``; these check that every use case applies it."""
import uuid

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound, Unauthenticated
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()
ANON = Principal.anonymous()


def admin(role, path, account_id=None):
    return Principal(kind="user", account_id=account_id or f"adm-{uuid.uuid4().hex[:6]}",
                     grants=(Grant(role, path),))


def account(tree, person_unit, grants=()):
    """A fresh account whose person is filed under ``person_unit``, with ``grants``
    (pairs of role and unit key of ``tree``) made by the system."""
    name = f"acc_{uuid.uuid4().hex[:8]}"
    person = call_as(SYSTEM, "org", "create_person", name=name,
                     unit_id=tree[person_unit]["id"])
    acc = call_as(SYSTEM, "org", "create_account", username=name, password="first-pass-1",
                  person_id=person["id"])
    made = [call_as(SYSTEM, "org", "grant_role", account_id=acc["id"], role=role,
                    unit_id=tree[unit]["id"]) for role, unit in grants]
    return {**acc, "grant_ids": [g["id"] for g in made]}


ACTIONS = {
    "reset_password": lambda who, acc, tree: call_as(
        who, "org", "reset_password", account_id=acc["id"], new_password="taken-over-1"),
    "disable": lambda who, acc, tree: call_as(
        who, "org", "set_account_disabled", account_id=acc["id"], disabled=True),
    "grant": lambda who, acc, tree: call_as(
        who, "org", "grant_role", account_id=acc["id"], role="grid_worker",
        unit_id=tree["communityA"]["id"]),
    "revoke": lambda who, acc, tree: call_as(
        who, "org", "revoke_grant", grant_id=acc["grant_ids"][-1]),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_street_admin_cannot_take_over_a_city_admin_filed_in_their_street(tree, action):
    """The issue's case: the city admin's person record happens to lie in street A."""
    target = account(tree, "communityA", [("grid_worker", "communityA"), ("city_admin", "city")])
    street_a = admin("street_admin", tree["streetA"]["path"])
    with pytest.raises(Forbidden):
        ACTIONS[action](street_a, target, tree)
    # nothing changed: the old password still works, the account is enabled, grants kept
    logged = call_as(ANON, "org", "authenticate", username=target["username"],
                     password="first-pass-1")
    assert sorted(g["role"] for g in logged["grants"]) == ["city_admin", "grid_worker"]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_street_admin_cannot_act_on_a_peer_street_admin(tree, action):
    target = account(tree, "communityA", [("street_admin", "streetA")])
    with pytest.raises(Forbidden):
        ACTIONS[action](admin("street_admin", tree["streetA"]["path"]), target, tree)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_account_with_a_grant_in_another_street_is_left_to_the_city(tree, action):
    target = account(tree, "communityA", [("lawyer", "compoundB"), ("lawyer", "compoundA")])
    with pytest.raises(Forbidden):
        ACTIONS[action](admin("street_admin", tree["streetA"]["path"]), target, tree)
    ACTIONS[action](admin("city_admin", tree["city"]["path"]), target, tree)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_account_whose_grants_all_lie_in_the_street_is_the_street_admins(tree, action):
    # The person is filed in street B, but every grant of the account is in street A.
    target = account(tree, "communityB", [("mediator", "compoundA"), ("volunteer", "unitA")])
    ACTIONS[action](admin("street_admin", tree["streetA"]["path"]), target, tree)


@pytest.mark.parametrize("action", ["reset_password", "disable", "grant"])
def test_an_account_without_grants_belongs_to_the_admins_of_its_person(tree, action):
    target = account(tree, "communityA")
    with pytest.raises(NotFound):
        ACTIONS[action](admin("street_admin", tree["streetB"]["path"]), target, tree)
    ACTIONS[action](admin("street_admin", tree["streetA"]["path"]), target, tree)


def test_the_city_admin_may_act_on_any_account(tree):
    target = account(tree, "communityA", [("city_admin", "city"), ("street_admin", "streetB")])
    city = admin("city_admin", tree["city"]["path"])
    for action in ("grant", "revoke", "reset_password", "disable"):
        ACTIONS[action](city, target, tree)
    with pytest.raises(Unauthenticated):      # disabled
        call_as(ANON, "org", "authenticate", username=target["username"],
                password="taken-over-1")


def test_a_street_admin_still_runs_their_own_street(tree):
    target = account(tree, "communityA", [("community_worker", "communityA")])
    street_a = admin("street_admin", tree["streetA"]["path"])
    grant = call_as(street_a, "org", "grant_role", account_id=target["id"], role="judicial_staff",
                    unit_id=tree["streetA"]["id"])
    call_as(street_a, "org", "revoke_grant", grant_id=grant["id"])
    call_as(street_a, "org", "reset_password", account_id=target["id"],
            new_password="second-pass-2")
    call_as(ANON, "org", "authenticate", username=target["username"], password="second-pass-2")
    with pytest.raises(Forbidden):      # a street admin appoints no street admin
        call_as(street_a, "org", "grant_role", account_id=target["id"], role="street_admin",
                unit_id=tree["streetA"]["id"])


def test_accounts_are_read_and_listed_by_the_same_rule(tree):
    """Visible to an admin: the person is in scope, or a grant is."""
    in_a_by_grant = account(tree, "communityB", [("mediator", "compoundA")])
    in_b_only = account(tree, "communityB", [("mediator", "compoundB")])
    street_a = admin("street_admin", tree["streetA"]["path"])
    assert call_as(street_a, "org", "get_account", account_id=in_a_by_grant["id"])
    listed = {a["id"] for a in call_as(street_a, "org", "list_accounts", q="acc_",
                                       limit=200)["items"]}
    assert in_a_by_grant["id"] in listed and in_b_only["id"] not in listed
