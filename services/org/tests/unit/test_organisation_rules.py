"""Pure rules of the organisation, exhaustively: the mediation committee, Party
organisation levels, contract periods, "active on a day", the five haves and coverage."""
import itertools
from datetime import date, timedelta

import pytest

from fazhi_shared.errors import ValidationFailed
from fazhi_shared.paths import LEVELS

from org.domain import bodies, five_haves as fh, party, periods
from org.domain.bodies import Member
from org.domain.periods import Span
from org.domain.tree import LEVEL_NAMES

DAY = timedelta(days=1)
START = date(2026, 3, 1)


def committee(n, women=1, chairs=1, unknown=0):
    """``n`` members: ``women`` female, ``unknown`` with no recorded gender, the rest male."""
    members = []
    for i in range(n):
        gender = "female" if i < women else (None if i < women + unknown else "male")
        members.append(Member(f"p{i}", "chair" if i < chairs else "member", gender))
    return members


def refused(fn, *args):
    with pytest.raises(ValidationFailed) as info:
        fn(*args)
    return info.value


# -- the mediation committee: size --------------------------------------------------------
@pytest.mark.parametrize("n", range(0, 13))
def test_committee_size_three_to_nine_inclusive(n):
    members = committee(n, women=min(n, 1), chairs=min(n, 1))
    problems = bodies.mediation_committee_problems(members, START)
    size_problems = [p for p in problems if "3 to 9" in p.en]
    assert bool(size_problems) == (not 3 <= n <= 9)
    if 1 <= n:
        # with one chair and one woman present, size is the only possible reason
        assert problems == size_problems


@pytest.mark.parametrize("n", [2, 10])
def test_committee_of_2_or_10_refused_with_the_reason(n):
    err = refused(bodies.check_mediation_committee, committee(n), START)
    assert err.fields["zh"]["members"] == [f"人民调解委员会由委员三至九人组成，现为{n}人。"]
    assert err.fields["en"]["members"] == [f"A people's mediation committee has 3 to 9 members; "
                                           f"{n} given."]
    assert err.message_zh.startswith("人民调解委员会不能设立：")
    assert f"现为{n}人" in err.message_zh and f"{n} given" in err.message_en


@pytest.mark.parametrize("n", [3, 9])
def test_committee_of_3_or_9_accepted(n):
    assert bodies.check_mediation_committee(committee(n), START) == date(2029, 3, 1)


# -- the mediation committee: women ----------------------------------------------------------
@pytest.mark.parametrize("women,unknown", itertools.product(range(0, 4), range(0, 3)))
def test_at_least_one_woman_unknown_gender_does_not_count(women, unknown):
    members = committee(5, women=women, unknown=unknown)
    problems = bodies.mediation_committee_problems(members, START)
    assert any("woman" in p.en for p in problems) == (women == 0)
    assert bool(problems) == (women == 0)


def test_no_woman_refused_with_the_reason():
    err = refused(bodies.check_mediation_committee, committee(3, women=0), START)
    assert list(err.fields["zh"]) == ["members"]
    assert "妇女" in err.fields["zh"]["members"][0]
    assert "at least one woman" in err.fields["en"]["members"][0]


def test_all_unknown_gender_is_no_woman():
    err = refused(bodies.check_mediation_committee, committee(4, women=0, unknown=4), START)
    assert "性别未登记的不计" in err.fields["zh"]["members"][0]


def test_all_reasons_are_given_together():
    err = refused(bodies.check_mediation_committee, committee(2, women=0, chairs=0), START,
                  START + timedelta(days=365))
    assert len(err.fields["zh"]["members"]) == 3      # size, woman, chair
    assert "term_end" in err.fields["zh"] and "term_end" in err.fields["en"]


# -- the mediation committee: chair and duplicates --------------------------------------------
@pytest.mark.parametrize("chairs", [0, 1, 2, 3])
def test_exactly_one_chair(chairs):
    problems = bodies.mediation_committee_problems(committee(5, chairs=chairs), START)
    assert bool(problems) == (chairs != 1)
    if chairs != 1:
        assert problems[0].field == "members" and f"{chairs} given" in problems[0].en


