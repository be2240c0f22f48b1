"""Demo data: a year of cases in org's demo compounds, a few worked through every step
(records, agreement, follow-up, escalation), a resident's own report and a campaign.
Idempotent: running it again creates nothing.

``python -m disputes.seed`` (``make run`` does it, after org's seed, with every service
running): waits until the unit-tree read model holds org's demo compounds, finds the demo
people by asking org as this service, then writes through the same use cases as the RPC
methods (audited, log-chained, events through the outbox). Cases the bench loaded under
placeholder compounds (``tests/bench/prepare.py``) are placed in the demo compounds first.
Prints one JSON object on its last line.
"""
from __future__ import annotations

from fazhi_shared.service.green import quiet

quiet()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date, datetime, timedelta, timezone  # noqa: E402

from sqlalchemy import func, select  # noqa: E402

from fazhi_shared import clock  # noqa: E402
from fazhi_shared.context import Principal  # noqa: E402
from fazhi_shared.service import calls  # noqa: E402
from fazhi_shared.service.db import transaction  # noqa: E402
from fazhi_shared.service.outbox import Outbox  # noqa: E402
from fazhi_shared.service.unittree import UnitTreeReadModel  # noqa: E402

from disputes import campaigns, cases, volume  # noqa: E402
from disputes.config import DATABASE_URL  # noqa: E402
from disputes.models import Campaign, Case, tables  # noqa: E402

SYSTEM = Principal.system("seed")
DEMO_COMPOUNDS = ("阳光花园", "滨江小区", "鼓楼新村", "东街公寓")
HISTORY = 400                      # cases over the past year, across the demo compounds
MARK = "【演示】"                   # the worked cases' descriptions start with it


def wait_for_compounds(url: str, timeout: float = 120) -> dict:
    """name → (id, path) of org's demo compounds, once the read model holds them all."""
    u = tables.unit_tree
    deadline = time.monotonic() + timeout
    while True:
        with transaction(url) as session:
            rows = session.execute(select(u.c.name, u.c.id, u.c.path).where(
                u.c.kind == "compound", u.c.name.in_(DEMO_COMPOUNDS))).all()
        if len(rows) == len(DEMO_COMPOUNDS):
            return {name: (unit_id, path) for name, unit_id, path in rows}
        if time.monotonic() > deadline:
            sys.exit(f"disputes.seed: org's demo compounds did not reach the read model "
                     f"({sorted(r.name for r in rows)})")
        time.sleep(1)


def org_people(names) -> dict:
    """name → person id, asked from org as this service (``list_people`` is open to it)."""
    out = {}
    for name in names:
        page = calls.call("org", "list_people", {"q": name, "limit": 5},
                          context=calls.service_context("disputes", 10))
        match = [p for p in page["items"] if p["name"] == name]
        if match:
            out[name] = match[0]["id"]
    return out


def _unit_id(session, parent_path: str, kind: str, name: str) -> str | None:
    u = tables.unit_tree
    return session.execute(select(u.c.id).where(
        u.c.kind == kind, u.c.name == name, u.c.path.like(parent_path + "/%"))).scalar()


def worked_cases(session, outbox, tree, people: dict, compounds: dict) -> dict:
    """A handful of cases worked through the real use cases."""
    sunny_id, sunny = compounds["阳光花园"]
    river_id, river = compounds["滨江小区"]
    resident, neighbour = people["蒋居民"], people["沈丽"]
    names = {v: k for k, v in people.items()}
    unit101 = _unit_id(session, sunny, "unit", "101室") or sunny_id

    def register(where, category, subtype, text, parties, prior_authority=None):
        return cases.register(session, outbox, tree, SYSTEM, {
            "unit_id": where, "source": "party_application", "category": category,
            "subtype": subtype, "description": MARK + text, "urgency": "normal",
            "risk_flags": [], "parties": parties, "prior_authority": prior_authority},
            path=tree.path_of(session, where), names=names)

    def act(case, action, **fields):
        return cases.act(session, outbox, SYSTEM, {"case_id": case.id, "action": action,
                                                   **fields})

    pair = [{"person_id": resident, "role": "applicant"},
            {"person_id": neighbour, "role": "respondent"}]
    leak = register(unit101, "neighbours", "leak",
                    "楼上102室卫生间漏水，渗到101室天花板，墙皮脱落。", pair)
    act(leak, "accept")
    act(leak, "assign", mediator_person_id=people.get("冯调解"))
    act(leak, "start_mediation")
    cases.add_record(session, SYSTEM, {"case_id": leak.id, "kind": "session",
                                       "text": "双方到场陈述，查看现场，确认漏水点为102室卫生间防水层。"})
    cases.settle(session, outbox, SYSTEM, {
        "case_id": leak.id, "form": "written", "facts": "102室卫生间防水层老化导致101室天花板受损。",
        "terms": [{"content": "102室业主重做卫生间防水并赔偿101室维修费1500元",
                   "method": "银行转账", "place": "阳光社区人民调解委员会",
                   "due_on": date.today() + timedelta(days=20)}],
        "signed_by": [resident, neighbour], "mediator_signed": True, "sealed": True,
        "concerns_status": False, "effective_on": None})
    act(leak, "follow_up", reason="回访：防水已重做，赔偿款已到账，双方满意。")

    parking = register(river_id, "property", "parking",
                       "地下车库车位被长期占用，车主与物业多次协商未果。",
                       [{"person_id": neighbour, "role": "applicant"}])
    act(parking, "accept")
    act(parking, "escalate", reason="涉及物业公司，小区调委会调解未果，上交社区。")
    act(parking, "start_mediation")

    mine = register(unit101, "property", "clutter", "楼道堆放杂物和电动车，影响通行。",
                    [{"person_id": resident, "role": "applicant"}])
    refused = register(sunny_id, "contract", None, "房屋租赁押金纠纷，当事人已向法院起诉。",
                       [{"person_id": neighbour, "role": "applicant"}], prior_authority="court")
    act(refused, "accept")          # already before a court: refused at acceptance
    return {"case_id": leak.id, "escalated_case_id": parking.id,
            "resident_case_id": mine.id}


