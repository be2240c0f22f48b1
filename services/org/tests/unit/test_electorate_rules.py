"""Pure rules of the electorate: SPC art. 8 (which area) and art. 9 (who counts once)."""
from decimal import Decimal

import pytest

from org.domain.electorate import (AreaFormatError, ElectorateError, Holding, OwnerSetError,
                                   area_from_decimal, area_to_decimal, effective_area,
                                   electorate, voter_of)


# -- art. 8: registered, else surveyed, else contract -------------------------------------
@pytest.mark.parametrize("registered, surveyed, contract, expected", [
    (8935, 8960, 9012, (8935, "registered")),
    (None, 8960, 9012, (8960, "surveyed")),
    (None, None, 9012, (9012, "contract")),
    (8935, None, None, (8935, "registered")),
    (8935, None, 9012, (8935, "registered")),
    (None, 8960, None, (8960, "surveyed")),
    (None, None, None, (None, None)),
    # a zero is "not recorded" and never hides the next source
    (0, 8960, 9012, (8960, "surveyed")),
    (0, 0, 9012, (9012, "contract")),
    (0, 0, 0, (None, None)),
    (1, None, None, (1, "registered")),                 # the smallest area, 0.01 m²
    (10 ** 9, 1, 1, (10 ** 9, "registered")),
])
def test_area_source_precedence(registered, surveyed, contract, expected):
    assert effective_area(registered, surveyed, contract) == expected


@pytest.mark.parametrize("bad", [89.35, "8935", Decimal("89.35"), True])
def test_areas_are_integers_only(bad):
    with pytest.raises(TypeError):
        effective_area(bad, None, None)
    with pytest.raises(TypeError):
        effective_area(None, None, bad)


def test_negative_area_is_refused():
    with pytest.raises(ValueError):
        effective_area(None, -1, 100)


# -- written square metres → 0.01 m², exactly -----------------------------------------------
@pytest.mark.parametrize("written, centi", [
    ("89.35", 8935), ("89.3", 8930), ("89", 8900), ("89.00", 8900), ("0.01", 1),
    (" 120.5 ", 12050), ("120.5㎡", 12050), (89, 8900), (89.3, 8930), (89.35, 8935),
    (0.1, 10), (123456.78, 12345678), (Decimal("1.10"), 110), ("1E2", 10000),
    ("10000000", 10 ** 9),
])
def test_area_from_decimal_is_exact(written, centi):
    assert area_from_decimal(written) == centi


@pytest.mark.parametrize("written, code", [
    ("abc", "not_number"), ("", "not_number"), (None, "not_number"), ("1,234", "not_number"),
    ("89.3.5", "not_number"), (float("nan"), "not_number"), (float("inf"), "not_number"),
    (True, "not_number"), ("12.345", "too_many_decimals"), (89.351, "too_many_decimals"),
    ("0.001", "too_many_decimals"), ("0", "not_positive"), ("0.00", "not_positive"),
    ("-5", "not_positive"), (-0.01, "not_positive"), ("10000000.01", "too_large"),
])
def test_area_from_decimal_refuses(written, code):
    with pytest.raises(AreaFormatError) as info:
        area_from_decimal(written)
    assert info.value.code == code


@pytest.mark.parametrize("centi", [1, 10, 100, 8935, 12345678, 10 ** 9])
def test_area_round_trip(centi):
    written = area_to_decimal(centi)
    assert str(written) == f"{centi // 100}.{centi % 100:02d}"
    assert area_from_decimal(written) == centi
    assert area_from_decimal(float(written)) == centi      # through a spreadsheet cell


def test_area_to_decimal_of_none():
    assert area_to_decimal(None) is None


# -- co-owners name one voter ------------------------------------------------------------------
@pytest.mark.parametrize("shares, voter", [
    ([("a", None)], "a"), ([("a", True)], "a"),
    ([("a", True), ("b", False)], "a"), ([("a", None), ("b", True)], "b"),
    ([("a", False), ("b", None), ("c", True)], "c"),
])
def test_voter_of(shares, voter):
    assert voter_of(shares) == voter