def test_vice_chairs_are_allowed():
    members = [Member("a", "chair", "female"), Member("b", "vice_chair", "male"),
               Member("c", "vice_chair"), Member("d")]
    assert bodies.mediation_committee_problems(members, START) == []


def test_same_person_twice_is_refused_and_counted_once():
    members = [Member("a", "chair", "female"), Member("b"), Member("b")]
    problems = bodies.mediation_committee_problems(members, START)
    fields = [p.field for p in problems]
    assert "members.2.person_id" in fields
    # two distinct people: the size reason says 2
    assert any("2 given" in p.en for p in problems)


# -- the mediation committee: term ------------------------------------------------------------
def test_term_is_exactly_three_years():
    assert bodies.mediation_term_end(START) == date(2029, 3, 1)
    end = date(2029, 3, 1)
    assert bodies.check_mediation_committee(committee(3), START, end) == end


@pytest.mark.parametrize("delta", [-DAY, DAY, -365 * DAY, timedelta(0) - 3 * 365 * DAY])
def test_term_of_three_years_minus_or_plus_a_day_refused(delta):
    err = refused(bodies.check_mediation_committee, committee(3), START, date(2029, 3, 1) + delta)
    assert list(err.fields["zh"]) == ["term_end"]
    assert "2029-03-01" in err.fields["zh"]["term_end"][0]
    assert "three years" in err.fields["en"]["term_end"][0]


@pytest.mark.parametrize("start,end", [
    (date(2024, 2, 29), date(2027, 2, 28)),   # leap day → 28 Feb (no 29 Feb in 2027)
    (date(2025, 2, 28), date(2028, 2, 28)),   # not moved to the leap day
    (date(2025, 3, 1), date(2028, 3, 1)),
    (date(2026, 12, 31), date(2029, 12, 31)),
    (date(2027, 2, 28), date(2030, 2, 28)),
])
def test_term_end_with_leap_days(start, end):
    assert bodies.mediation_term_end(start) == end
    assert bodies.check_mediation_committee(committee(3), start, end) == end


def test_leap_day_term_refuses_first_of_march():
    err = refused(bodies.check_mediation_committee, committee(3), date(2024, 2, 29),
                  date(2027, 3, 1))
    assert "2027-02-28" in err.fields["en"]["term_end"][0]


@pytest.mark.parametrize("day,years,expected", [
    (date(2024, 2, 29), 1, date(2025, 2, 28)), (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2023, 1, 31), 3, date(2026, 1, 31)), (date(2024, 2, 29), -4, date(2020, 2, 29)),
])
def test_add_years(day, years, expected):
    assert periods.add_years(day, years) == expected


# -- the owners' committee -------------------------------------------------------------------
def test_owners_committee_rules():
    ok = [Member("a", "chair"), Member("b", "vice_chair"), Member("c")]
    bodies.check_owners_committee(ok, START, START)                  # one-day term allowed
    bodies.check_owners_committee([Member("a")], START, START + 5 * 365 * DAY)
    assert [p.field for p in bodies.owners_committee_problems([], START, START)] == ["members"]
    two_chairs = [Member("a", "chair"), Member("b", "chair")]
    assert [p.field for p in bodies.owners_committee_problems(two_chairs, START, START)] == \
        ["members"]
    err = refused(bodies.check_owners_committee, ok, START, START - DAY)
    assert list(err.fields["zh"]) == ["term_end"]
    dup = [Member("a"), Member("a")]
    assert [p.field for p in bodies.owners_committee_problems(dup, START, START)] == \
        ["members.1.person_id"]


# -- the property company's contract period ------------------------------------------------------
@pytest.mark.parametrize("end_offset,ok", [(-365, False), (-1, False), (0, True), (1, True),
                                           (1095, True)])
def test_contract_start_not_after_end(end_offset, ok):
    end = START + end_offset * DAY
    if ok:
        bodies.check_contract_period(START, end)
    else:
        err = refused(bodies.check_contract_period, START, end)
        assert list(err.fields["zh"]) == ["contract_end"] and "物业服务合同" in err.message_zh
        assert "contract" in err.fields["en"]["contract_end"][0]


