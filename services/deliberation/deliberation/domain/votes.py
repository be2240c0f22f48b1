"""The decision of an agenda item from the frozen electorate and the ballots (Civil Code
arts. 278–279; SPC interpretation on building ownership arts. 8–9; DOMAIN-RULES §1).

Pure and exact: areas are integers in 0.01 m², every threshold is compared as a product
of integers (``4·A_yes ≥ 3·A_part``), never as a float ratio. Let A_total / N_total be
the electorate's area and owners, A_part / N_part those who took part (yes, no or
abstain), A_yes / N_yes those voting yes:

- quorum: 3·A_part ≥ 2·A_total and 3·N_part ≥ 2·N_total ("三分之二以上" includes 2/3);
- ``three_quarters`` (art. 278 items 6–8): quorum and 4·A_yes ≥ 3·A_part and
  4·N_yes ≥ 3·N_part;
- ``majority`` (items 1–5, 9 and other affairs): quorum and 2·A_yes > A_part and
  2·N_yes > N_part ("过半数" is strictly more than half);
- ``unanimous_building`` (art. 279): every interested owner (the other owners of the
  building) consents: N_yes = N_total.

An owner who did not vote neither takes part nor says yes; an abstention takes part. One
voter is one owner with all their area (an owner of several units counts once). "Deemed
consent" of non-voters is never part of the decision: when a compound's rules adopt it,
what it would change is reported beside the real figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from fazhi_deliberation_contract.vocabulary import CHOICES

YES, NO, ABSTAIN = "yes", "no", "abstain"
MAJORITY, THREE_QUARTERS, UNANIMOUS_BUILDING = "majority", "three_quarters", "unanimous_building"
RULE_OF_CATEGORY = {
    "rules_of_procedure": MAJORITY, "owners_convention": MAJORITY,
    "owners_committee": MAJORITY, "property_manager": MAJORITY, "fund_use": MAJORITY,
    "fund_raise": THREE_QUARTERS, "rebuilding": THREE_QUARTERS,
    "common_use_change": THREE_QUARTERS, "other_major": MAJORITY,
    "compound_affair": MAJORITY, "business_use": UNANIMOUS_BUILDING}
RULES = (MAJORITY, THREE_QUARTERS, UNANIMOUS_BUILDING)


def rule_of(category: str) -> str:
    """The decision rule of an art. 278 category (KeyError for an unknown one)."""
    return RULE_OF_CATEGORY[category]


@dataclass(frozen=True)
class Voter:
    """One frozen electorate entry: one owner (or co-owners, or the developer's unsold
    units) with all the area they vote for, in 0.01 m²."""
    entry_id: str
    area: int


@dataclass(frozen=True)
class DeemedConsent:
    """What deemed consent would give (reported apart, never the decision)."""
    non_voting_area: int
    non_voting_owners: int
    follows: str                     # the view non-voters would be taken to share
    yes_area: int
    yes_owners: int
    passed: bool


@dataclass(frozen=True)
class Decision:
    rule: str
    total_area: int
    total_owners: int
    participating_area: int
    participating_owners: int
    yes_area: int
    yes_owners: int
    no_area: int
    no_owners: int
    abstain_area: int
    abstain_owners: int
    quorum_met: bool
    area_passed: bool
    owners_passed: bool
    passed: bool
    deemed_consent: DeemedConsent | None = None

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "deemed_consent"}
        out["deemed_consent"] = (None if self.deemed_consent is None
                                 else dict(self.deemed_consent.__dict__))
        return out


def quorum(total_area: int, total_owners: int, part_area: int, part_owners: int) -> bool:
    """Two thirds or more of the area and two thirds or more of the owners took part."""
    return 3 * part_area >= 2 * total_area and 3 * part_owners >= 2 * total_owners


def approved(rule: str, yes: int, part: int, total: int) -> bool:
    """Whether ``yes`` approves on one measure (area or heads) under ``rule``."""
    if rule == THREE_QUARTERS:
        return 4 * yes >= 3 * part
    if rule == MAJORITY:
        return 2 * yes > part
    if rule == UNANIMOUS_BUILDING:
        return yes == total
    raise ValueError(f"unknown rule {rule!r}")


def _check(voters: list[Voter], ballots: Mapping[str, str]) -> dict[str, Voter]:
    by_id: dict[str, Voter] = {}
    for v in voters:
        if isinstance(v.area, bool) or not isinstance(v.area, int) or v.area < 0:
            raise ValueError(f"area of {v.entry_id} must be a non-negative integer in 0.01 m²")
        if v.entry_id in by_id:
            raise ValueError(f"{v.entry_id} is in the electorate twice (an owner counts once)")
        by_id[v.entry_id] = v
    for entry_id, choice in ballots.items():
        if entry_id not in by_id:
            raise ValueError(f"a ballot of {entry_id}, who is not in the electorate")
        if choice not in CHOICES.codes:
            raise ValueError(f"unknown choice {choice!r}")
    return by_id


def decide(rule: str, voters: Iterable[Voter], ballots: Mapping[str, str],
           deemed_consent: bool = False) -> Decision:
    """The decision of one item. ``voters``: the frozen electorate (each owner once);
    ``ballots``: entry id → ``yes`` / ``no`` / ``abstain`` (the current ballot of each
    owner who took part). ``deemed_consent``: also report what it would give."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    by_id = _check(list(voters), ballots)
    total_area = sum(v.area for v in by_id.values())
    total_owners = len(by_id)
    sums = {c: [0, 0] for c in CHOICES.codes}
    for entry_id, choice in ballots.items():
        sums[choice][0] += by_id[entry_id].area
        sums[choice][1] += 1
    (yes_a, yes_n), (no_a, no_n), (ab_a, ab_n) = sums[YES], sums[NO], sums[ABSTAIN]
    part_a, part_n = yes_a + no_a + ab_a, yes_n + no_n + ab_n
    if rule == UNANIMOUS_BUILDING:
        # Consent of every interested owner: a headcount rule; silence is not consent.
        quorum_met = part_n == total_owners
        area_ok = yes_a == total_area
        owners_ok = yes_n == total_owners
    else:
        quorum_met = quorum(total_area, total_owners, part_a, part_n)
        area_ok = approved(rule, yes_a, part_a, total_area)
        owners_ok = approved(rule, yes_n, part_n, total_owners)
    passed = quorum_met and area_ok and owners_ok
    deemed = None
    if deemed_consent and rule != UNANIMOUS_BUILDING:
        deemed = _deemed(rule, total_area, total_owners, part_a, part_n, yes_a, yes_n,
                         area_ok and owners_ok)
    return Decision(rule, total_area, total_owners, part_a, part_n, yes_a, yes_n, no_a, no_n,
                    ab_a, ab_n, quorum_met, area_ok, owners_ok, passed, deemed)


