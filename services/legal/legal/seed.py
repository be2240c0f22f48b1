"""Demo data for every legal page: legal-literate persons in 阳光花园 (one building left
uncovered, so the coverage report has a gap), a training session, a law firm with three
lawyers and a volunteer, an adviser agreement, published four-week rosters for 阳光花园
and 滨江小区 (with a shift on duty now), a booking taken on a resident's behalf, a
consultation, the compound's three lists and its owners' convention. Idempotent: a
second run creates nothing.

``python -m legal.seed`` (``make run`` does it, after org's seed, with every service
running): waits until the unit-tree read model holds 阳光花园, finds org's demo people by
asking org as legal itself, then writes through the same use cases as the RPC methods.
Prints one JSON object on its last line.
"""
from __future__ import annotations

from fazhi_shared.service.green import quiet

quiet()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from sqlalchemy import select  # noqa: E402

from fazhi_shared import clock  # noqa: E402
from fazhi_shared.context import Principal  # noqa: E402
from fazhi_shared.service.db import transaction  # noqa: E402
from fazhi_shared.service.outbox import Outbox  # noqa: E402

from fazhi_legal_contract import schemas as s  # noqa: E402

from legal import (bookings, consultations, lists, literates, rosters,  # noqa: E402
                   training)
from legal.config import DATABASE_URL, SHIFT_TIMES  # noqa: E402
from legal.models import (Agreement, Firm, Helper, Literate, Roster, ServiceList,  # noqa: E402
                          Shift, tables)
from legal.org_calls import Org  # noqa: E402

SYSTEM = Principal.system("seed")
COMPOUND, OTHER = "阳光花园", "滨江小区"
FIRM = "江苏泰和律师事务所"
LISTS = {
    "legal_service_items": ["法律咨询（每周一至周五 物业服务中心）", "人民调解申请", "法律援助申请指引",
                            "公证、司法鉴定办理指引"],
    "property_services": ["公共区域保洁", "秩序维护与门岗", "共用设施设备维修养护", "绿化养护"],
    "law_policy_basis": ["《中华人民共和国民法典》物权编", "《物业管理条例》",
                         "《中华人民共和国人民调解法》", "《江苏省物业管理条例》"],
}


def load(schema, data: dict) -> dict:
    return schema().load(data)


def wait_for_compounds(session_url) -> tuple[dict, dict]:
    """阳光花园 and 滨江小区 from the unit-tree read model, once org's events brought them."""
    units = tables.unit_tree
    for _ in range(600):                 # up to 5 minutes: org's seed may be slow to arrive
        with transaction(session_url) as session:
            rows = {r.name: dict(r._mapping) for r in session.execute(select(units).where(
                units.c.kind == "compound", units.c.name.in_((COMPOUND, OTHER))))}
        if len(rows) == 2:
            return rows[COMPOUND], rows[OTHER]
        time.sleep(0.5)
    sys.exit(f"legal.seed: {COMPOUND} never reached legal's unit tree (is org seeded?)")


def org_people(org: Org, compound_id: str) -> dict:
    """name → person (masked) of org's demo people in the compound."""
    out, cursor = {}, None
    while True:
        page = org.call("list_people", unit_id=compound_id, limit=200, cursor=cursor)
        for p in page["items"]:
            out.setdefault(p["name"], p)
        cursor = page.get("next_cursor")
        if not cursor:
            return out


def seed() -> dict:
    url = DATABASE_URL.get()
    compound, other = wait_for_compounds(url)
    org = Org(SYSTEM, None, patience=30)      # a loaded machine: wait for org
    people = org_people(org, compound["id"])
    outbox = Outbox("legal", tables.outbox)
    made: dict = {}
    with transaction(url) as session:
        buildings = {b["name"]: b for b in _buildings(session, compound)}
        if session.execute(select(Literate.id).where(
                Literate.compound_id == compound["id"])).first() is None:
            made["literates"] = _literates(session, outbox, org, compound, buildings, people)
        if session.execute(select(Firm.id).where(Firm.name == FIRM)).first() is None:
            made["rosters"] = _rosters(session, outbox, compound, other, people)
        if session.execute(select(ServiceList.id).where(
                ServiceList.compound_id == compound["id"])).first() is None:
            made["lists"] = _lists(session, compound)
        result = _summary(session, compound)
    return {"created": made, **result}


