"""Pure rules of a compound's bodies (no database, no clock).

- The people's mediation committee (People's Mediation Law art. 8: three to nine
  members, at least one woman, one chair; art. 9: three-year term).
- The owners' committee (members, term) and the property company's contract period.

Refusals carry every reason in Chinese and English, per field (``refusals``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from fazhi_org_contract import vocabulary

from org.domain.periods import add_years, period_problems
from org.domain.refusals import Problem, raise_if


# -- body members ------------------------------------------------------------------------
POSITIONS = tuple(vocabulary.POSITIONS.codes)
POSITION_NAMES = {t.code: (t.zh, t.en) for t in vocabulary.POSITIONS}
FEMALE = "female"


@dataclass(frozen=True)
class Member:
    person_id: str
    position: str = "member"
    gender: str | None = None   # "female" / "male" / None (not recorded)


def _duplicate_problems(members: list[Member]) -> list[Problem]:
    seen: set = set()
    out = []
    for i, m in enumerate(members):
        if m.person_id in seen:
            out.append(Problem(f"members.{i}.person_id", "同一人不能重复列入。",
                               "The same person is listed twice."))
        seen.add(m.person_id)
    return out


def _distinct(members: list[Member]) -> list[Member]:
    """Each person once, as first listed (a duplicate is refused anyway; this keeps the
    other reasons' counts honest)."""
    seen: set = set()
    out = []
    for m in members:
        if m.person_id not in seen:
            seen.add(m.person_id)
            out.append(m)
    return out


def _chairs(members: list[Member]) -> int:
    return Counter(m.position for m in _distinct(members))["chair"]


# -- the people's mediation committee -------------------------------------------------------
MEDIATION_MIN_MEMBERS = 3
MEDIATION_MAX_MEMBERS = 9
MEDIATION_TERM_YEARS = 3
MEDIATION_WHAT = ("人民调解委员会不能设立", "The mediation committee cannot be set up")


def mediation_term_end(term_start: date) -> date:
    """Art. 9: a term is three years, so it ends on the same date three years on."""
    return add_years(term_start, MEDIATION_TERM_YEARS)


def mediation_committee_problems(members: list[Member], term_start: date,
                                 term_end: date | None = None) -> list[Problem]:
    """Every reason the committee may not be set up (empty when it may)."""
    problems = _duplicate_problems(members)
    distinct = _distinct(members)
    n = len(distinct)
    if not MEDIATION_MIN_MEMBERS <= n <= MEDIATION_MAX_MEMBERS:
        problems.append(Problem(
            "members", f"人民调解委员会由委员三至九人组成，现为{n}人。",
            f"A people's mediation committee has 3 to 9 members; {n} given."))
    # A member whose gender is not recorded cannot be counted as the woman the law asks for.
    if not any(m.gender == FEMALE for m in distinct):
        problems.append(Problem(
            "members", "人民调解委员会应当有妇女成员，现无登记为女性的委员（性别未登记的不计）。",
            "A people's mediation committee must include at least one woman; no member is "
            "recorded as female (an unrecorded gender does not count)."))
    chairs = _chairs(members)
    if chairs != 1:
        problems.append(Problem(
            "members", f"人民调解委员会设主任一人，现为{chairs}人。",
            f"A people's mediation committee has exactly one chair; {chairs} given."))
    expected = mediation_term_end(term_start)
    if term_end is not None and term_end != expected:
        problems.append(Problem(
            "term_end", f"人民调解委员会委员每届任期三年：自{term_start}起，应至{expected}止。",
            f"A mediation committee's term is three years: from {term_start} it ends on "
            f"{expected}."))
    return problems


def seat_problems(seated: list[str], person_id: str) -> list[Problem]:
    """Why ``person_id`` may not join a committee whose members are ``seated`` (art. 8:
    at most nine); empty when they may, or already sit on it."""
    if person_id in seated or len(seated) < MEDIATION_MAX_MEMBERS:
        return []
    return [Problem("person_id", f"人民调解委员会委员至多九人，现已{len(seated)}人。",
                    f"A people's mediation committee has at most 9 members; it has "
                    f"{len(seated)}.")]


def check_mediation_committee(members: list[Member], term_start: date,
                              term_end: date | None = None) -> date:
    """Raise ``ValidationFailed`` with every reason, or return the term's end."""
    raise_if(mediation_committee_problems(members, term_start, term_end), *MEDIATION_WHAT)
    return mediation_term_end(term_start)


# -- the owners' committee -------------------------------------------------------------------
OWNERS_COMMITTEE_WHAT = ("业主委员会不能登记", "The owners' committee cannot be recorded")


def owners_committee_problems(members: list[Member], term_start: date,
                              term_end: date) -> list[Problem]:
    # The size and length of term are set by each owners' assembly's rules of procedure,
    # so only what is true of every committee is checked here.
    problems = _duplicate_problems(members)
    if not members:
        problems.append(Problem("members", "业主委员会至少须有一名委员。",
                                "An owners' committee needs at least one member."))
    chairs = _chairs(members)
    if chairs > 1:
        problems.append(Problem("members", f"业主委员会只设主任一人，现为{chairs}人。",
                                f"An owners' committee has at most one chair; {chairs} given."))
    problems += period_problems(term_start, term_end, "term_end", "任期", "term")
    return problems


def check_owners_committee(members: list[Member], term_start: date, term_end: date) -> None:
    raise_if(owners_committee_problems(members, term_start, term_end), *OWNERS_COMMITTEE_WHAT)


# -- the property company --------------------------------------------------------------------
def check_contract_period(contract_start: date, contract_end: date) -> None:
    """The property-service contract may not end before it starts."""
    raise_if(period_problems(contract_start, contract_end, "contract_end",
                              "物业服务合同", "property-service contract"),
              "物业服务企业不能登记", "The property company cannot be recorded")
