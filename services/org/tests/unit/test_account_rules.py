"""Who may act on which account (issue 7, point 1), exhaustively.

The expectations are written out here from the rule as documented in the README, not
computed from ``ACCOUNT_MATRIX``: the city admin manages every role anywhere; a street
admin manages every role but ``city_admin`` and ``street_admin``, inside their street;
an admin acts on an account only when every grant of it is one they manage inside their
scope (and it has one), or, for an account without grants, when its person is in scope.
The judicial office's staff give the duty roles they appoint (mediator, legal-literate
person, people's assessor) by the person's id, and do nothing else to accounts.
"""
import itertools

import pytest

from fazhi_shared.context import ROLES, Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound

from fazhi_org_contract.roles import ACCOUNT_ACTIONS, ACCOUNT_ADMINS, ACCOUNT_MATRIX

from org.domain import account_admin as rule

CITY, STREET, OTHER = "/c", "/c/s1", "/c/s2"
PLACES = {"city": CITY, "street": STREET, "street_unit": STREET + "/m/k/b/u",
          "other_street": OTHER, "other_unit": OTHER + "/m/k/b/u"}
ADMINS = {"city_admin": Principal(kind="user", account_id="a", grants=(Grant("city_admin", CITY),)),
          "street_admin": Principal(kind="user", account_id="a",
                                    grants=(Grant("street_admin", STREET),))}
NOT_BY_STREET = {"city_admin", "street_admin"}
JUDICIAL = Principal(kind="user", account_id="j", grants=(Grant("judicial_staff", STREET),))
APPOINTED = {"mediator", "legal_literate", "assessor"}


def manages(admin_role: str, role: str, path: str) -> bool:
    if admin_role == "city_admin":
        return True
    return role not in NOT_BY_STREET and (path == STREET or path.startswith(STREET + "/"))


def test_the_matrix_covers_every_action_and_only_admins_have_powers():
    assert set(ACCOUNT_MATRIX) == set(ACCOUNT_ACTIONS) == {
        "grant", "revoke", "reset_password", "disable"}
    for action, powers in ACCOUNT_MATRIX.items():
        givers = set(ACCOUNT_ADMINS) | ({"judicial_staff"} if action == "grant" else set())
        assert set(powers) == givers, action
        assert set(powers["city_admin"]) == set(ROLES)
        assert set(powers["street_admin"]) == set(ROLES) - NOT_BY_STREET


@pytest.mark.parametrize("action,admin_role,role,place", itertools.product(
    ACCOUNT_ACTIONS, ADMINS, ROLES, PLACES))
def test_one_grant(action, admin_role, role, place):
    """An account holding one grant, its person filed in the admin's street."""
    path = PLACES[place]
    grants = (Grant(role, path),)
    principal = ADMINS[admin_role]
    visible = manages(admin_role, "resident", path) or admin_role == "city_admin"
    if manages(admin_role, role, path):
        rule.require_account_action(principal, action, STREET, grants)
    else:
        with pytest.raises(Forbidden):     # the person is in scope: the account is visible
            rule.require_account_action(principal, action, STREET, grants)
    # filed outside the street, the account is visible only through a grant in scope
    if visible:
        if manages(admin_role, role, path):
            rule.require_account_action(principal, action, OTHER, grants)
        else:
            with pytest.raises(Forbidden):
                rule.require_account_action(principal, action, OTHER, grants)
    else:
        with pytest.raises(NotFound):
            rule.require_account_action(principal, action, OTHER, grants)


@pytest.mark.parametrize("action,admin_role,roles,places", itertools.product(
    ACCOUNT_ACTIONS, ADMINS, itertools.combinations(["resident", "lawyer", "street_admin"], 2),
    itertools.product(["street_unit", "other_unit", "city"], repeat=2)))
def test_two_grants_must_both_be_managed(action, admin_role, roles, places):
    grants = tuple(Grant(r, PLACES[p]) for r, p in zip(roles, places))
    ok = all(manages(admin_role, g.role, g.path) for g in grants)
    if ok:
        rule.require_account_action(ADMINS[admin_role], action, STREET, grants)
    else:
        with pytest.raises(Forbidden):
            rule.require_account_action(ADMINS[admin_role], action, STREET, grants)


