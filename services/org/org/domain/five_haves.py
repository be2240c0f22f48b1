"""The "five haves" (五有) of a rule-of-law compound, and their coverage (pure).

A compound "has" each of: a property company, an owners' committee, a Party group, a
people's mediation committee and a law-aided deliberation venue. Whether it has one is
a question about a day: a contract that ended yesterday, a dissolved committee or a
Party group whose members have all left no longer count. Beside the five, the checklist
says whether the compound's micro-grid has a grid worker on duty (the seed's "grid
coverage of all compounds"), which the coverage report lists separately.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fazhi_org_contract import vocabulary

from org.domain.periods import Span

HAVES = tuple(vocabulary.FIVE_HAVES.codes)
HAVE_NAMES = {t.code: (t.zh, t.en) for t in vocabulary.FIVE_HAVES}
# The four haves that are compound bodies share their kind's code.
BODY_KINDS = tuple(vocabulary.BODY_KINDS.codes)


@dataclass(frozen=True)
class BodyFact:
    kind: str
    span: Span


@dataclass(frozen=True)
class PartyGroupFact:
    # A Party group is people: it counts on a day only if someone is a member that day.
    members: tuple = ()          # Span of each membership


@dataclass(frozen=True)
class CompoundFacts:
    compound_id: str
    name: str
    path: str
    bodies: tuple = ()           # BodyFact
    party_groups: tuple = ()     # PartyGroupFact
    grid_workers: tuple = ()     # Span of each grid worker's duty


def has_party_group(groups, day: date) -> bool:
    return any(any(m.active_on(day) for m in g.members) for g in groups)


def checklist(facts: CompoundFacts, day: date) -> dict:
    """Which of the five the compound has on ``day``, what it lacks, and grid coverage."""
    haves = {have: False for have in HAVES}
    for body in facts.bodies:
        if body.kind in BODY_KINDS and body.span.active_on(day):
            haves[body.kind] = True
    haves["party_group"] = has_party_group(facts.party_groups, day)
    lacking = [have for have in HAVES if not haves[have]]
    return {"compound_id": facts.compound_id, "name": facts.name, "path": facts.path,
            "as_of": day, "haves": haves, "lacking": lacking, "complete": not lacking,
            "grid_covered": any(w.active_on(day) for w in facts.grid_workers)}


def _ref(item: dict) -> dict:
    return {"compound_id": item["compound_id"], "name": item["name"], "path": item["path"]}


def coverage(checklists: list[dict], day: date) -> dict:
    """Aggregate compound checklists: per have the compounds lacking it, and the counts.

    Compounds are listed by name (then id, so equal names keep a stable order).
    """
    items = sorted(checklists, key=lambda c: (c["name"], c["compound_id"]))
    lacking = {have: [_ref(c) for c in items if not c["haves"][have]] for have in HAVES}
    total = len(items)
    return {
        "as_of": day,
        "compound_count": total,
        "complete_count": sum(1 for c in items if c["complete"]),
        "compounds": items,
        "lacking": lacking,
        "counts": {have: {"has": total - len(lacking[have]), "lacks": len(lacking[have])}
                   for have in HAVES},
        "lacking_grid_worker": [_ref(c) for c in items if not c["grid_covered"]],
        "legend": [{"key": have, "name": HAVE_NAMES[have][0], "name_en": HAVE_NAMES[have][1]}
                   for have in HAVES],
    }