# -- active on a day -------------------------------------------------------------------------
@pytest.mark.parametrize("span,day,active", [
    (Span(), START, True),
    (Span(START, None), START - DAY, False),
    (Span(START, None), START, True),                                   # first day counts
    (Span(None, START), START, True),                                   # last day counts
    (Span(None, START), START + DAY, False),
    (Span(None, None, START), START - DAY, True),
    (Span(None, None, START), START, False),                            # ended that day
    (Span(START, START), START, True),
    (Span(START, START + DAY * 10, START + DAY), START + DAY, False),    # dissolved early
    (Span(START, START, START), START, False),
])
def test_active_on(span, day, active):
    assert span.active_on(day) is active


def test_contract_ending_yesterday_or_today():
    today = date(2026, 11, 27)
    assert Span(date(2024, 1, 1), today).active_on(today)
    assert not Span(date(2024, 1, 1), today - DAY).active_on(today)
    assert not Span(today + DAY, today + 400 * DAY).active_on(today)    # not yet begun


@pytest.mark.parametrize("start,ended,ok", [
    (START, START, True), (START, START + DAY, True), (START, START - DAY, False),
    (None, START, True), (START, START + 400 * DAY, False),             # after today
])
def test_check_ended(start, ended, ok):
    today = START + 30 * DAY
    if ok:
        periods.check_ended(start, ended, today, "until")
    else:
        assert list(refused(periods.check_ended, start, ended, today, "until").fields["zh"]) == \
            ["until"]


# -- Party organisations ---------------------------------------------------------------------
UNIT_PATH = {"city": "/c", "street": "/c/s", "community": "/c/s/m", "compound": "/c/s/m/k",
             "building": "/c/s/m/k/b", "unit": "/c/s/m/k/b/u"}
LEVEL_OF = {"street_working_committee": "street", "judicial_office_branch": "street",
            "community_branch": "community", "compound_group": "compound"}
PARENTS = {"street_working_committee": set(), "judicial_office_branch": {"street_working_committee"},
           "community_branch": {"street_working_committee"},
           "compound_group": {"community_branch"}}


@pytest.mark.parametrize("kind,level", itertools.product(party.PARTY_ORG_KINDS, LEVELS))
def test_each_party_org_kind_attaches_to_its_level(kind, level):
    problems = party.party_org_problems(kind, level, UNIT_PATH[level])
    assert bool(problems) == (level != LEVEL_OF[kind])
    if problems:
        assert [p.field for p in problems] == ["unit_id"]
        assert LEVEL_NAMES[LEVEL_OF[kind]][0] in problems[0].zh


@pytest.mark.parametrize("kind,parent", itertools.product(party.PARTY_ORG_KINDS,
                                                          party.PARTY_ORG_KINDS))
def test_parent_kinds(kind, parent):
    level = LEVEL_OF[kind]
    parent_path = UNIT_PATH[LEVEL_OF[parent]]
    problems = party.party_org_problems(kind, level, UNIT_PATH[level], parent, parent_path)
    if parent in PARENTS[kind]:
        assert problems == []
        party.check_party_org(kind, level, UNIT_PATH[level], parent, parent_path)
    else:
        assert [p.field for p in problems] == ["parent_id"]


def test_parent_must_be_above_the_unit():
    # a community branch under another street's working committee
    problems = party.party_org_problems("community_branch", "community", "/c/s/m",
                                     "street_working_committee", "/c/other")
    assert [p.field for p in problems] == ["parent_id"]
    # a compound group under the branch of another community
    err = refused(party.check_party_org, "compound_group", "compound", "/c/s/m/k",
                  "community_branch", "/c/s/m2")
    assert "parent_id" in err.fields["en"]


def test_no_parent_is_allowed_and_natural_parents():
    for kind in party.PARTY_ORG_KINDS:
        party.check_party_org(kind, LEVEL_OF[kind], UNIT_PATH[LEVEL_OF[kind]])
    assert party.natural_parent_kind("street_working_committee") is None
    assert party.natural_parent_kind("judicial_office_branch") == "street_working_committee"
    assert party.natural_parent_kind("community_branch") == "street_working_committee"
    assert party.natural_parent_kind("compound_group") == "community_branch"