@pytest.mark.parametrize("action,admin_role,person", itertools.product(
    ACCOUNT_ACTIONS, ADMINS, PLACES))
def test_no_grants_the_person_record_decides(action, admin_role, person):
    path = PLACES[person]
    if admin_role == "city_admin" or path.startswith(STREET):
        rule.require_account_action(ADMINS[admin_role], action, path, ())
    else:
        with pytest.raises(NotFound):
            rule.require_account_action(ADMINS[admin_role], action, path, ())


@pytest.mark.parametrize("admin_role,role,place", itertools.product(ADMINS, ROLES, PLACES))
def test_a_new_grant_must_be_one_the_admin_may_give_there(admin_role, role, place):
    target = PLACES[place]
    if manages(admin_role, role, target):
        rule.require_account_action(ADMINS[admin_role], "grant", STREET, (),
                                    new_grant=Grant(role, target))
    else:
        with pytest.raises(Forbidden):
            rule.require_account_action(ADMINS[admin_role], "grant", STREET, (),
                                        new_grant=Grant(role, target))


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ACCOUNT_ADMINS])
def test_other_roles_see_and_manage_no_account(role):
    p = Principal(kind="user", grants=(Grant(role, CITY),))
    assert not rule.account_visible(p, STREET, ())
    for action in ACCOUNT_ACTIONS:
        with pytest.raises(NotFound):
            rule.require_account_action(p, action, STREET, (Grant("resident", STREET),))


def test_the_judicial_office_appoints_assessors_mediators_and_legal_literate_people():
    assert set(ACCOUNT_MATRIX["grant"]["judicial_staff"]) == APPOINTED
    assert "assessor" in ROLES


@pytest.mark.parametrize("giver,role,place,person", itertools.product(
    ["city_admin", "street_admin", "judicial_staff"], ROLES, PLACES, PLACES))
def test_giving_a_duty_role_by_person(giver, role, place, person):
    """``require_may_give``: the person in the giver's scope (else 404), the role one they
    may give at that unit (else 403); the account's other grants do not matter."""
    principal = JUDICIAL if giver == "judicial_staff" else ADMINS[giver]
    home = CITY if giver == "city_admin" else STREET
    target, person_path = PLACES[place], PLACES[person]
    in_scope = person_path == home or person_path.startswith(home + "/")
    at_home = target == home or target.startswith(home + "/")
    may = at_home and (role in APPOINTED if giver == "judicial_staff"
                       else manages(giver, role, target))
    if not in_scope:
        with pytest.raises(NotFound):
            rule.require_may_give(principal, person_path, Grant(role, target))
    elif not may:
        with pytest.raises(Forbidden):
            rule.require_may_give(principal, person_path, Grant(role, target))
    else:
        rule.require_may_give(principal, person_path, Grant(role, target))


@pytest.mark.parametrize("role", [r for r in ROLES
                                  if r not in (*ACCOUNT_ADMINS, "judicial_staff")])
def test_other_roles_give_nothing(role):
    p = Principal(kind="user", grants=(Grant(role, CITY),))
    with pytest.raises(NotFound):
        rule.require_may_give(p, STREET, Grant("mediator", STREET))


def test_the_system_may_do_anything():
    for action in ACCOUNT_ACTIONS:
        rule.require_account_action(Principal.system(), action, OTHER,
                                    (Grant("city_admin", CITY),),
                                    new_grant=Grant("city_admin", CITY))
    for service in (Principal.system(), Principal.of_service("legal")):
        rule.require_may_give(service, OTHER, Grant("assessor", CITY))


def test_an_admin_of_two_streets_manages_an_account_spanning_both():
    p = Principal(kind="user", grants=(Grant("street_admin", STREET),
                                       Grant("street_admin", OTHER)))
    grants = (Grant("lawyer", PLACES["street_unit"]), Grant("lawyer", PLACES["other_unit"]))
    for action in ACCOUNT_ACTIONS:
        rule.require_account_action(p, action, STREET, grants)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        rule.require_account_action(ADMINS["city_admin"], "delete", STREET, ())
