"""Pure rules of Party organisations: which kind attaches to which level of the unit
tree, and under which parent (the seed's three levels: street working committee →
judicial-office branch and community branch → compound Party group). Refusals name every
reason in Chinese and English (``refusals``)."""
from __future__ import annotations

from dataclasses import dataclass

from fazhi_shared.paths import is_within

from fazhi_org_contract import vocabulary

from org.domain.refusals import Problem, raise_if
from org.domain.tree import LEVEL_NAMES

@dataclass(frozen=True)
class PartyOrgKind:
    level: str              # the unit level it attaches to
    parents: tuple          # kinds its parent may be (empty: it has none)
    zh: str                 # the vocabulary's labels
    en: str
    one_per_unit: bool


# Each kind's level, the kinds its parent may be, and whether a unit has at most one.
_RULES = {
    "street_working_committee": ("street", (), True),
    "judicial_office_branch": ("street", ("street_working_committee",), True),
    "community_branch": ("community", ("street_working_committee",), True),
    # A large compound may have a Party group per building, so several are allowed.
    "compound_group": ("compound", ("community_branch",), False),
}
_LABELS = vocabulary.PARTY_ORG_KINDS
PARTY_ORG_KINDS = {
    code: PartyOrgKind(level, parents, _LABELS.label(code, "zh"), _LABELS.label(code, "en"),
                       one_per_unit)
    for code, (level, parents, one_per_unit) in _RULES.items()}
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
    raise_if(party_org_problems(kind, unit_kind, unit_path, parent_kind, parent_unit_path),
              *PARTY_WHAT)
