"""Use cases of the five haves (五有): one compound's checklist on a day, and the
coverage of every compound under a community, street or city. The rules are pure
(``org.domain.five_haves``); this module loads the facts they need, in three queries
whatever the number of compounds."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import files
from fazhi_shared.context import Principal
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.service import xlsx
from fazhi_shared.service.scope import under

from fazhi_org_contract.vocabulary import FIVE_HAVES, XLSX

from org.domain import five_haves as fh
from org.domain.party import PARTY_GROUP
from org.domain.periods import Span
from org.models import (CompoundBody, Grid, GridWorker, PartyMember, PartyOrg, Unit,
                        load_ancestors)
from org.organisation.common import local_day, staff_unit, today, visible_compound


def _facts(session, compounds: list[Unit], compound_ids=None) -> list[fh.CompoundFacts]:
    """What the rules need about each compound, in three queries whatever the count.

    ``compound_ids`` may be a subquery selecting the compounds (a report over a street),
    so thousands of ids are never bound as parameters.
    """
    ids = compound_ids if compound_ids is not None else [c.id for c in compounds]
    bodies: dict = {}
    for b in session.execute(select(CompoundBody.compound_id, CompoundBody.kind,
                                    CompoundBody.term_start, CompoundBody.term_end,
                                    CompoundBody.dissolved_at)
                             .where(CompoundBody.compound_id.in_(ids))).all():
        bodies.setdefault(b.compound_id, []).append(fh.BodyFact(
            b.kind, Span(b.term_start, b.term_end, local_day(b.dissolved_at))))
    groups: dict = {}
    for m in session.execute(
            select(PartyOrg.id, PartyOrg.unit_id, PartyMember.id.label("member_id"),
                   PartyMember.joined_on, PartyMember.left_on)
            .outerjoin(PartyMember, PartyMember.party_org_id == PartyOrg.id)
            .where(PartyOrg.kind == PARTY_GROUP, PartyOrg.unit_id.in_(ids))).all():
        spans = groups.setdefault(m.unit_id, {}).setdefault(m.id, [])
        if m.member_id is not None:   # a group with no members still appears, empty
            spans.append(Span(m.joined_on, None, m.left_on))
    workers: dict = {}
    for w in session.execute(select(Grid.compound_id, GridWorker.since, GridWorker.until)
                             .join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(Grid.compound_id.in_(ids))).all():
        workers.setdefault(w.compound_id, []).append(Span(w.since, None, w.until))
    return [fh.CompoundFacts(
        c.id, c.name, c.path, tuple(bodies.get(c.id, ())),
        tuple(fh.PartyGroupFact(tuple(s)) for s in groups.get(c.id, {}).values()),
        tuple(workers.get(c.id, ()))) for c in compounds]


def five_haves(session, principal: Principal, data: dict) -> dict:
    """One compound's checklist (public inside the compound)."""
    compound = visible_compound(session, principal, data["compound_id"])
    [facts] = _facts(session, [compound])
    return fh.checklist(facts, data.get("as_of") or today())


COVERAGE_LEVELS = ("city", "street", "community")


def five_haves_coverage(session, principal: Principal, data: dict) -> dict:
    """Every compound under a community, street or city: what each has and lacks."""
    return _coverage(session, principal, data)[2]


def _coverage(session, principal: Principal, data: dict) -> tuple:
    """The unit reported on, its compounds and the report."""
    unit = staff_unit(session, principal, data["unit_id"])
    if unit.kind not in COVERAGE_LEVELS:
        raise ValidationFailed.for_field(
            "unit_id", "覆盖情况按社区、街道或市统计；单个小区请查看其“五有”清单。",
            "Coverage is reported for a community, street or city; for one compound ask "
            "for its five-haves checklist.")
    day = data.get("as_of") or today()
    compounds_under = (Unit.kind == "compound") & under(Unit.path, unit.path)
    compounds = session.execute(select(Unit).where(compounds_under)).scalars().all()
    facts = _facts(session, compounds,
                   select(Unit.id).where(compounds_under).scalar_subquery())
    report = fh.coverage([fh.checklist(f, day) for f in facts], day)
    report["unit"] = {"id": unit.id, "kind": unit.kind, "name": unit.name, "path": unit.path}
    return unit, compounds, report


# -- the report as an .xlsx --------------------------------------------------------------
COLUMNS = (("街道", 16), ("社区", 16), ("小区", 22), *((t.zh, 14) for t in FIVE_HAVES),
           ("五有齐全", 10), ("缺少", 40), ("网格员在岗", 12))
YES, NO = "有", "无"


def export_coverage(session, principal: Principal, data: dict) -> dict:
    """The coverage report as a workbook in the shared file store: one row per compound
    (its street and community, 有/无 per have, what it lacks, a grid worker on duty) and a
    summary sheet with the counts. The same readers and scope as the report."""
    unit, compounds, report = _coverage(session, principal, data)
    load_ancestors(session, compounds)
    above = {c.id: {a["kind"]: a["name"] for a in c.ancestors} for c in compounds}
    items = sorted(report["compounds"], key=lambda c: (
        above[c["compound_id"]].get("street", ""), above[c["compound_id"]].get("community", ""),
        c["name"], c["compound_id"]))
    writer = xlsx.Writer()
    sheet = writer.sheet("五有覆盖情况")
    sheet.header([h for h, _ in COLUMNS], widths=[w for _, w in COLUMNS])
    for c in items:
        names = above[c["compound_id"]]
        sheet.append([names.get("street"), names.get("community"), c["name"],
                      *(YES if c["haves"][t.code] else NO for t in FIVE_HAVES),
                      "是" if c["complete"] else "否",
                      "、".join(FIVE_HAVES.label(h) for h in c["lacking"]),
                      "是" if c["grid_covered"] else "否"])
    summary = writer.sheet("汇总")
    summary.append(["统计范围", unit.name], bold=True)
    summary.append(["统计日期", report["as_of"]])
    summary.append(["小区数", report["compound_count"]])
    summary.append(["五有齐全", report["complete_count"]])
    summary.append([])
    summary.append(["项目", "有", "无"], bold=True)
    for t in FIVE_HAVES:
        counts = report["counts"][t.code]
        summary.append([t.zh, counts["has"], counts["lacks"]])
    lacking_grid = len(report["lacking_grid_worker"])
    summary.append(["网格员在岗", report["compound_count"] - lacking_grid, lacking_grid])
    for column, width in enumerate((16, 24, 10), start=1):
        summary.width(column, width)
    name = xlsx.clean_text(f"{unit.name}-五有覆盖情况-{report['as_of'].isoformat()}.xlsx")
    return {**files.put_bytes(writer.to_bytes(), XLSX, name), "rows": len(items)}