@pytest.mark.parametrize("shares, code", [
    ([], "no_owner"), ([("a", False)], "no_voter"), ([("a", None), ("b", None)], "no_voter"),
    ([("a", False), ("b", False)], "no_voter"), ([("a", True), ("b", True)], "many_voters"),
    ([("a", True), ("a", False)], "duplicate_owner"),
])
def test_voter_of_refuses(shares, code):
    with pytest.raises(OwnerSetError) as info:
        voter_of(shares)
    assert info.value.code == code


# -- art. 9: headcount -------------------------------------------------------------------------
def h(unit, area, owner, kind="person", voter=True, name=None, person=None, building="b1",
      parking=False):
    return Holding(unit_id=unit, area=area, owner_id=owner, owner_name=name or f"业主{owner}",
                   owner_kind=kind, is_voter=voter, voter_person_id=person,
                   building_id=building, is_parking=parking)


def entry(result, owner_id):
    [e] = [e for e in result["owners"] if e["owner_id"] == owner_id]
    return e


def test_one_unit_one_owner():
    result = electorate([h("u1", 8935, "o1", person="p1")])
    assert result == {"owners": [{"owner_id": "o1", "name": "业主o1", "kind": "person",
                                  "unit_ids": ["u1"], "area": 8935, "heads": 1,
                                  "voter_person_id": "p1",
                                  "units": [{"unit_id": "u1", "building_id": "b1",
                                             "area": 8935, "is_parking": False}]}],
                      "total_area": 8935, "total_owners": 1, "units_without_area": []}


# -- who casts each entry's vote, and its units by building ------------------------------------
def test_co_owners_vote_through_the_named_voters_person():
    result = electorate([h("u1", 9000, "wife", voter=True, person="p-wife"),
                         h("u1", 9000, "husband", voter=False, person="p-husband")])
    [e] = result["owners"]
    assert e["owner_id"] == "wife" and e["voter_person_id"] == "p-wife"


def test_the_developers_entry_is_voted_by_its_representative():
    rows = [h(f"d{i}", 10000, "dev", kind="developer", person="rep") for i in range(3)]
    assert entry(electorate(rows), "dev")["voter_person_id"] == "rep"


def test_without_a_representative_nobody_is_named():
    rows = [h("d1", 10000, "dev", kind="developer"),
            h("o1", 5000, "org", kind="organisation")]
    result = electorate(rows)
    assert [e["voter_person_id"] for e in result["owners"]] == [None, None]


def test_two_developer_records_the_keyed_ones_representative_first_else_the_other():
    both = [h("d1", 100, "dev-b", kind="developer", person="rep-b"),
            h("d2", 200, "dev-a", kind="developer", person="rep-a")]
    assert entry(electorate(both), "dev-a")["voter_person_id"] == "rep-a"
    assert entry(electorate(list(reversed(both))), "dev-a")["voter_person_id"] == "rep-a"
    only_b = [h("d1", 100, "dev-b", kind="developer", person="rep-b"),
              h("d2", 200, "dev-a", kind="developer")]
    assert entry(electorate(only_b), "dev-a")["voter_person_id"] == "rep-b"


def test_each_entry_lists_its_units_with_building_area_and_parking_in_unit_order():
    rows = [h("u3", 1250, "o1", building="b2", parking=True), h("u1", 8935, "o1"),
            h("u2", None, "o1", building="b2")]
    e = entry(electorate(rows), "o1")
    assert e["unit_ids"] == ["u1", "u2", "u3"]
    assert e["units"] == [
        {"unit_id": "u1", "building_id": "b1", "area": 8935, "is_parking": False},
        {"unit_id": "u2", "building_id": "b2", "area": None, "is_parking": False},
        {"unit_id": "u3", "building_id": "b2", "area": 1250, "is_parking": True}]
    assert e["area"] == 8935 + 1250


def test_owner_of_three_units_counts_once_with_the_sum():
    result = electorate([h("u1", 8935, "o1"), h("u2", 10000, "o1"), h("u3", 12050, "o1"),
                         h("u4", 9000, "o2")])
    assert result["total_owners"] == 2
    e = entry(result, "o1")
    assert e["unit_ids"] == ["u1", "u2", "u3"] and e["area"] == 8935 + 10000 + 12050
    assert e["heads"] == 1
    assert result["total_area"] == 8935 + 10000 + 12050 + 9000