def _buildings(session, compound):
    from legal import places
    return [b for b in places.below(session, compound["path"], "building")
            if b["name"].endswith("幢")]


def _literates(session, outbox, org, compound, buildings, people) -> int:
    names = sorted(buildings)
    plan = [("郑明白", names[:1], "grid_worker", True),
            ("严调解", names[1:2], "mediator", True),
            ("华调解", names[2:3], "party_member", False)]       # the last building: a gap
    made = []
    for name, where, pool, confirm in plan:
        person = people.get(name)
        if person is None:
            continue
        lit = literates.nominate(session, outbox, org, SYSTEM, load(s.LiterateNominate, {
            "person_id": person["id"], "compound_id": compound["id"],
            "building_ids": [buildings[b]["id"] for b in where], "pool": pool,
            "nomination": "nominated", "nominated_by": "阳光社区居委会",
            "duties": "收集社情民意、宣传法律政策、协助化解纠纷、引导依法办事",
            "contact_route": "物业服务中心转（工作日 9:00–17:00）"}))
        literates.assess(session, SYSTEM, {"id": lit["id"], "note": "面谈、笔试合格"})
        if confirm:
            literates.decide(session, outbox, SYSTEM, {"id": lit["id"], "confirm": True,
                                                       "reason": None})
        made.append(lit)
    street_path = "/".join(compound["path"].split("/")[:3])
    t = training.create(session, SYSTEM, load(s.TrainingCreate, {
        "unit_id": street_path.rsplit("/", 1)[1], "title": "民法典物权编专题培训",
        "organiser": "济川司法所", "held_on": str(clock.today_local() - timedelta(days=40)),
        "hours": 3}))
    if made:
        training.record_attendance(session, SYSTEM, {"training_id": t["id"],
                                                     "literate_ids": [made[0]["id"]]})
    return len(made)


