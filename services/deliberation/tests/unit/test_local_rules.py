"""Local rules: national defaults ← the city's ← the compound's rules of procedure."""
import pytest

from deliberation.domain.local_rules import LocalRules, check_overrides, rules_for

COMPOUND = "/city1/street1/community1/compound1"


def test_defaults_are_the_national_rules():
    r = rules_for(COMPOUND, LocalRules(), {})
    assert (r.notice_days, r.electronic_ballots, r.deemed_consent_allowed, r.proxy_limit) == (
        15, True, False, 0)


def test_the_compound_overrides_its_city_which_overrides_the_defaults():
    overrides = {"city1": {"electronic_ballots": False, "proxy_limit": 3, "notice_days": 7},
                 "compound1": {"notice_days": 20, "deemed_consent_allowed": True},
                 "compound2": {"notice_days": 30}}
    r = rules_for(COMPOUND, LocalRules(), overrides)
    assert (r.notice_days, r.electronic_ballots, r.proxy_limit, r.deemed_consent_allowed) == (
        20, False, 3, True)
    other = rules_for("/city2/s/c/compound9", LocalRules(), overrides)
    assert other == LocalRules()


@pytest.mark.parametrize("bad", [
    {"x": {"notice_days": "7"}}, {"x": {"notice_days": 0}}, {"x": {"proxy_limit": -1}},
    {"x": {"electronic_ballots": 1}}, {"x": {"quorum": 0.5}}, {"x": []}])
def test_a_malformed_setting_is_refused(bad):
    with pytest.raises(ValueError):
        check_overrides(bad)


def test_the_setting_refuses_a_malformed_rule_when_read(monkeypatch):
    from fazhi_shared.config import ConfigError

    from deliberation.config import LOCAL_RULES

    monkeypatch.setenv("DELIBERATION_LOCAL_RULES", '{"c1": {"notice_days": 7}}')
    assert LOCAL_RULES.get() == {"c1": {"notice_days": 7}}
    monkeypatch.setenv("DELIBERATION_LOCAL_RULES", '{"c1": {"notice_dayz": 7}}')
    with pytest.raises(ConfigError):
        LOCAL_RULES.get()
