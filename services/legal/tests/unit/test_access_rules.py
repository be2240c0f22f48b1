"""Who may act where (``legal.domain.access``): a role on the unit or above acts; a
caller who sees the record but lacks the role gets 403; outside their scope, 404."""
import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound

from fazhi_legal_contract.roles import DESK, JUDICIAL, NOMINATORS

from legal.domain.access import require

STREET = "/c/s"
COMPOUND = STREET + "/m/k"
UNIT = COMPOUND + "/b/u"


def user(role, path, person_id=None):
    return Principal(kind="user", person_id=person_id, grants=(Grant(role, path),))


@pytest.mark.parametrize("role", JUDICIAL)
def test_judicial_roles_act_below_their_grant(role):
    require(user(role, STREET), JUDICIAL, COMPOUND)
    require(user(role, COMPOUND), JUDICIAL, COMPOUND)


def test_a_staff_role_that_sees_but_may_not_act_is_403():
    with pytest.raises(Forbidden):
        require(user("property_staff", COMPOUND), JUDICIAL, COMPOUND)
    with pytest.raises(Forbidden):
        require(user("community_worker", STREET), JUDICIAL, COMPOUND)
    require(user("community_worker", STREET), NOMINATORS, COMPOUND)


def test_outside_scope_is_404_never_403():
    with pytest.raises(NotFound):
        require(user("judicial_staff", "/c/other"), JUDICIAL, COMPOUND)
    with pytest.raises(NotFound):
        require(user("judicial_staff", UNIT), JUDICIAL, COMPOUND)       # below: not over it
    with pytest.raises(NotFound):
        require(Principal.anonymous(), DESK, COMPOUND)


def test_a_resident_sees_public_records_of_their_compound_but_may_not_act():
    resident = user("resident", UNIT)
    with pytest.raises(Forbidden):
        require(resident, DESK, COMPOUND, visibility="public")
    with pytest.raises(NotFound):
        require(resident, DESK, COMPOUND)                                 # staff-only record
    with pytest.raises(Forbidden):
        require(resident, DESK, COMPOUND, visibility="parties", is_party=True)


def test_the_platform_acts_everywhere():
    require(Principal.system(), JUDICIAL, COMPOUND)
    require(Principal.of_service("legal"), JUDICIAL, COMPOUND)