def _rosters(session, outbox, compound, other, people) -> int:
    street_id = compound["path"].split("/")[2]
    firm = rosters.create_firm(session, SYSTEM, {"unit_id": street_id, "name": FIRM,
                                                 "licence_no": "13212200810123456"})
    helpers = {}
    for name, kind, login in (("钱律师", "lawyer", "钱律师"), ("孙律师", "lawyer", None),
                              ("李律师", "lawyer", None), ("褚志愿", "volunteer", "褚志愿")):
        person = people.get(login) if login else None
        helpers[name] = rosters.create_helper(session, SYSTEM, {
            "unit_id": street_id, "name": name, "kind": kind, "firm_id": firm["id"],
            "person_id": person["id"] if person else None})
    today = clock.today_local()
    monday = today - timedelta(days=today.weekday())
    compounds = [compound["id"]] + ([other["id"]] if other else [])
    agreement = rosters.create_agreement(session, SYSTEM, {
        "firm_id": firm["id"], "unit_id": street_id, "starts_on": monday - timedelta(days=60),
        "ends_on": monday + timedelta(days=305), "compound_ids": compounds,
        "helper_ids": [helpers[n]["id"] for n in ("钱律师", "孙律师", "李律师")]})
    rosters.record_absence(session, SYSTEM, {
        "helper_id": helpers["孙律师"]["id"], "starts_on": monday + timedelta(days=7),
        "ends_on": monday + timedelta(days=13), "reason": "出庭"})
    made = 0
    if other:
        solo = rosters.create_agreement(session, SYSTEM, {
            "firm_id": firm["id"], "unit_id": street_id, "starts_on": monday,
            "ends_on": monday + timedelta(days=305), "compound_ids": [other["id"]],
            "helper_ids": [helpers["李律师"]["id"]]})
        r = rosters.generate(session, SYSTEM, load(s.RosterGenerate, {
            "agreement_id": solo["id"], "compound_id": other["id"], "starts_on": str(monday),
            "ends_on": str(monday + timedelta(days=27)), "weekdays": [1, 3],
            "working_days_only": False}), SHIFT_TIMES.get())
        rosters.publish(session, outbox, SYSTEM, {"id": r["id"]})
        made += 1
    roster = rosters.generate(session, SYSTEM, load(s.RosterGenerate, {
        "agreement_id": agreement["id"], "compound_id": compound["id"],
        "starts_on": str(monday), "ends_on": str(monday + timedelta(days=27)), "capacity": 4,
        "working_days_only": False}), SHIFT_TIMES.get())
    now = clock.now()
    # the volunteer is on duty right now (whatever the hour), so "on duty now" has someone
    rosters.add_shift(session, outbox, SYSTEM, {
        "roster_id": roster["id"], "helper_id": helpers["褚志愿"]["id"],
        "starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=4),
        "capacity": 4})
    rosters.publish(session, outbox, SYSTEM, {"id": roster["id"]})
    made += 1
    resident = people.get("蒋居民")
    upcoming = next((x for x in roster["shifts"] if x["starts_at"] > now), None)
    if resident and upcoming:
        unit_id = resident["path"].rsplit("/", 1)[1]
        bookings.book(session, outbox, SYSTEM, load(s.BookingCreate, {
            "shift_id": upcoming["id"], "person_id": resident["id"], "unit_id": unit_id,
            "topic": "property_management", "note": "物业费与维修基金的问题"}))
        consultations.record(session, outbox, SYSTEM, load(s.ConsultationCreate, {
            "compound_id": compound["id"], "person_id": resident["id"],
            "topic": "neighbours", "summary": "楼上卫生间漏水，协商维修未果。",
            "advice": "建议先由物业查明漏点，保留照片证据，必要时申请人民调解。",
            "follow_up_needed": True, "complete": True}))
    return made


def _lists(session, compound) -> int:
    for kind, titles in LISTS.items():
        lists.publish_list(session, SYSTEM, load(s.ListPublish, {
            "compound_id": compound["id"], "kind": kind,
            "items": [{"title": t} for t in titles]}))
    lists.publish_convention(session, SYSTEM, load(s.ConventionPublish, {
        "compound_id": compound["id"], "title": f"{COMPOUND}管理规约",
        "text": "第一章 总则\n第一条 为维护全体业主的合法权益，根据《中华人民共和国民法典》"
                "《物业管理条例》，制定本规约。\n第二条 本规约对全体业主和物业使用人具有约束力。",
        "adopted_by_matter_id": "demo-owners-meeting-2025", "adopted_on": "2025-06-18"}))
    return len(LISTS) + 1


def _summary(session, compound) -> dict:
    lit = session.execute(select(Literate.id).where(Literate.compound_id == compound["id"],
                                                    Literate.status == "confirmed")
                          .order_by(Literate.id)).scalar()
    roster = session.execute(select(Roster.id).where(Roster.compound_id == compound["id"])
                             .order_by(Roster.id)).scalar()
    agreement = session.execute(select(Agreement.id).order_by(Agreement.id)).scalar()
    helper = session.execute(select(Helper.id).where(Helper.name == "钱律师")).scalar()
    shift = session.execute(select(Shift.id).where(
        Shift.roster_id == roster, Shift.starts_at > clock.now())
        .order_by(Shift.starts_at)).scalar() if roster else None
    return {"compound_id": compound["id"], "literate_id": lit, "roster_id": roster,
            "agreement_id": agreement, "helper_id": helper, "shift_id": shift,
            "resident": "resident", "staff": "judicial_staff"}


def main() -> None:
    from fazhi_shared.config import DEV_MODE
    from fazhi_shared.service.runner import check_settings

    from legal.config import SETTINGS

    if not DEV_MODE.get():
        sys.exit("legal.seed writes demo data; it runs only in development mode.")
    check_settings(SETTINGS, "legal")
    json.dump(seed(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
