"""Cases in bulk: the generator behind the bench's 100,000 cases and the demo's year of
history. Rows go in with ``COPY`` (``fazhi_shared.service.db.bulk_insert``) — cases,
their registration record, the first entry of each hash chain and its head — and the
maintained statistics are bumped once per (compound, month, category, measure), so the
statistics read exactly what the workflow would have counted.

The bench loads its cases before org's demo data exists (``tests/bench/prepare.py`` runs
before the services start), so they lie under placeholder compounds; the demo seed then
places them in the demo compounds (:func:`adopt`).
"""
from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, text

from fazhi_shared import clock
from fazhi_shared.calendar import default_calendar
from fazhi_shared.paths import ids
from fazhi_shared.service.db import bulk_insert

from disputes import search
from disputes.domain.evidence import chain_entry
from disputes.domain.shares import bucket_of
from disputes.models import Case, CaseChainHead, CaseLogEntry, CaseRecord

PLACEHOLDER_CITY = "00000000-0000-7000-8000-0000000b0000"
PLACEHOLDER_COMPOUNDS = 8
CHUNK = 5000

# (category, subtype, description): what compounds bring to their mediators
TEMPLATES = [
    ("neighbours", "leak", "楼上卫生间漏水渗到楼下天花板，楼下要求赔偿维修费用"),
    ("neighbours", "noise", "楼上住户深夜走动和装修噪声扰民，多次沟通无果"),
    ("neighbours", "pets", "邻居饲养的大型犬未拴绳，吓到老人和小孩"),
    ("property", "unpaid_fees", "业主以服务质量差为由拒交物业费两年"),
    ("property", "parking", "地下车库车位被他人长期占用，协商不成"),
    ("property", "maintenance_fund", "电梯大修动用专项维修资金，部分业主有异议"),
    ("property", "illegal_building", "一楼住户在公共绿地上违章搭建阳光房"),
    ("property", "clutter", "楼道内堆放杂物和电动车，存在消防隐患"),
    ("property", "green_space", "业主占用小区绿地种菜，其他业主投诉"),
    ("marriage_family", None, "夫妻因子女抚养费问题发生争执，请求调解"),
    ("marriage_family", None, "赡养老人费用分担问题兄弟姐妹之间产生纠纷"),
    ("contract", None, "房屋租赁合同到期后押金退还发生争议"),
    ("damages", None, "小区内电动自行车碰撞致人轻伤，赔偿数额有争议"),
    ("labour", None, "保洁员与物业公司因加班工资发生劳动争议"),
    ("consumer", None, "业主购买的家电质量问题与商家协商退货未果"),
    ("housing", None, "相邻房屋采光被新装修遮挡引发纠纷"),
]
SPOTS = ["1幢", "2幢", "3幢", "东门", "西门", "地下车库", "中心花园", "物业中心"]
# outcome weights: open cases, settled, failed, passed out
OUTCOMES = [("open", 25), ("settled", 60), ("failed", 10), ("passed_out", 5)]
LEVEL_WEIGHTS = [("compound", 70), ("community", 18), ("street", 10), ("city", 2)]


def placeholder_compound(k: int) -> str:
    """The path of placeholder compound ``k`` (city / street / community / compound)."""
    return "/" + "/".join([PLACEHOLDER_CITY] + [f"00000000-0000-7000-8000-000000b{level}{k:04x}"
                                                for level in (1, 2, 3)])