def _deemed(rule, total_area, total_owners, part_a, part_n, yes_a, yes_n,
            participants_approve) -> DeemedConsent:
    """Non-voters take the view the participants' majority took under the rule; then
    everyone takes part. Reported only: the real decision never includes it."""
    non_a, non_n = total_area - part_a, total_owners - part_n
    follows = YES if part_n and participants_approve else NO
    d_yes_a = yes_a + (non_a if follows == YES else 0)
    d_yes_n = yes_n + (non_n if follows == YES else 0)
    passed = (quorum(total_area, total_owners, total_area, total_owners)
              and approved(rule, d_yes_a, total_area, total_area)
              and approved(rule, d_yes_n, total_owners, total_owners))
    return DeemedConsent(non_a, non_n, follows, d_yes_a, d_yes_n, passed)


# -- the electorate of a matter from org's frozen entries -----------------------------------
@dataclass(frozen=True)
class UnitShare:
    """One unit an electorate entry votes for."""
    unit_id: str
    building_id: str | None
    area: int
    parking: bool = False


@dataclass(frozen=True)
class Entry:
    """An owner of org's electorate with the units they vote for."""
    entry_id: str
    units: tuple


def voters_of(entries: Iterable[Entry], building_ids: Iterable[str] | None = None,
              exclude_unit_id: str | None = None, count_parking: bool = True) -> list[Voter]:
    """Voters of a matter: each owner once with the area of their units that count.

    ``building_ids``: only units in these buildings count (a part shared by some owners,
    or art. 279's building), and an owner without such a unit does not vote;
    ``exclude_unit_id``: the owner of this unit does not vote (art. 279: the *other*
    owners consent); ``count_parking``: whether parking spaces count toward area (a local
    rule; the owner of parking spaces only still counts as an owner).
    """
    buildings = set(building_ids) if building_ids else None
    out = []
    for e in entries:
        units = [u for u in e.units if buildings is None or u.building_id in buildings]
        if not units or any(u.unit_id == exclude_unit_id for u in e.units):
            continue
        out.append(Voter(e.entry_id, sum(u.area for u in units
                                         if count_parking or not u.parking)))
    return out
