"""Pure rules of Party organisations and compound bodies (no database, no clock).

- Party organisations: which kind attaches to which level of the unit tree, and under
  which parent (the seed's three levels: street working committee → judicial-office
  branch and community branch → compound Party group).
- Compound bodies: the people's mediation committee (People's Mediation Law art. 8:
  three to nine members, at least one woman, one chair; art. 9: three-year term), the
  owners' committee (members, term) and the property company's contract period.
- Periods: on which days a body, a membership or a duty counts.

Refusals carry their reasons in Chinese and English, per field, so the caller can show
exactly what to fix.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from fazhi_shared.errors import ValidationFailed
from fazhi_shared.paths import is_within

LEVEL_NAMES = {"city": ("市", "city"), "street": ("街道", "street"),
               "community": ("社区", "community"), "compound": ("小区", "compound"),
               "building": ("楼栋", "building"), "unit": ("户", "unit")}


# -- refusals ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def refusal(what_zh: str, what_en: str, problems: list[Problem]) -> ValidationFailed:
    """One error naming every problem: the message lists the reasons, ``fields`` places them."""
    fields_zh: dict = {}
    fields_en: dict = {}
    for p in problems:
        fields_zh.setdefault(p.field, []).append(p.zh)
        fields_en.setdefault(p.field, []).append(p.en)
    return ValidationFailed(f"{what_zh}：" + "".join(p.zh for p in problems),
                            f"{what_en}: " + " ".join(p.en for p in problems),
                            fields={"zh": fields_zh, "en": fields_en})


def _raise_if(problems: list[Problem], what_zh: str, what_en: str) -> None:
    if problems:
        raise refusal(what_zh, what_en, problems)


# -- periods -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """When something counts.

    ``start`` and ``end`` are its first and last day, both included: a legal period ends
    at 24:00 of its last day (Civil Code art. 203), so a contract ending today still
    covers today. ``ended_on`` is the day it was stopped early (a body dissolved, a member
    who left, a grid worker taken off duty): from that day on it no longer counts.
    """
    start: date | None = None
    end: date | None = None
    ended_on: date | None = None

    def active_on(self, day: date) -> bool:
        return ((self.start is None or self.start <= day)
                and (self.end is None or day <= self.end)
                and (self.ended_on is None or day < self.ended_on))


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year
    (Civil Code art. 202: with no corresponding day the period ends on the month's last day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_problems(start: date | None, end: date | None, end_field: str,
                    zh: str, en: str) -> list[Problem]:
    """``start`` ≤ ``end`` (a one-day period is allowed)."""
    if start is not None and end is not None and end < start:
        return [Problem(end_field, f"{zh}的终止日期（{end}）不能早于起始日期（{start}）。",
                        f"The {en} cannot end ({end}) before it starts ({start}).")]
    return []


# -- body members ------------------------------------------------------------------------
POSITIONS = ("chair", "vice_chair", "member")
POSITION_NAMES = {"chair": ("主任", "chair"), "vice_chair": ("副主任", "vice-chair"),
                  "member": ("委员", "member")}
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


def check_mediation_committee(members: list[Member], term_start: date,
                              term_end: date | None = None) -> date:
    """Raise ``ValidationFailed`` with every reason, or return the term's end."""
    _raise_if(mediation_committee_problems(members, term_start, term_end), *MEDIATION_WHAT)
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
    _raise_if(owners_committee_problems(members, term_start, term_end), *OWNERS_COMMITTEE_WHAT)


# -- the property company --------------------------------------------------------------------
def check_contract_period(contract_start: date, contract_end: date) -> None:
    """The property-service contract may not end before it starts."""
    _raise_if(period_problems(contract_start, contract_end, "contract_end",
                              "物业服务合同", "property-service contract"),
              "物业服务企业不能登记", "The property company cannot be recorded")


