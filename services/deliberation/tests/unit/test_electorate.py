"""Freezing the electorate of a matter from org's answer."""
import pytest

from fazhi_shared.errors import Conflict

from deliberation.domain.electorate import freeze, mask_name

ANSWER = {
    "owners": [
        {"owner_id": "a", "name": "张三", "kind": "person", "area": 25000, "heads": 1,
         "voter_person_id": "pa", "unit_ids": ["u1", "u2"],
         "units": [{"unit_id": "u1", "building_id": "b1", "area": 10000},
                   {"unit_id": "u2", "building_id": "b2", "area": 15000}]},
        {"owner_id": "b", "name": "李四", "kind": "person", "area": 9000, "heads": 1,
         "voter_person_id": "pb", "unit_ids": ["u3", "p1"],
         "units": [{"unit_id": "u3", "building_id": "b1", "area": 8000},
                   {"unit_id": "p1", "building_id": "b1", "area": 1000, "parking": True}]},
        {"owner_id": "d", "name": "阳光地产开发有限公司", "kind": "developer", "area": 5000,
         "heads": 1, "voter_person_id": None, "unit_ids": ["u4"],
         "units": [{"unit_id": "u4", "building_id": "b2", "area": 5000}]}],
    "unit_names": [{"id": "u1", "name": "1-101", "building_id": "b1"}],
}


def test_the_whole_compound_takes_orgs_totals():
    entries = freeze(ANSWER)
    assert [(e.owner_id, e.area, e.voter_person_id) for e in entries] == [
        ("a", 25000, "pa"), ("b", 9000, "pb"), ("d", 5000, None)]
    assert entries[0].units[0]["name"] == "1-101"


def test_a_shared_part_counts_only_the_units_in_its_buildings():
    entries = freeze(ANSWER, building_ids=["b1"])
    assert [(e.owner_id, e.area) for e in entries] == [("a", 10000), ("b", 9000)]
    assert [u["unit_id"] for u in entries[0].units] == ["u1"]


def test_parking_out_of_area_by_local_rule():
    entries = freeze(ANSWER, count_parking=False)
    assert [(e.owner_id, e.area) for e in entries] == [("a", 25000), ("b", 8000), ("d", 5000)]


def test_art_279_leaves_out_the_applicant():
    entries = freeze(ANSWER, building_ids=["b1"], exclude_unit_id="u3")
    assert [e.owner_id for e in entries] == ["a"]


def test_without_per_unit_areas_a_part_cannot_be_counted():
    answer = {"owners": [{"owner_id": "a", "name": "张三", "area": 20000,
                          "unit_ids": ["u1", "u2"]}],
              "unit_names": [{"id": "u1", "building_id": "b1"}, {"id": "u2", "building_id": "b2"}]}
    assert [e.area for e in freeze(answer)] == [20000]
    with pytest.raises(Conflict):
        freeze(answer, building_ids=["b1"])


def test_the_public_roll_masks_given_names():
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧***"
    assert mask_name("阳光地产开发有限公司") == "阳光地产开发有限公司" and mask_name("") == ""
