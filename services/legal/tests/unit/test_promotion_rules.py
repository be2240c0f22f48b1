"""Assessor eligibility exactly as DOMAIN-RULES §3 (``legal.domain.promotion``)."""
import pytest

from fazhi_legal_contract.vocabulary import (BARRED_ROLES, DISQUALIFICATIONS,
                                             ELIGIBILITY_REASONS)

from legal.domain import promotion as p


@pytest.mark.parametrize("age, eligible", [(27, False), (28, True), (29, True), (80, True),
                                           (0, False), (None, False)])
def test_age_28_on_the_day(age, eligible):
    assert p.assessor_eligibility(age).eligible is eligible


def test_a_27_year_old_is_refused_naming_the_age():
    d = p.assessor_eligibility(27)
    assert d.reasons == ["under_age"] and d.warnings == []
    [reason] = p.explain(d.reasons)
    assert reason["zh"] == "推选之日未满二十八周岁"


def test_unknown_age_is_its_own_reason():
    assert p.assessor_eligibility(None).reasons == ["age_unknown"]


@pytest.mark.parametrize("code", DISQUALIFICATIONS.codes)
def test_each_disqualification_refuses(code):
    assert p.assessor_eligibility(40, disqualifications=[code]).reasons == [code]


@pytest.mark.parametrize("code", BARRED_ROLES.codes)
def test_each_barred_role_refuses(code):
    assert p.assessor_eligibility(40, held_roles=[code]).reasons == [f"barred_{code}"]


def test_a_practising_lawyer_and_a_roster_lawyer_are_refused():
    assert p.assessor_eligibility(45, held_roles=["lawyer"]).reasons == ["barred_lawyer"]
    assert p.assessor_eligibility(45, rostered_lawyer=True).reasons == ["rostered_lawyer"]
    # named once when both hold
    assert p.assessor_eligibility(45, held_roles=["lawyer"], rostered_lawyer=True).reasons \
        == ["barred_lawyer"]


def test_no_senior_high_is_a_warning_only():
    d = p.assessor_eligibility(30, senior_high=False)
    assert d.eligible and d.warnings == ["no_senior_high"]


def test_every_reason_at_once():
    d = p.assessor_eligibility(20, disqualifications=DISQUALIFICATIONS.codes,
                               held_roles=BARRED_ROLES.codes, senior_high=False,
                               rostered_lawyer=True)
    assert d.reasons == ["under_age", *DISQUALIFICATIONS.codes,
                         *(f"barred_{c}" for c in BARRED_ROLES.codes)]
    assert d.warnings == ["no_senior_high"]


def test_every_code_has_labels():
    codes = set(ELIGIBILITY_REASONS.codes)
    d = p.decide("assessor", "nominated", 20, DISQUALIFICATIONS.codes, BARRED_ROLES.codes,
                 False, True)
    assert set(d.reasons) | set(d.warnings) <= codes
    for r in p.explain(d.reasons + d.warnings):
        assert r["zh"] != r["code"] and r["en"] != r["code"]


@pytest.mark.parametrize("target", ["grid_worker", "mediator", "assessor"])
def test_only_a_confirmed_person_is_promoted(target):
    assert "not_confirmed" in p.decide(target, "assessing", age=40).reasons
    assert p.decide(target, "confirmed", age=40).eligible


def test_other_targets_ignore_the_assessor_rules():
    assert p.decide("mediator", "confirmed", age=20, held_roles=["lawyer"]).eligible
    assert not p.decide("assessor", "confirmed", age=20).eligible
