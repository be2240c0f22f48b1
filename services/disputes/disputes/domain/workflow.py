"""The case workflow as data (FixMyStreet keeps its states the same way): states, the
actions allowed in each, where each leads, what each needs, and which case-file records
closing requires. The use cases check every action against these tables; nothing else
decides what may happen to a case.

registered → accepted → mediating → settled | failed → followed_up → closed, with
refused (not accepted: already before a court or the police, or a party refuses
mediation), passed out (to a court, arbitration or an administrative body), escalation
compound → community → street → the city's mediation centre (each with a reason), and
reopen. The level where a case was concluded is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

from fazhi_shared.errors import Conflict, ValidationFailed

LEVELS = ("compound", "community", "street", "city")
OPEN_STATES = ("registered", "accepted", "mediating")
CONCLUDED_OUTCOMES = ("settled", "failed", "passed_out")
ENDED_STATES = ("settled", "failed", "passed_out", "followed_up", "refused")


@dataclass(frozen=True)
class Step:
    """An action: the states it is allowed in, the state it leads to (None: stays), the
    input fields it needs, the case-file record it writes, whether it concludes the case
    (and with which outcome) and the event it emits."""
    from_states: tuple
    to_state: str | None
    needs: tuple = ()
    writes: str | None = None
    outcome: str | None = None
    event: str | None = None


WORKFLOW: dict[str, Step] = {
    "accept": Step(("registered",), "accepted", event="accepted"),
    "refuse": Step(("registered",), "refused", ("reason",), "refusal", event="refused"),
    "party_refuses": Step(("registered", "accepted", "mediating"), "refused", ("reason",),
                          "refusal", event="refused"),
    "assign": Step(("registered", "accepted", "mediating"), None, ("mediator_person_id",),
                   event="assigned"),
    "start_mediation": Step(("accepted",), "mediating"),
    "escalate": Step(("accepted", "mediating"), "accepted", ("reason",), event="escalated"),
    "pass_out": Step(("accepted", "mediating", "failed"), "passed_out", ("to_body", "reason"),
                     "pass_out", outcome="passed_out", event="passed_out"),
    # "settle" is reached through the agreement (settle_case), which writes it.
    "settle": Step(("mediating",), "settled", ("agreement",), "agreement", outcome="settled",
                   event="settled"),
    "fail": Step(("mediating",), "failed", ("reason", "routes_advised"), "routes_advised",
                 outcome="failed", event="failed"),
    "follow_up": Step(("settled", "failed"), "followed_up", ("reason",), "follow_up"),
    "close": Step(("followed_up", "failed", "refused", "passed_out"), "closed",
                  event="closed"),
    "reopen": Step(("settled", "failed", "followed_up", "passed_out", "closed"), "accepted",
                   ("reason",), event="reopened"),
    "record": Step(OPEN_STATES + ENDED_STATES, None, ("reason",)),
}
# Actions reached only through their own use case (not the generic action endpoint).
OWN_USE_CASE = ("settle", "record")
ALL_STATES = ("registered", "accepted", "mediating", "settled", "failed", "passed_out",
              "followed_up", "refused", "closed")

NEED_LABELS = {
    "reason": ("请填写理由/内容。", "Give the reason or content."),
    "to_body": ("请选择移交的机关。", "Choose the body the case is passed to."),
    "mediator_person_id": ("请选择调解员。", "Choose the mediator."),
    "routes_advised": ("请记录已告知当事人的其他救济途径。",
                       "Record the other routes the parties were told of."),
    "agreement": ("请填写调解协议。", "Record the settlement agreement."),
}


def allowed_actions(state: str, level: str) -> list[str]:
    """The actions a case in ``state`` at ``level`` allows (escalation ends at the city)."""
    return [a for a, step in WORKFLOW.items()
            if state in step.from_states and not (a == "escalate" and level == LEVELS[-1])]


def step_for(action: str, state: str, level: str, given: dict) -> Step:
    """The step of ``action`` from ``state``; ``Conflict`` when the state does not allow
    it, ``ValidationFailed`` naming the first missing input."""
    step = WORKFLOW.get(action)
    if step is None or action not in allowed_actions(state, level):
        raise Conflict("案件当前状态不允许此操作。",
                       f"A case that is {state} does not allow {action}.")
    for need in step.needs:
        if not given.get(need):
            zh, en = NEED_LABELS[need]
            raise ValidationFailed.for_field(need, zh, en)
    return step


def next_level(level: str) -> str:
    """The level a case escalates to."""
    i = LEVELS.index(level)
    if i + 1 >= len(LEVELS):
        raise Conflict("已在市级调处中心，不能再上交。", "The case is at the city centre already.")
    return LEVELS[i + 1]


def refusal_at_acceptance(prior_authority: str | None) -> str | None:
    """A case already accepted by a court, the police or another authority is not
    accepted (DOMAIN-RULES §2): the refusal reason, or None."""
    if prior_authority is None:
        return None
    return {"court": "纠纷已由人民法院受理，依法不予受理。",
            "police": "纠纷已由公安机关受理，依法不予受理。",
            "other_authority": "纠纷已由其他机关受理，依法不予受理。"}[prior_authority]


def required_records(outcome: str | None, reached_mediation: bool, state: str) -> set:
    """The case-file records closing requires: the registration always; the session
    records once mediation started; a settled case the agreement and the follow-up
    visit; a failed one the routes advised; a refused one the refusal and its reason; a
    passed-out one the pass-out record."""
    needed = {"registration"}
    if reached_mediation:
        needed.add("session")
    if state == "refused":
        needed.add("refusal")
    elif outcome == "settled":
        needed |= {"agreement", "follow_up"}
    elif outcome == "failed":
        needed.add("routes_advised")
    elif outcome == "passed_out":
        needed.add("pass_out")
    return needed


def missing_for_close(outcome: str | None, reached_mediation: bool, state: str,
                      present: set) -> list[str]:
    """Records still missing before the case may close, in a stable order."""
    return sorted(required_records(outcome, reached_mediation, state) - set(present))