def campaign(session, outbox, tree, compounds: dict) -> str:
    sunny_id, sunny = compounds["阳光花园"]
    river_id, _ = compounds["滨江小区"]
    found = campaigns.create(session, tree, SYSTEM, {
        "name": "小区环境专项整治行动", "starts_on": date.today() - timedelta(days=30),
        "ends_on": date.today() + timedelta(days=60), "unit_ids": [sunny_id, river_id],
        "issue_types": ["clutter", "illegal_building", "green_space"]})
    building = _unit_id(session, sunny, "building", "1幢") or sunny_id
    steps = {"楼道堆放杂物": ["start", "submit", "verify", "close"],
             "一楼院内违章搭建": ["start"], "绿地种菜": []}
    for (text, actions), (where, issue) in zip(steps.items(), [
            (building, "clutter"), (sunny_id, "illegal_building"), (river_id, "green_space")]):
        item = campaigns.add_item(session, tree, SYSTEM, {
            "campaign_id": found.id, "unit_id": where, "issue_type": issue,
            "description": text, "assignee_person_id": None, "due_on": None})
        for action in actions:
            campaigns.act_on_item(session, outbox, SYSTEM, {"item_id": item.id,
                                                            "action": action})
    return found.id


def seed(url: str) -> dict:
    compounds = wait_for_compounds(url)
    paths = [compounds[n][1] for n in DEMO_COMPOUNDS]
    tree = _Tree()
    made = {"adopted": 0, "history": 0, "worked": 0}
    with transaction(url) as session:
        if volume.placeholder_count(session):
            made["adopted"] = volume.adopt(session, paths)
    if made["adopted"]:          # 100,000 rows rewritten: fresh planner statistics
        volume.vacuum(url)
    with transaction(url) as session:
        has_history = session.execute(select(func.count()).select_from(Case).where(
            Case.number.like("D%"))).scalar()
        if not has_history:
            made["history"] = volume.generate(session, HISTORY, paths,
                                              datetime.now(timezone.utc) - timedelta(days=2),
                                              seed=2026, prefix="D")
    ids: dict = {}
    with transaction(url) as session:
        outbox = Outbox("disputes", tables.outbox)
        worked = session.execute(select(Case.id).where(
            Case.description.like(MARK + "%")).order_by(Case.id)).scalars().all()
        if not worked:
            people = org_people(["蒋居民", "沈丽", "冯调解"])
            ids = worked_cases(session, outbox, tree, people, compounds)
            made["worked"] = 4
        else:
            ids = {"case_id": worked[0], "escalated_case_id": worked[1],
                   "resident_case_id": worked[2]}
        found = session.execute(select(Campaign.id).order_by(Campaign.id)).scalar()
        ids["campaign_id"] = found or campaign(session, outbox, tree, compounds)
    today = clock.today_local()
    return {"created": made, **ids,
            "compounds": {n: compounds[n][0] for n in DEMO_COMPOUNDS},
            "from_month": f"{today.year - 1}-{today.month:02d}",
            "to_month": f"{today.year}-{today.month:02d}", "search": "漏水"}


class _Tree:
    """The read model as the use cases ask it (``path_of``), outside a nameko worker."""

    def __init__(self):
        self.model = UnitTreeReadModel(tables.unit_tree)

    def path_of(self, session, unit_id):
        return self.model.path_of(session, unit_id)


def main() -> None:
    from fazhi_shared.config import DEV_MODE
    from fazhi_shared.service.runner import check_settings

    from disputes.config import SETTINGS

    if not DEV_MODE.get():
        sys.exit("disputes.seed writes demo cases; it runs only in development mode "
                 "(FAZHI_DEV_MODE=true).")
    check_settings(SETTINGS, "disputes")
    json.dump(seed(DATABASE_URL.get()), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