def test_one_per_unit_except_compound_groups():
    assert {k for k, v in party.PARTY_ORG_KINDS.items() if not v.one_per_unit} == {"compound_group"}


def test_wrong_level_and_wrong_parent_together():
    err = refused(party.check_party_org, "compound_group", "street", "/c/s",
                  "street_working_committee", "/c/s")
    assert set(err.fields["zh"]) == {"unit_id", "parent_id"}


# -- the five haves ---------------------------------------------------------------------------
TODAY = date(2026, 11, 27)


def facts(cid="k1", name="小区", bodies=(), groups=(), workers=()):
    return fh.CompoundFacts(cid, name, f"/c/s/m/{cid}", tuple(bodies), tuple(groups),
                            tuple(workers))


def body(kind, start=None, end=None, ended=None):
    return fh.BodyFact(kind, Span(start, end, ended))


ALL_FIVE = [body("property_company", date(2025, 1, 1), date(2027, 12, 31)),
            body("owners_committee", date(2024, 6, 1), date(2029, 5, 31)),
            body("mediation_committee", date(2025, 1, 1), date(2028, 1, 1)),
            body("deliberation_venue", date(2025, 5, 1))]
GROUP = fh.PartyGroupFact((Span(date(2020, 1, 1)),))


def test_complete_compound():
    c = fh.checklist(facts(bodies=ALL_FIVE, groups=[GROUP], workers=[Span(TODAY)]), TODAY)
    assert c["complete"] and c["lacking"] == [] and all(c["haves"].values())
    assert c["grid_covered"] and c["as_of"] == TODAY and c["compound_id"] == "k1"
    assert list(c["haves"]) == list(fh.HAVES)


def test_empty_compound_lacks_all_five_in_order():
    c = fh.checklist(facts(), TODAY)
    assert c["lacking"] == list(fh.HAVES) and not c["complete"] and not c["grid_covered"]


@pytest.mark.parametrize("missing", fh.BODY_KINDS)
def test_each_missing_body_is_named(missing):
    bodies = [b for b in ALL_FIVE if b.kind != missing]
    c = fh.checklist(facts(bodies=bodies, groups=[GROUP]), TODAY)
    assert c["lacking"] == [missing] and c["haves"][missing] is False


def test_contract_ending_yesterday_lacks_today_ending_today_has():
    for end, has in [(TODAY - DAY, False), (TODAY, True), (TODAY + DAY, True)]:
        bodies = [body("property_company", date(2024, 1, 1), end)]
        assert fh.checklist(facts(bodies=bodies), TODAY)["haves"]["property_company"] is has


def test_dissolved_body_lacks_from_the_day_it_was_dissolved():
    bodies = [body("mediation_committee", date(2025, 1, 1), date(2028, 1, 1), TODAY)]
    assert not fh.checklist(facts(bodies=bodies), TODAY)["haves"]["mediation_committee"]
    assert fh.checklist(facts(bodies=bodies), TODAY - DAY)["haves"]["mediation_committee"]


def test_mediation_term_boundaries():
    bodies = [body("mediation_committee", date(2025, 1, 1), date(2028, 1, 1))]
    assert fh.checklist(facts(bodies=bodies), date(2028, 1, 1))["haves"]["mediation_committee"]
    assert not fh.checklist(facts(bodies=bodies),
                            date(2028, 1, 2))["haves"]["mediation_committee"]
    assert not fh.checklist(facts(bodies=bodies),
                            date(2024, 12, 31))["haves"]["mediation_committee"]


def test_replaced_body_and_its_successor():
    # the old committee dissolved today, the new one active: the compound still has one
    bodies = [body("owners_committee", date(2021, 1, 1), date(2026, 1, 1), TODAY),
              body("owners_committee", TODAY, date(2031, 1, 1))]
    assert fh.checklist(facts(bodies=bodies), TODAY)["haves"]["owners_committee"]


