"""The vote rules (DOMAIN-RULES §1) at every boundary, by area and by headcount apart.

Areas are 0.01 m² integers. Where a test is about one measure, the other is made to pass
comfortably, so each assertion shows which measure decided.
"""
import pytest

from fazhi_deliberation_contract.vocabulary import MATTER_CATEGORIES

from deliberation.domain.votes import (MAJORITY, THREE_QUARTERS, UNANIMOUS_BUILDING, Entry,
                                       UnitShare, Voter, decide, rule_of, voters_of)


def equal(n, area=10000, prefix="o"):
    return [Voter(f"{prefix}{i}", area) for i in range(n)]


def ballots(voters, yes=0, no=0, abstain=0):
    """The first ``yes`` voters vote yes, the next ``no`` no, the next ``abstain`` abstain."""
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return {v.entry_id: c for v, c in zip(voters, choices)}


# -- the categories -------------------------------------------------------------------------
def test_only_raising_the_fund_rebuilding_and_common_use_need_three_quarters():
    assert {c for c in MATTER_CATEGORIES.codes if rule_of(c) == THREE_QUARTERS} == {
        "fund_raise", "rebuilding", "common_use_change"}
    assert rule_of("fund_use") == MAJORITY            # item 5: simple double majority
    assert rule_of("owners_committee") == MAJORITY
    assert rule_of("business_use") == UNANIMOUS_BUILDING
    assert all(rule_of(c) in (MAJORITY, THREE_QUARTERS, UNANIMOUS_BUILDING)
               for c in MATTER_CATEGORIES.codes)


# -- the statute's example --------------------------------------------------------------------
def test_300_owners_200_take_part_150_yes_passes_three_quarters_100_yes_fails_majority():
    voters = equal(300)
    d = decide(THREE_QUARTERS, voters, ballots(voters, yes=150, no=50))
    assert (d.total_owners, d.participating_owners, d.yes_owners) == (300, 200, 150)
    assert (d.total_area, d.participating_area, d.yes_area) == (3_000_000, 2_000_000, 1_500_000)
    assert d.quorum_met and d.area_passed and d.owners_passed and d.passed
    d = decide(MAJORITY, voters, ballots(voters, yes=100, no=100))
    assert d.quorum_met and not d.owners_passed and not d.area_passed and not d.passed


# -- quorum: two thirds or more, by area and by heads -----------------------------------------
def test_quorum_exactly_two_thirds_by_heads_and_just_under():
    voters = equal(300)
    assert decide(MAJORITY, voters, ballots(voters, yes=200)).quorum_met
    d = decide(MAJORITY, voters, ballots(voters, yes=199))
    assert not d.quorum_met and not d.passed
    assert d.yes_owners == 199 and 2 * d.yes_owners > d.participating_owners  # approval alone


def test_quorum_by_heads_alone_fails_while_area_is_ample():
    # 3 of 5 owners take part (9 < 10) but hold nearly all the area.
    voters = [Voter("a", 100), Voter("b", 100), Voter("c", 100), Voter("d", 1), Voter("e", 1)]
    d = decide(MAJORITY, voters, ballots(voters, yes=3))
    assert 3 * d.participating_area >= 2 * d.total_area
    assert not d.quorum_met and not d.passed
    voters = [Voter("a", 100), Voter("b", 100), Voter("c", 1)]      # 2 of 3: exactly 2/3
    assert decide(MAJORITY, voters, ballots(voters, yes=2)).quorum_met


def test_quorum_by_area_exactly_two_thirds_and_just_under_while_heads_are_ample():
    # 8 of 9 owners take part; the one who does not holds a third of the area, or a hair more.
    takers = [Voter(f"t{i}", 25) for i in range(8)]                   # 200
    d = decide(MAJORITY, takers + [Voter("x", 100)], ballots(takers, yes=8))
    assert (d.participating_area, d.total_area) == (200, 300)          # exactly 2/3
    assert d.quorum_met and d.passed
    d = decide(MAJORITY, takers + [Voter("x", 101)], ballots(takers, yes=8))
    assert 3 * d.participating_owners >= 2 * d.total_owners
    assert not d.quorum_met and not d.passed


# -- three quarters: exactly and just under ---------------------------------------------------
def test_three_quarters_by_heads_exactly_and_just_under():
    voters = equal(300)
    assert decide(THREE_QUARTERS, voters, ballots(voters, yes=150, no=50)).passed
    d = decide(THREE_QUARTERS, voters, ballots(voters, yes=149, no=51))
    assert not d.owners_passed and not d.area_passed and not d.passed