# -- grid workers and Party members (dated) ------------------------------------------------------
def check_ended(start: date | None, ended_on: date, today: date, field: str) -> None:
    """When a membership or duty ended: not before it began (ending the day it began is
    allowed: it then never counted), and not in the future — an end is recorded once it
    happened, so "current" always means "not ended"."""
    if ended_on > today:
        raise ValidationFailed.for_field(
            field, f"结束日期（{ended_on}）不能晚于今天（{today}）。",
            f"The end date ({ended_on}) cannot be after today ({today}).")
    if start is not None and ended_on < start:
        raise ValidationFailed.for_field(
            field, f"结束日期（{ended_on}）不能早于开始日期（{start}）。",
            f"The end date ({ended_on}) cannot be before the start date ({start}).")


# -- Party organisations -------------------------------------------------------------------
@dataclass(frozen=True)
class PartyOrgKind:
    level: str              # the unit level it attaches to
    parents: tuple          # kinds its parent may be (empty: it has none)
    zh: str
    en: str
    one_per_unit: bool


PARTY_ORG_KINDS = {
    "street_working_committee": PartyOrgKind("street", (), "街道党工委",
                                             "street Party working committee", True),
    "judicial_office_branch": PartyOrgKind("street", ("street_working_committee",),
                                           "司法所党支部", "judicial-office Party branch", True),
    "community_branch": PartyOrgKind("community", ("street_working_committee",),
                                     "社区党支部", "community Party branch", True),
    # A large compound may have a Party group per building, so several are allowed.
    "compound_group": PartyOrgKind("compound", ("community_branch",),
                                   "小区党小组", "compound Party group", False),
}
PARTY_GROUP = "compound_group"
PARTY_WHAT = ("党组织不能设立", "The Party organisation cannot be set up")


def natural_parent_kind(kind: str) -> str | None:
    """The kind of parent an organisation is linked to when none is named."""
    parents = PARTY_ORG_KINDS[kind].parents
    return parents[0] if parents else None


def party_org_problems(kind: str, unit_kind: str, unit_path: str,
                       parent_kind: str | None = None,
                       parent_unit_path: str | None = None) -> list[Problem]:
    spec = PARTY_ORG_KINDS[kind]
    problems = []
    if unit_kind != spec.level:
        problems.append(Problem(
            "unit_id", f"{spec.zh}只能设在{LEVEL_NAMES[spec.level][0]}一级，"
            f"所选单元是{LEVEL_NAMES[unit_kind][0]}。",
            f"A {spec.en} attaches to a {spec.level}, not to a {unit_kind}."))
    if parent_kind is None:
        return problems
    if parent_kind not in spec.parents:
        if spec.parents:
            allowed_zh = "、".join(PARTY_ORG_KINDS[p].zh for p in spec.parents)
            allowed_en = " or ".join(PARTY_ORG_KINDS[p].en for p in spec.parents)
            problems.append(Problem(
                "parent_id", f"{spec.zh}的上级党组织应为{allowed_zh}，"
                f"所选的是{PARTY_ORG_KINDS[parent_kind].zh}。",
                f"A {spec.en} comes under a {allowed_en}, not a "
                f"{PARTY_ORG_KINDS[parent_kind].en}."))
        else:
            problems.append(Problem("parent_id", f"{spec.zh}是最高一级，不设上级党组织。",
                                    f"A {spec.en} is the top level and has no parent."))
    elif parent_unit_path is None or not is_within(unit_path, parent_unit_path):
        problems.append(Problem(
            "parent_id", "上级党组织必须设在本单元所属的上级单元。",
            "The parent organisation must be attached to a unit this one lies under."))
    return problems


def check_party_org(kind: str, unit_kind: str, unit_path: str,
                    parent_kind: str | None = None, parent_unit_path: str | None = None) -> None:
    _raise_if(party_org_problems(kind, unit_kind, unit_path, parent_kind, parent_unit_path),
              *PARTY_WHAT)
