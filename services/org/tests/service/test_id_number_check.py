"""An ID number with a wrong GB 11643 check digit is refused wherever it enters org
(issue 7, point 12), with the field named and a clear Chinese message."""
import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.service.testing import call_as

WRONG = "321283199001011234"        # the number (its check digit should be 7)


def worker(tree):
    return Principal(kind="user", account_id="w", grants=(Grant("community_worker",
                                                                tree["communityA"]["path"]),))


def refused(call):
    with pytest.raises(ValidationFailed) as info:
        call()
    assert list(info.value.fields["zh"]) == ["id_number"]
    assert "校验" in info.value.fields["zh"]["id_number"][0]


def test_people_owners_and_residents_refuse_a_wrong_check_digit(tree):
    w = worker(tree)
    refused(lambda: call_as(w, "org", "create_person", name="甲", id_number=WRONG,
                            unit_id=tree["unitA"]["id"]))
    person = call_as(w, "org", "create_person", name="甲", unit_id=tree["unitA"]["id"])
    refused(lambda: call_as(w, "org", "update_person", id=person["id"], id_number=WRONG))
    refused(lambda: call_as(w, "org", "create_owner", compound_id=tree["compoundA"]["id"],
                            kind="person", name="乙", id_number=WRONG))
    refused(lambda: call_as(w, "org", "move_in", unit_id=tree["unitA"]["id"], name="丙",
                            id_number=WRONG, relation="tenant"))


def test_a_valid_number_ending_in_x_is_stored_in_capitals(tree):
    w = worker(tree)
    person = call_as(w, "org", "create_person", name="丁", id_number="11010519491231002x",
                     unit_id=tree["unitA"]["id"])
    assert person["id_number"] == "1101**********002X"