def test_developer_units_count_once():
    rows = [h(f"d{i}", 10000, "dev", kind="developer", name="开发公司") for i in range(50)]
    rows += [h("u1", 9000, "o1")]
    result = electorate(rows)
    assert result["total_owners"] == 2
    e = entry(result, "dev")
    assert e["kind"] == "developer" and len(e["unit_ids"]) == 50 and e["area"] == 500000
    assert e["heads"] == 1 and e["name"] == "开发公司"


def test_two_developer_records_still_count_once():
    # The registry allows one developer per compound; the rule holds even if data did not.
    result = electorate([h("d1", 100, "dev-b", kind="developer", name="乙"),
                         h("d2", 200, "dev-a", kind="developer", name="甲")])
    assert result["total_owners"] == 1
    e = entry(result, "dev-a")
    assert e["unit_ids"] == ["d1", "d2"] and e["area"] == 300 and e["name"] == "甲"


def test_co_owners_count_once_under_the_voter():
    result = electorate([h("u1", 9000, "wife", voter=True), h("u1", 9000, "husband", voter=False)])
    assert result["total_owners"] == 1 and result["total_area"] == 9000
    assert entry(result, "wife")["unit_ids"] == ["u1"]


def test_a_co_owner_who_also_owns_alone_counts_for_both_as_voter_only_where_named():
    rows = [h("u1", 9000, "a", voter=True), h("u1", 9000, "b", voter=False),
            h("u2", 8000, "b", voter=True)]
    result = electorate(rows)
    assert result["total_owners"] == 2 and result["total_area"] == 17000
    assert entry(result, "a")["area"] == 9000 and entry(result, "b")["area"] == 8000


def test_a_non_voting_co_owner_only_is_not_a_separate_head():
    result = electorate([h("u1", 9000, "a", voter=True), h("u1", 9000, "b", voter=False),
                         h("u1", 9000, "c", voter=False)])
    assert [e["owner_id"] for e in result["owners"]] == ["a"]


def test_duplicate_rows_count_once():
    result = electorate([h("u1", 9000, "o1"), h("u1", 9000, "o1")])
    assert result["total_owners"] == 1 and result["total_area"] == 9000


@pytest.mark.parametrize("voters", [(False, False), (True, True)])
def test_co_owned_unit_without_exactly_one_voter_is_an_error(voters):
    with pytest.raises(ElectorateError):
        electorate([h("u1", 9000, "a", voter=voters[0]), h("u1", 9000, "b", voter=voters[1])])


def test_single_owner_counts_even_if_not_flagged_voter():
    # One owner of a unit is its voter whatever the flag says (one exclusive part, one owner).
    result = electorate([h("u1", 9000, "a", voter=False)])
    assert result["total_owners"] == 1 and result["total_area"] == 9000


def test_units_without_area_count_the_head_with_zero_area():
    result = electorate([h("u1", None, "o1"), h("u2", 0, "o2"), h("u3", 5000, "o2")])
    assert result["total_owners"] == 2 and result["total_area"] == 5000
    assert entry(result, "o1")["area"] == 0 and entry(result, "o1")["heads"] == 1
    assert result["units_without_area"] == ["u1", "u2"]


def test_empty_electorate():
    assert electorate([]) == {"owners": [], "total_area": 0, "total_owners": 0,
                              "units_without_area": []}


def test_float_area_in_a_holding_is_refused():
    with pytest.raises(TypeError):
        electorate([h("u1", 89.35, "o1")])


def test_totals_are_the_sums_of_entries_and_feed_the_quorum_rule_exactly():
    # 300 owners, one unit each of 100.01 m²: A_total and N_total are exact integers.
    result = electorate([h(f"u{i:03d}", 10001, f"o{i:03d}") for i in range(300)])
    assert result["total_owners"] == 300 and result["total_area"] == 300 * 10001
    assert sum(e["area"] for e in result["owners"]) == result["total_area"]
    assert all(isinstance(e["area"], int) for e in result["owners"])
    assert [e["owner_id"] for e in result["owners"]] == sorted(e["owner_id"]
                                                               for e in result["owners"])
