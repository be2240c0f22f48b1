"""Statistics from the maintained aggregates (``stat_counters``): counts by category,
unit and month, resolution rate, the three shares, average days to close; overdue counts
(``current_counters``) and compounds without cases (the read model's compounds less those
with a counter). No request rescans the cases."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, literal_column, select, tuple_

from fazhi_shared.context import Principal
from fazhi_shared.paths import ancestor_at, ids, level_depth
from fazhi_shared.service.scope import scope_clause, under

from fazhi_disputes_contract.vocabulary import CATEGORIES

from disputes.cases import unit_path
from disputes.domain.shares import BUCKETS, fraction, three_shares
from disputes.models import CurrentCounter, StatCounter, tables


def parse_month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def _totals(values: dict) -> dict:
    counts = {b: values.get(f"concluded:{b}", 0) for b in BUCKETS}
    return {"registered": values.get("registered", 0),
            "concluded": sum(counts.values()), "settled": values.get("settled", 0),
            "shares": three_shares(counts)}


def statistics(session, unit_tree, principal: Principal, data: dict) -> dict:
    start, end = parse_month(data["from_month"]), parse_month(data["to_month"])
    if end < start:
        from fazhi_shared.errors import ValidationFailed

        raise ValidationFailed.for_field("to_month", "结束月份不能早于开始月份。",
                                         "The last month is before the first.")
    t = StatCounter
    where = [t.month >= start, t.month <= end,
             scope_clause(principal, t.compound_path)]
    root = None
    if data.get("unit_id"):
        root = unit_path(session, unit_tree, principal, data["unit_id"])
        # counters are per compound: a building or unit counts as its compound
        where.append(under(t.compound_path, ancestor_at(root, "compound") or root))
    level = data.get("group_by") or "compound"
    # the ancestor path at the grouping level, in SQL (depth from a fixed table: no input)
    unit_key = literal_column(
        "array_to_string((string_to_array(stat_counters.compound_path, '/'))"
        f"[1:{level_depth(level) + 1}], '/')").label("unit")
    # One pass over the counters: totals, by category, by month and by unit (grouping
    # sets: a few hundred rows back, whatever the number of cases).
    rows = session.execute(select(unit_key, t.month, t.category, t.measure, func.sum(t.value))
                           .where(*where).group_by(func.grouping_sets(
                               tuple_(t.measure), tuple_(t.category, t.measure),
                               tuple_(t.month, t.measure), tuple_(unit_key, t.measure)))).all()
    total: dict = defaultdict(int)
    by_cat: dict = defaultdict(lambda: defaultdict(int))
    by_month: dict = defaultdict(lambda: defaultdict(int))
    by_unit: dict = defaultdict(lambda: defaultdict(int))
    for unit, month, category, measure, value in rows:
        if unit is not None:
            by_unit[unit][measure] += value
        elif month is not None:
            by_month[month.strftime("%Y-%m")][measure] += value
        elif category is not None:
            by_cat[category][measure] += value
        else:
            total[measure] += value
    busy = set(session.execute(select(t.compound_path).where(
        *where, t.measure == "registered", t.value > 0).distinct()).scalars())
    head = _totals(total)
    names = _names(session, [ids(p)[-1] for p in by_unit])
    lang = principal.lang
    out = {
        "from_month": data["from_month"], "to_month": data["to_month"], **head,
        "failed": total.get("failed", 0), "passed_out": total.get("passed_out", 0),
        "resolution_rate": fraction(total.get("settled", 0), head["concluded"]),
        "closed": total.get("closed", 0),
        "average_days_to_close": fraction(total.get("close_days", 0), total.get("closed", 0)),
        "overdue": _overdue(session, principal, root),
        "by_category": [{"key": c, "name": CATEGORIES.label(c, lang), **_totals(v)}
                        for c, v in sorted(by_cat.items())],
        "by_month": [{"key": m, "name": m, **_totals(v)} for m, v in sorted(by_month.items())],
        "by_unit": [{"key": ids(p)[-1], "name": names.get(ids(p)[-1], ""), **_totals(v)}
                    for p, v in sorted(by_unit.items())],
        "zero_case_compounds": _zero_case_compounds(session, principal, root, busy),
    }
    return out


def _names(session, unit_ids) -> dict:
    if not unit_ids:
        return {}
    u = tables.unit_tree
    return dict(session.execute(select(u.c.id, u.c.name).where(u.c.id.in_(unit_ids))).all())


def _overdue(session, principal, root) -> int:
    """Open cases past their time limit now, from the maintained per-compound counts."""
    c = CurrentCounter
    stmt = select(func.coalesce(func.sum(c.value), 0)).where(
        c.measure == "overdue", scope_clause(principal, c.compound_path))
    if root:
        stmt = stmt.where(under(c.compound_path, ancestor_at(root, "compound") or root))
    return session.execute(stmt).scalar()


def _zero_case_compounds(session, principal, root, busy: set) -> list[dict]:
    """Compounds in scope where no case was registered in the period ("zero cases")."""
    u = tables.unit_tree
    stmt = select(u.c.id, u.c.name, u.c.path).where(u.c.kind == "compound",
                                                    scope_clause(principal, u.c.path))
    if root:
        stmt = stmt.where(under(u.c.path, root))
    return [{"unit_id": unit_id, "name": name}
            for unit_id, name, path in session.execute(stmt.order_by(u.c.name)).all()
            if path not in busy]
