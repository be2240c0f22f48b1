"""The workflow table (``disputes.domain.workflow``): every state × action, escalation,
refusal at acceptance and what closing requires."""
import itertools

import pytest

from fazhi_shared.errors import Conflict, ValidationFailed

from fazhi_disputes_contract.vocabulary import ACTIONS, LEVELS, RECORD_KINDS, STATES

from disputes.domain import workflow as wf

FULL = {"reason": "理由", "to_body": "court", "mediator_person_id": "p",
        "routes_advised": ["court"], "agreement": {"x": 1}}

EXPECTED = {   # state -> the actions it allows (below the city)
    "registered": {"accept", "refuse", "party_refuses", "assign", "record"},
    "accepted": {"party_refuses", "assign", "start_mediation", "escalate", "pass_out", "record"},
    "mediating": {"party_refuses", "assign", "escalate", "pass_out", "settle", "fail", "record"},
    "settled": {"follow_up", "reopen", "record"},
    "failed": {"pass_out", "follow_up", "close", "reopen", "record"},
    "passed_out": {"close", "reopen", "record"},
    "followed_up": {"close", "reopen", "record"},
    "refused": {"close", "record"},
    "closed": {"reopen"},
}


def test_the_tables_use_the_contract_vocabularies():
    assert set(wf.WORKFLOW) == set(ACTIONS.codes)
    assert set(wf.ALL_STATES) == set(STATES.codes)
    assert wf.LEVELS == tuple(LEVELS.codes)
    for step in wf.WORKFLOW.values():
        assert set(step.from_states) <= set(wf.ALL_STATES)
        assert step.to_state is None or step.to_state in wf.ALL_STATES
        assert step.writes is None or step.writes in RECORD_KINDS.codes
        assert set(step.needs) <= set(wf.NEED_LABELS)


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_each_state_allows_exactly_its_actions(state):
    assert set(wf.allowed_actions(state, "compound")) == EXPECTED[state]


@pytest.mark.parametrize("state, action", list(itertools.product(wf.ALL_STATES, wf.WORKFLOW)))
def test_every_pair_is_allowed_or_refused_with_conflict(state, action):
    if action in EXPECTED[state]:
        step = wf.step_for(action, state, "compound", FULL)
        assert step is wf.WORKFLOW[action]
    else:
        with pytest.raises(Conflict):
            wf.step_for(action, state, "compound", FULL)


def test_the_happy_path():
    state = "registered"
    for action in ("accept", "start_mediation", "settle", "follow_up", "close"):
        state = wf.step_for(action, state, "compound", FULL).to_state
    assert state == "closed"
    assert wf.step_for("reopen", "closed", "compound", FULL).to_state == "accepted"


@pytest.mark.parametrize("action", [a for a, s in wf.WORKFLOW.items() if s.needs])
def test_a_missing_input_is_named(action):
    state = wf.WORKFLOW[action].from_states[0]
    for need in wf.WORKFLOW[action].needs:
        given = {**FULL, need: None}
        with pytest.raises(ValidationFailed) as info:
            wf.step_for(action, state, "compound", given)
        assert need in info.value.fields["zh"]


def test_escalation_goes_one_level_up_and_ends_at_the_city():
    assert [wf.next_level(lv) for lv in wf.LEVELS[:-1]] == ["community", "street", "city"]
    with pytest.raises(Conflict):
        wf.next_level("city")
    assert "escalate" not in wf.allowed_actions("mediating", "city")
    with pytest.raises(Conflict):
        wf.step_for("escalate", "mediating", "city", FULL)
    assert "escalate" in wf.allowed_actions("mediating", "street")


def test_conclusions_and_their_outcomes():
    concluding = {a: s.outcome for a, s in wf.WORKFLOW.items() if s.outcome}
    assert concluding == {"settle": "settled", "fail": "failed", "pass_out": "passed_out"}
    assert set(concluding.values()) == set(wf.CONCLUDED_OUTCOMES)


@pytest.mark.parametrize("prior, refused", [(None, False), ("court", True), ("police", True),
                                            ("other_authority", True)])
def test_a_case_before_a_court_or_the_police_is_refused_at_acceptance(prior, refused):
    reason = wf.refusal_at_acceptance(prior)
    assert (reason is not None) == refused
    if refused:
        assert "不予受理" in reason


@pytest.mark.parametrize("outcome, mediated, state, needed", [
    (None, False, "refused", {"registration", "refusal"}),
    (None, True, "refused", {"registration", "refusal", "session"}),
    ("settled", True, "followed_up", {"registration", "session", "agreement", "follow_up"}),
    ("failed", True, "failed", {"registration", "session", "routes_advised"}),
    ("passed_out", False, "passed_out", {"registration", "pass_out"}),
    ("passed_out", True, "passed_out", {"registration", "session", "pass_out"}),
])
def test_closing_requires_the_case_file(outcome, mediated, state, needed):
    assert wf.required_records(outcome, mediated, state) == needed
    assert wf.missing_for_close(outcome, mediated, state, needed) == []
    for kind in needed:
        assert wf.missing_for_close(outcome, mediated, state, needed - {kind}) == [kind]
    assert wf.missing_for_close(outcome, mediated, state, set()) == sorted(needed)
