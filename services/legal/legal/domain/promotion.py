"""Rules of promotion: a confirmed legal-literate person may become a grid worker, a
people's assessor or a people's mediator (DOMAIN-RULES §4); an assessor only when
eligible exactly as the People's Assessors Law says (DOMAIN-RULES §3).

:func:`assessor_eligibility` returns every reason at once (never the first only), and the
warnings that do not block. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from fazhi_legal_contract.vocabulary import (BARRED_ROLES, DISQUALIFICATIONS,
                                             ELIGIBILITY_REASONS)

MIN_ASSESSOR_AGE = 28
ASSESSOR_TERM_YEARS = 5


@dataclass(frozen=True)
class Decision:
    reasons: list = field(default_factory=list)     # codes: any one refuses
    warnings: list = field(default_factory=list)    # codes: noted, not refusing

    @property
    def eligible(self) -> bool:
        return not self.reasons


def assessor_eligibility(age: int | None, disqualifications=(), held_roles=(),
                         senior_high: bool = True, rostered_lawyer: bool = False) -> Decision:
    """Eligible iff age ≥ 28 on the day of promotion and none of the disqualifications,
    and holding none of the barred roles (a duty-roster lawyer never). Missing senior-high
    education is a warning only."""
    reasons = []
    if age is None:
        reasons.append("age_unknown")
    elif age < MIN_ASSESSOR_AGE:
        reasons.append("under_age")
    for code in DISQUALIFICATIONS.codes:
        if code in disqualifications:
            reasons.append(code)
    for code in BARRED_ROLES.codes:
        if code in held_roles:
            reasons.append(f"barred_{code}")
    if rostered_lawyer and "barred_lawyer" not in reasons:
        reasons.append("rostered_lawyer")
    warnings = [] if senior_high else ["no_senior_high"]
    return Decision(reasons, warnings)


def decide(target: str, status: str, age: int | None = None, disqualifications=(),
           held_roles=(), senior_high: bool = True, rostered_lawyer: bool = False) -> Decision:
    """The decision on a promotion of a person with ``status`` to ``target``: only a
    confirmed person is promoted; an assessor by :func:`assessor_eligibility`."""
    base = [] if status == "confirmed" else ["not_confirmed"]
    if target != "assessor":
        return Decision(base, [])
    d = assessor_eligibility(age, disqualifications, held_roles, senior_high, rostered_lawyer)
    return Decision(base + d.reasons, d.warnings)


def explain(codes) -> list[dict]:
    """``[{code, zh, en}]`` for reason codes (the ``eligibility_reasons`` vocabulary)."""
    return [{"code": c, "zh": ELIGIBILITY_REASONS.label(c, "zh"),
             "en": ELIGIBILITY_REASONS.label(c, "en")} for c in codes]