def test_three_quarters_by_heads_alone():
    # 3 yes of 4 (exactly 3/4) with all the area; then 5 yes of 7 (just under).
    voters = [Voter("y1", 100), Voter("y2", 100), Voter("y3", 100), Voter("n1", 1)]
    d = decide(THREE_QUARTERS, voters, ballots(voters, yes=3, no=1))
    assert d.owners_passed and d.area_passed and d.passed
    voters = [Voter(f"y{i}", 100) for i in range(5)] + [Voter("n1", 1), Voter("n2", 1)]
    d = decide(THREE_QUARTERS, voters, ballots(voters, yes=5, no=2))
    assert d.area_passed and not d.owners_passed and not d.passed


def test_three_quarters_by_area_exactly_and_just_under():
    yes = [Voter(f"y{i}", 300 // 6 if i else 300 - 5 * 50) for i in range(6)]   # 300 in all
    for no_area, expected in ((100, True), (101, False)):
        voters = yes + [Voter("n", no_area)]
        d = decide(THREE_QUARTERS, voters, ballots(voters, yes=6, no=1))
        assert d.yes_area == 300 and d.participating_area == 300 + no_area
        assert d.owners_passed                                    # 6 of 7 heads
        assert d.area_passed is expected and d.passed is expected


# -- majority: exactly half fails, one more passes -------------------------------------------
def test_majority_by_heads_exactly_half_fails_and_one_more_passes():
    voters = equal(300)
    d = decide(MAJORITY, voters, ballots(voters, yes=100, no=100))
    assert not d.owners_passed and not d.passed
    d = decide(MAJORITY, voters, ballots(voters, yes=101, no=99))
    assert d.owners_passed and d.area_passed and d.passed


def test_majority_by_heads_alone():
    voters = [Voter("y1", 100), Voter("y2", 100), Voter("n1", 1), Voter("n2", 1)]
    d = decide(MAJORITY, voters, ballots(voters, yes=2, no=2))
    assert d.area_passed and not d.owners_passed and not d.passed
    voters = [Voter("y1", 100), Voter("y2", 100), Voter("y3", 100), Voter("n1", 1),
              Voter("n2", 1)]
    assert decide(MAJORITY, voters, ballots(voters, yes=3, no=2)).passed


def test_majority_by_area_alone_exactly_half_fails_and_a_hundredth_more_passes():
    for yes_areas, expected in (((20, 20, 10), False), ((20, 20, 11), True)):
        voters = [Voter(f"y{i}", a) for i, a in enumerate(yes_areas)] + [Voter("n", 50)]
        d = decide(MAJORITY, voters, ballots(voters, yes=3, no=1))
        assert d.owners_passed                                    # 3 of 4 heads
        assert d.area_passed is expected and d.passed is expected


# -- abstentions, non-voters ------------------------------------------------------------------
def test_an_abstention_takes_part_but_is_not_yes():
    voters = equal(4)
    with_abstention = decide(MAJORITY, voters, ballots(voters, yes=2, no=1, abstain=1))
    assert (with_abstention.participating_owners, with_abstention.abstain_owners) == (4, 1)
    assert not with_abstention.passed                             # 2 of 4 is not more than half
    silent = decide(MAJORITY, voters, ballots(voters, yes=2, no=1))   # the fourth did not vote
    assert silent.participating_owners == 3 and silent.quorum_met and silent.passed


def test_abstentions_count_toward_the_quorum():
    voters = equal(3)
    d = decide(MAJORITY, voters, ballots(voters, yes=1, abstain=1))
    assert d.quorum_met and d.participating_area == 20000 and not d.passed


def test_figures_add_up():
    voters = [Voter(f"o{i}", 100 + i) for i in range(10)]
    d = decide(MAJORITY, voters, ballots(voters, yes=4, no=3, abstain=2))
    assert d.yes_owners + d.no_owners + d.abstain_owners == d.participating_owners == 9
    assert d.yes_area + d.no_area + d.abstain_area == d.participating_area
    assert d.total_area == sum(v.area for v in voters) and d.total_owners == 10


# -- one owner once with all their area -------------------------------------------------------
def test_an_owner_of_several_units_counts_once_with_all_the_area():
    entries = [Entry("a", (UnitShare("u1", "b1", 10000), UnitShare("u2", "b1", 10000),
                           UnitShare("u3", "b2", 10000))),
               Entry("b", (UnitShare("u4", "b1", 10000),)),
               Entry("c", (UnitShare("u5", "b2", 10000),))]
    voters = voters_of(entries)
    assert voters == [Voter("a", 30000), Voter("b", 10000), Voter("c", 10000)]
    d = decide(MAJORITY, voters, {"a": "yes", "b": "no", "c": "no"})
    assert (d.total_owners, d.yes_owners, d.yes_area) == (3, 1, 30000)
    assert d.area_passed and not d.owners_passed and not d.passed


def test_one_owner_with_60_percent_of_the_area_passes_on_area_fails_on_heads():
    big = Voter("big", 60 * 100)
    small = [Voter(f"s{i}", 100) for i in range(40)]                 # 40 % in all
    voters = [big] + small
    d = decide(MAJORITY, voters, {"big": "yes", **ballots(small, no=27)})
    assert d.quorum_met and d.area_passed and not d.owners_passed and not d.passed


def test_many_small_owners_pass_on_heads_and_fail_on_area_the_reverse():
    big = Voter("big", 60 * 100)
    small = [Voter(f"s{i}", 100) for i in range(40)]
    d = decide(MAJORITY, [big] + small, {"big": "no", **ballots(small, yes=27)})
    assert d.quorum_met and d.owners_passed and not d.area_passed and not d.passed


def test_parking_spaces_count_toward_area_only_when_the_local_rule_says_so():
    entries = [Entry("a", (UnitShare("u1", "b1", 9000), UnitShare("p1", "b1", 1200, True))),
               Entry("p", (UnitShare("p2", "b1", 1200, True),))]
    assert voters_of(entries) == [Voter("a", 10200), Voter("p", 1200)]
    assert voters_of(entries, count_parking=False) == [Voter("a", 9000), Voter("p", 0)]


def test_a_shared_part_is_voted_by_the_owners_who_share_it_with_their_own_totals():
    entries = [Entry("a", (UnitShare("u1", "b1", 100), UnitShare("u2", "b2", 50))),
               Entry("b", (UnitShare("u3", "b2", 80),)), Entry("c", (UnitShare("u4", "b1", 70),))]
    assert voters_of(entries, building_ids=["b1"]) == [Voter("a", 100), Voter("c", 70)]


# -- art. 279 ---------------------------------------------------------------------------------
def test_business_use_needs_every_other_owner_of_the_building():
    entries = [Entry("applicant", (UnitShare("home", "b1", 100),)),
               Entry("x", (UnitShare("u2", "b1", 100),)), Entry("y", (UnitShare("u3", "b1", 90),)),
               Entry("z", (UnitShare("u4", "b2", 100),))]
    voters = voters_of(entries, building_ids=["b1"], exclude_unit_id="home")
    assert voters == [Voter("x", 100), Voter("y", 90)]
    assert decide(UNANIMOUS_BUILDING, voters, {"x": "yes", "y": "yes"}).passed
    assert not decide(UNANIMOUS_BUILDING, voters, {"x": "yes", "y": "abstain"}).passed
    silent = decide(UNANIMOUS_BUILDING, voters, {"x": "yes"})
    assert not silent.quorum_met and not silent.passed             # silence is not consent


# -- deemed consent is reported apart ---------------------------------------------------------
def test_deemed_consent_never_changes_the_decision_and_is_reported_apart():
    voters = equal(10)
    d = decide(MAJORITY, voters, ballots(voters, yes=4, no=1), deemed_consent=True)
    assert not d.quorum_met and not d.passed                       # 5 of 10 took part
    assert d.deemed_consent.follows == "yes"
    assert (d.deemed_consent.non_voting_owners, d.deemed_consent.yes_owners) == (5, 9)
    assert d.deemed_consent.passed
    assert decide(MAJORITY, voters, ballots(voters, yes=4, no=1)).deemed_consent is None
    d = decide(MAJORITY, voters, ballots(voters, yes=2, no=3), deemed_consent=True)
    assert d.deemed_consent.follows == "no" and not d.deemed_consent.passed


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("voters, given", [
    ([Voter("a", 1), Voter("a", 2)], {}),                          # an owner twice
    ([Voter("a", 1)], {"b": "yes"}),                               # not in the electorate
    ([Voter("a", 1)], {"a": "maybe"}),
    ([Voter("a", 1.5)], {}),                                       # floats never
    ([Voter("a", True)], {}),
    ([Voter("a", -1)], {}),
])
def test_inconsistent_input_is_refused(voters, given):
    with pytest.raises(ValueError):
        decide(MAJORITY, voters, given)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        decide("simple", equal(1), {})


def test_an_empty_electorate_decides_nothing():
    d = decide(MAJORITY, [], {})
    assert d.total_owners == 0 and not d.passed
