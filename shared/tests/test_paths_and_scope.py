"""Unit paths and the scope/visibility rule, exhaustively over a small tree."""
import itertools

import pytest

from fazhi_shared import paths
from fazhi_shared.context import ROLES, STAFF_ROLES, Grant, Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.scope import PARTIES, PUBLIC, STAFF, can_see, ensure_visible

CITY = "/c"
STREET_A, STREET_B = "/c/sa", "/c/sb"
COMMUNITY_A = "/c/sa/ca"
COMPOUND_A1, COMPOUND_A2 = "/c/sa/ca/k1", "/c/sa/ca/k2"
BUILDING_A1 = "/c/sa/ca/k1/b1"
UNIT_A1 = "/c/sa/ca/k1/b1/u1"
COMPOUND_B = "/c/sb/cb/k9"


def test_path_helpers():
    assert paths.ids(UNIT_A1) == ["c", "sa", "ca", "k1", "b1", "u1"]
    assert paths.depth(UNIT_A1) == 6 and paths.depth(CITY) == 1
    assert paths.join("c", "sa") == STREET_A
    assert paths.child_path(None, "c") == "/c"
    assert paths.child_path(STREET_A, "ca") == COMMUNITY_A
    assert paths.ancestor_at(UNIT_A1, "compound") == COMPOUND_A1
    assert paths.ancestor_at(STREET_A, "compound") is None
    assert paths.rebase(UNIT_A1, COMPOUND_A1, COMPOUND_A2) == "/c/sa/ca/k2/b1/u1"
    with pytest.raises(ValueError):
        paths.rebase(COMPOUND_B, COMPOUND_A1, COMPOUND_A2)
    assert paths.level_depth("city") == 1 and paths.level_depth("unit") == 6
    assert paths.child_kind("building") == "unit" and paths.child_kind("unit") is None
    assert paths.is_valid(UNIT_A1) and not paths.is_valid("c/sa") and not paths.is_valid("/c//x")
    assert not paths.is_valid("/a/b/c/d/e/f/g")


@pytest.mark.parametrize("path,ancestor,expected", [
    ("/c/sa", "/c/sa", True), ("/c/sa/ca", "/c/sa", True), ("/c/sab", "/c/sa", False),
    ("/c", "/c/sa", False), ("/c/sa/", "/c/sa", True), ("/c/sb/x", "/c/sa", False),
])
def test_is_within_matches_whole_ids(path, ancestor, expected):
    assert paths.is_within(path, ancestor) is expected


def user(*grants, person_id="p1"):
    return Principal(kind="user", account_id="a1", person_id=person_id,
                     grants=tuple(Grant(r, p) for r, p in grants))


RECORD_PATHS = [CITY, STREET_A, COMMUNITY_A, COMPOUND_A1, COMPOUND_A2, BUILDING_A1, UNIT_A1,
                COMPOUND_B]


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("visibility", [PUBLIC, PARTIES, STAFF])
def test_staff_see_exactly_what_lies_under_their_grant(role, visibility):
    p = user((role, STREET_A))
    for path in RECORD_PATHS:
        assert can_see(p, path, visibility) is paths.is_within(path, STREET_A), path


@pytest.mark.parametrize("visibility,is_party", itertools.product([PUBLIC, PARTIES, STAFF],
                                                                    [False, True]))
def test_resident_sees_public_of_own_compound_and_own_cases(visibility, is_party):
    p = user(("resident", UNIT_A1))
    for path in RECORD_PATHS:
        expected = (visibility == PUBLIC and paths.is_within(path, COMPOUND_A1)) or \
                   (visibility in (PUBLIC, PARTIES) and is_party)
        assert can_see(p, path, visibility, is_party=is_party) is expected, path


def test_party_never_opens_staff_records_and_no_grant_sees_nothing():
    assert not can_see(user(("resident", UNIT_A1)), UNIT_A1, STAFF, is_party=True)
    assert not can_see(user(), UNIT_A1, PUBLIC)
    assert can_see(Principal.system(), COMPOUND_B, STAFF)
    assert not can_see(Principal.anonymous(), COMPOUND_A1, PUBLIC)


def test_ensure_visible_raises_not_found_not_forbidden():
    with pytest.raises(NotFound):
        ensure_visible(user(("community_worker", COMPOUND_B)), COMPOUND_A1)


def test_role_lists():
    assert "resident" in ROLES and "resident" not in STAFF_ROLES
    assert len(ROLES) == 14 and "assessor" in STAFF_ROLES
    p = user(("street_admin", STREET_A), ("resident", UNIT_A1))
    assert p.can_act_at(("street_admin",), COMPOUND_A1)
    assert not p.can_act_at(("street_admin",), COMPOUND_B)
    assert not p.can_act_at(("community_worker",), COMPOUND_A1)
    assert p.resident_compounds() == [COMPOUND_A1]