def _uuid7_at(at: datetime, rng: random.Random) -> str:
    """A UUIDv7 whose time part is ``at`` (lists page by id: registration order)."""
    ms = int(at.timestamp() * 1000)
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) \
        | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def _pick(rng, weighted):
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def generate(session, n: int, compounds: list[str], until: datetime, days: int = 365,
             seed: int = 12, prefix: str = "B") -> int:
    """Insert ``n`` cases spread over ``days`` days before ``until`` across ``compounds``
    (compound paths), with their registration records, chain entries and heads, and bump
    the statistics. Returns how many were inserted."""
    rng = random.Random(seed)
    cal = default_calendar()
    segmented: dict = {}
    start_no = session.execute(select(func.count()).select_from(Case)).scalar()
    counts: Counter = Counter()
    overdue: Counter = Counter()
    made = 0
    while made < n:
        cases, records, entries, heads = [], [], [], []
        for _ in range(min(CHUNK, n - made)):
            made += 1
            compound = rng.choice(compounds)
            compound_id = ids(compound)[-1]
            at = until - timedelta(seconds=rng.randrange(days * 86400))
            category, subtype, text_ = rng.choice(TEMPLATES)
            spot = rng.choice(SPOTS)
            description = f"{spot}：{text_}"
            for part in (spot, text_):
                if part not in segmented:
                    segmented[part] = search.segment(part)
            case_id = _uuid7_at(at, rng)
            outcome = _pick(rng, OUTCOMES)
            level = _pick(rng, LEVEL_WEIGHTS)
            day = clock.to_local(at).date()
            row = {
                "id": case_id, "number": f"{prefix}{start_no + made:08d}", "unit_id": compound_id,
                "path": compound, "compound_id": compound_id, "compound_path": compound,
                "visibility": "parties", "source": rng.choice(
                    ["party_application", "party_application", "grid_patrol", "own_initiative",
                     "police_referral", "court_referral"]),
                "source_ref": None, "category": category, "subtype": subtype,
                "description": description,
                "search_terms": f"{segmented[spot]} {segmented[text_]}",
                "urgency": rng.choice(["normal"] * 8 + ["urgent", "critical"]),
                "risk_flags": ["group_petition"] if rng.random() < 0.02 else [],
                "prior_authority": None, "level": level,
                "handling_unit_id": compound_id, "mediator_person_id": None,
                "registered_at": at, "accepted_at": at, "registered_by_person_id": None,
                "version": 3, "level_started_on": day, "overdue": False,
            }
            counts[(compound, day.replace(day=1), category, "registered")] += 1
            if outcome == "open":
                due = cal.period_end(day, 30).last_day
                row.update(state=rng.choice(["accepted", "mediating"]), reached_mediation=True,
                           outcome=None, concluded_level=None, concluded_at=None,
                           closed_at=None, pass_out_body=None, due_on=due,
                           overdue=due < clock.today_local())
                overdue[compound] += row["overdue"]
            else:
                done = at + timedelta(days=rng.randrange(1, 40))
                closed = rng.random() < 0.8
                row.update(state="closed" if closed else outcome, reached_mediation=True,
                           outcome=outcome, concluded_level=level, concluded_at=done,
                           closed_at=done if closed else None, due_on=None,
                           pass_out_body="court" if outcome == "passed_out" else None)
                month = clock.to_local(done).date().replace(day=1)
                counts[(compound, month, category, f"concluded:{bucket_of(outcome, level)}")] += 1
                counts[(compound, month, category, outcome)] += 1
                if closed:
                    counts[(compound, month, category, "closed")] += 1
                    counts[(compound, month, category, "close_days")] += (
                        clock.to_local(done).date() - day).days
            cases.append(row)
            records.append({"id": _uuid7_at(at, rng), "case_id": case_id, "kind": "registration",
                            "text": description, "detail": {"category": category},
                            "author_person_id": None, "created_at": at})
            entry = chain_entry(None, {
                "case_id": case_id, "at": at, "action": "register", "actor_kind": "system",
                "actor_account_id": None, "actor_person_id": None,
                "detail": {"number": row["number"], "category": category, "level": "compound"}})
            entries.append({"id": _uuid7_at(at, rng), **entry})
            heads.append({"case_id": case_id, "seq": 1, "hash": entry["hash"]})
        for model, rows in ((Case, cases), (CaseRecord, records), (CaseLogEntry, entries),
                            (CaseChainHead, heads)):
            bulk_insert(session, model.__table__, rows)
    upsert = text(
        "INSERT INTO stat_counters (compound_path, month, category, measure, value) "
        "VALUES (:p, :m, :c, :k, :d) ON CONFLICT (compound_path, month, category, measure) "
        "DO UPDATE SET value = stat_counters.value + EXCLUDED.value")
    session.execute(upsert, [{"p": p, "m": m, "c": c, "k": k, "d": v}
                             for (p, m, c, k), v in counts.items()])
    if overdue:
        session.execute(text(
            "INSERT INTO current_counters (compound_path, measure, value) "
            "VALUES (:p, 'overdue', :d) ON CONFLICT (compound_path, measure) "
            "DO UPDATE SET value = current_counters.value + EXCLUDED.value"),
            [{"p": p, "d": d} for p, d in overdue.items()])
    session.execute(text("SELECT setval('case_number_seq', "
                         "GREATEST((SELECT last_value FROM case_number_seq), :n))"),
                    {"n": start_no + made})
    return made


def placeholder_count(session) -> int:
    return session.execute(text("SELECT count(*) FROM cases WHERE path LIKE :p"),
                           {"p": f"/{PLACEHOLDER_CITY}/%"}).scalar()


def adopt(session, compounds: list[str]) -> int:
    """Place the cases of the placeholder compounds in real ``compounds`` (round robin),
    with their statistics. Returns how many cases moved."""
    moved = 0
    for k in range(PLACEHOLDER_COMPOUNDS):
        old, new = placeholder_compound(k), compounds[k % len(compounds)]
        new_id = ids(new)[-1]
        moved += session.execute(text(
            "UPDATE cases SET path = :new, compound_path = :new, compound_id = :nid, "
            "unit_id = :nid, handling_unit_id = :nid WHERE compound_path = :old"),
            {"new": new, "nid": new_id, "old": old}).rowcount
        session.execute(text(
            "INSERT INTO stat_counters (compound_path, month, category, measure, value) "
            "SELECT :new, month, category, measure, value FROM stat_counters "
            "WHERE compound_path = :old ON CONFLICT (compound_path, month, category, measure) "
            "DO UPDATE SET value = stat_counters.value + EXCLUDED.value"),
            {"new": new, "old": old})
        session.execute(text("DELETE FROM stat_counters WHERE compound_path = :old"),
                        {"old": old})
        session.execute(text(
            "INSERT INTO current_counters (compound_path, measure, value) "
            "SELECT :new, measure, value FROM current_counters WHERE compound_path = :old "
            "ON CONFLICT (compound_path, measure) "
            "DO UPDATE SET value = current_counters.value + EXCLUDED.value"),
            {"new": new, "old": old})
        session.execute(text("DELETE FROM current_counters WHERE compound_path = :old"),
                        {"old": old})
    return moved


def bench_load(session, n: int = 100_000) -> int:
    """The bench's volume: up to ``n`` cases under the placeholder compounds (none when
    the database holds that many already)."""
    have = session.execute(select(func.count()).select_from(Case)).scalar()
    if have >= n:
        return 0
    compounds = [placeholder_compound(k) for k in range(PLACEHOLDER_COMPOUNDS)]
    return generate(session, n - have, compounds, datetime.now(timezone.utc))


def vacuum(url: str) -> None:
    """``VACUUM ANALYZE`` the tables a bulk load or :func:`adopt` rewrote (outside any
    transaction: a connection of its own in autocommit)."""
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        with engine.connect() as conn:
            for table in ("cases", "case_log", "stat_counters", "current_counters"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
    finally:
        engine.dispose()