@pytest.mark.parametrize("members,has", [
    ((), False),                                                    # a group with nobody
    ((Span(TODAY + DAY),), False),                                  # joins tomorrow
    ((Span(date(2020, 1, 1), None, TODAY),), False),                # left today
    ((Span(date(2020, 1, 1), None, TODAY + DAY),), True),           # leaves tomorrow
    ((Span(date(2020, 1, 1), None, TODAY), Span(TODAY)), True),     # one left, one joined
])
def test_party_group_counts_only_with_a_member(members, has):
    c = fh.checklist(facts(groups=[fh.PartyGroupFact(members)]), TODAY)
    assert c["haves"]["party_group"] is has


def test_any_of_several_party_groups_counts():
    groups = [fh.PartyGroupFact(()), fh.PartyGroupFact((Span(date(2020, 1, 1)),))]
    assert fh.checklist(facts(groups=groups), TODAY)["haves"]["party_group"]


def test_grid_coverage_is_not_one_of_the_five():
    c = fh.checklist(facts(bodies=ALL_FIVE, groups=[GROUP]), TODAY)
    assert c["complete"] and not c["grid_covered"]
    for workers, covered in [([Span(TODAY, None, TODAY)], False), ([Span(TODAY)], True),
                             ([Span(TODAY + DAY)], False),
                             ([Span(date(2020, 1, 1), None, TODAY + DAY)], True)]:
        assert fh.checklist(facts(workers=workers), TODAY)["grid_covered"] is covered


def test_unknown_body_kinds_are_ignored():
    c = fh.checklist(facts(bodies=[body("law_firm", date(2020, 1, 1))]), TODAY)
    assert c["lacking"] == list(fh.HAVES)


# -- coverage --------------------------------------------------------------------------------
def test_coverage_lists_the_compounds_lacking_each_have():
    complete = facts("k1", "甲小区", ALL_FIVE, [GROUP], [Span(TODAY)])
    no_mediation = facts("k2", "乙小区", [b for b in ALL_FIVE if b.kind != "mediation_committee"],
                         [GROUP])
    bare = facts("k3", "丙小区")
    expired = facts("k4", "丁小区",
                    [body("property_company", date(2023, 1, 1), TODAY - DAY)] + ALL_FIVE[1:],
                    [GROUP], [Span(TODAY)])
    report = fh.coverage([fh.checklist(f, TODAY) for f in (bare, expired, no_mediation,
                                                           complete)], TODAY)
    ref = lambda f: {"compound_id": f.compound_id, "name": f.name, "path": f.path}  # noqa
    # by name (Unicode order of the names)
    assert [c["name"] for c in report["compounds"]] == sorted(["甲小区", "乙小区", "丙小区",
                                                               "丁小区"])
    by_name = sorted([complete, no_mediation, bare, expired], key=lambda f: f.name)
    order = lambda fs: [ref(f) for f in by_name if f in fs]  # noqa
    assert report["lacking"] == {
        "property_company": order([bare, expired]),
        "owners_committee": order([bare]),
        "party_group": order([bare]),
        "mediation_committee": order([no_mediation, bare]),
        "deliberation_venue": order([bare]),
    }
    assert report["counts"] == {"property_company": {"has": 2, "lacks": 2},
                                "owners_committee": {"has": 3, "lacks": 1},
                                "party_group": {"has": 3, "lacks": 1},
                                "mediation_committee": {"has": 2, "lacks": 2},
                                "deliberation_venue": {"has": 3, "lacks": 1}}
    assert report["compound_count"] == 4 and report["complete_count"] == 1
    assert report["lacking_grid_worker"] == order([no_mediation, bare])
    assert [h["key"] for h in report["legend"]] == list(fh.HAVES)
    assert report["legend"][0] == {"key": "property_company", "name": "物业服务企业",
                                   "name_en": "property company"}


def test_coverage_of_nothing():
    report = fh.coverage([], TODAY)
    assert report["compound_count"] == 0 and report["complete_count"] == 0
    assert report["lacking"] == {have: [] for have in fh.HAVES}
    assert report["counts"] == {have: {"has": 0, "lacks": 0} for have in fh.HAVES}


def test_coverage_orders_equal_names_by_id():
    report = fh.coverage([fh.checklist(facts("k2", "同名"), TODAY),
                          fh.checklist(facts("k1", "同名"), TODAY)], TODAY)
    assert [c["compound_id"] for c in report["compounds"]] == ["k1", "k2"]
