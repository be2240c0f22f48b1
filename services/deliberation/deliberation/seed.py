"""Demo data in 阳光花园 (org's demo compound): a vote closed with its result, a vote
running (the demo resident 蒋居民 may vote online), appeals at every stage, a law-aided
meeting. Idempotent: a second run finds the demo matters by title and creates nothing.

``python -m deliberation.seed`` (``make run`` does it, after org's seed, with every
service running): waits until the unit-tree read model holds the compound, asks org for
the electorate as this service, then writes through the same use cases as the RPC
methods (audited, events through the outbox, relayed by the running service).

A vote takes weeks (notice period, voting window), so the seed lives its history on this
process's own clock: it points ``FAZHI_CLOCK_FILE`` of this process only at a file it
moves from 40 days ago to today, and gives notice, opens and closes on those days. The
running services keep the real clock. Prints one JSON object on its last line.
"""
from __future__ import annotations

from fazhi_shared.service.green import quiet

quiet()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402

from sqlalchemy import select  # noqa: E402

from fazhi_shared import clock  # noqa: E402
from fazhi_shared.context import Principal  # noqa: E402
from fazhi_shared.service.db import transaction  # noqa: E402
from fazhi_shared.service.outbox import Outbox  # noqa: E402
from fazhi_shared.service.unittree import UnitTreeReadModel  # noqa: E402

from fazhi_deliberation_contract import schemas as s  # noqa: E402

from deliberation import appeals, ballots, matters, meetings, policy  # noqa: E402
from deliberation.config import DATABASE_URL  # noqa: E402
from deliberation.models import Appeal, ElectorateEntry, Matter, tables  # noqa: E402

SYSTEM = Principal.system("seed")
COMPOUND = "阳光花园"
CLOSED_TITLE = "关于使用专项维修资金更换电梯的表决"
RUNNING_TITLE = "关于筹集维修资金及选聘物业服务企业的表决"


class SeedClock:
    """This process's clock, moved day by day through the demo's history."""

    def __init__(self):
        self.path = os.path.join(tempfile.mkdtemp(prefix="deliberation-seed-"), "clock.json")
        self.real = datetime.now(timezone.utc)
        clock.follow(self.path)

    def days_ago(self, days: int) -> None:
        at = self.real - timedelta(days=days)
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump({"frozen": at.isoformat()}, fh)
        stamp = time.time() + days                 # a fresh mtime for every move
        os.utime(self.path, (stamp, stamp))


def wait_for_compound(url: str, timeout: float = 120) -> tuple[str, str]:
    u = tables.unit_tree
    deadline = time.monotonic() + timeout
    while True:
        with transaction(url) as session:
            row = session.execute(select(u.c.id, u.c.path).where(
                u.c.kind == "compound", u.c.name == COMPOUND)).first()
        if row:
            return row.id, row.path
        if time.monotonic() > deadline:
            sys.exit(f"deliberation.seed: {COMPOUND} did not reach the read model")
        time.sleep(1)


def _load(schema, data):
    return schema().load(data)


def _vote(url, clock, org, tree, compound_id, title, items, days: dict, choices) -> str:
    """A matter given notice, opened and (``days["close"]``) closed on the seed's clock;
    ``choices(n)`` → the n-th owner's choice per item (None: did not vote)."""
    clock.days_ago(days["notice"])
    with transaction(url) as session:
        outbox = Outbox("deliberation", tables.outbox)
        matter = matters.create_matter(session, tree, SYSTEM, _load(s.MatterCreate, {
            "compound_id": compound_id, "title": title, "category": items[0]["category"],
            "items": items}))
        matters.give_notice(session, outbox, org, SYSTEM, _load(s.NoticeGive,
                                                               {"matter_id": matter["id"]}))
    with transaction(url) as session:
        noticed = session.get(Matter, matter["id"])
        first_day = (noticed.notice_period_ends - noticed.noticed_on).days + 1
    clock.days_ago(max(days["notice"] - first_day, 0))
    with transaction(url) as session:
        outbox = Outbox("deliberation", tables.outbox)
        opened = matters.open_voting(session, outbox, SYSTEM, {"matter_id": matter["id"]})
        entries = list(session.scalars(select(ElectorateEntry).where(
            ElectorateEntry.matter_id == matter["id"]).order_by(ElectorateEntry.name)))
        item_ids = [i["id"] for i in opened["items"]]
        for n, entry in enumerate(entries):
            picks = [(i, c) for i, c in zip(item_ids, choices(n, entry)) if c]
            if picks:
                ballots.cast_ballot(session, outbox, SYSTEM, _load(s.BallotCast, {
                    "matter_id": matter["id"], "channel": "door_to_door", "entry_id": entry.id,
                    "choices": [{"item_id": i, "choice": c} for i, c in picks]}))
    if "close" in days:
        with transaction(url) as session:
            ends = session.get(Matter, matter["id"]).voting_ends_on
        clock.days_ago(max(days["close"], 0))
        with transaction(url) as session:
            if clock.real.date() - timedelta(days=days["close"]) <= ends:
                raise SystemExit("deliberation.seed: the closed demo vote would close early")
            matters.close_vote(session, Outbox("deliberation", tables.outbox), SYSTEM,
                               {"matter_id": matter["id"]})
    return matter["id"]


def _appeals(url, clock, tree, compound_id, home_id) -> int:
    with transaction(url) as session:
        if session.scalar(select(Appeal.id).where(Appeal.compound_id == compound_id)):
            return 0
    made = 0
    stories = [  # (days ago, category, summary, stage, reply)
        (10, "facilities", "2幢电梯近一周多次停运", "answered",
         "已联系维保单位更换控制板，电梯已恢复运行。"),
        (1, "parking", "小区东门非机动车乱停放，堵塞消防通道", "assigned", None),
        (0, "environment", "垃圾分类亭夏季异味较重", "submitted", None),
        (12, "fees", "物业费公示不清楚，希望公开收支明细", "overdue", None)]
    for n, (days, category, summary, stage, reply) in enumerate(stories):
        clock.days_ago(days)
        with transaction(url) as session:
            outbox = Outbox("deliberation", tables.outbox)
            a = appeals.submit_appeal(session, outbox, tree, SYSTEM, _load(s.AppealSubmit, {
                "unit_id": home_id, "category": category, "summary": summary,
                "anonymous": n % 2 == 1}))
            if stage != "submitted":
                appeals.assign_appeal(session, outbox, SYSTEM, _load(s.AppealAssign, {
                    "appeal_id": a["id"], "responsible": "property_company",
                    "reply_days": 3 if stage == "overdue" else 5}))
            if reply:
                appeals.answer_appeal(session, outbox, SYSTEM, _load(s.AppealAnswer, {
                    "appeal_id": a["id"], "reply": reply}))
            made += 1
    clock.days_ago(0)
    with transaction(url) as session:
        appeals.flag_overdue(session, Outbox("deliberation", tables.outbox))
    return made


def seed(url: str) -> dict:
    compound_id, compound_path = wait_for_compound(url)
    tree = UnitTreeReadModel(tables.unit_tree)
    org = policy.Org(None, SYSTEM)
    clock = SeedClock()
    out = {"compound_id": compound_id, "created": {"matters": 0, "appeals": 0, "meetings": 0}}
    with transaction(url) as session:
        existing = dict(session.execute(select(Matter.title, Matter.id).where(
            Matter.compound_id == compound_id)).all())
        u = tables.unit_tree
        home_id = session.execute(select(u.c.id).where(
            u.c.kind == "unit", u.c.path.like(compound_path + "/%")).order_by(u.c.name)).scalar()
    if CLOSED_TITLE not in existing:
        existing[CLOSED_TITLE] = _vote(
            url, clock, org, tree, compound_id, CLOSED_TITLE,
            [{"title": "使用专项维修资金更换1幢、2幢电梯", "category": "fund_use"}],
            {"notice": 40, "close": 2},
            lambda n, e: ["yes" if n % 4 else "no"] if n % 5 != 4 else [None])
        out["created"]["matters"] += 1
    if RUNNING_TITLE not in existing:
        existing[RUNNING_TITLE] = _vote(
            url, clock, org, tree, compound_id, RUNNING_TITLE,
            [{"title": "按每平方米20元筹集专项维修资金", "category": "fund_raise"},
             {"title": "续聘阳光物业服务有限公司三年", "category": "property_manager"}],
            {"notice": 20},
            lambda n, e: (["yes", "yes"] if n % 3 == 0 else [None, None])
            if e.name != "蒋居民" else [None, None])
        out["created"]["matters"] += 1
    out["created"]["appeals"] = _appeals(url, clock, tree, compound_id, home_id)
    clock.days_ago(0)
    with transaction(url) as session:
        from deliberation.models import Meeting
        if not session.scalar(select(Meeting.id).where(Meeting.compound_id == compound_id)):
            meetings.record_meeting(session, Outbox("deliberation", tables.outbox), tree,
                                    SYSTEM, _load(s.MeetingCreate, {
                "compound_id": compound_id, "topic": "筹集维修资金方案议事会",
                "held_on": (clock.real - timedelta(days=20)).date().isoformat(),
                "participants": [{"name": "钱律师", "role": "legal_adviser"},
                                 {"name": "孙业委", "role": "owners_committee"},
                                 {"name": "张社工", "role": "community_worker"},
                                 {"name": "蒋居民", "role": "owner"}],
                "minutes": "讨论维修资金筹集标准与公示方式，律师解读民法典第二百七十八条。",
                "resolutions": ["按每平方米20元的标准提交业主大会表决"],
                "matter_ids": [existing[RUNNING_TITLE]]}))
            out["created"]["meetings"] = 1
    out["matters"] = {"closed": existing[CLOSED_TITLE], "running": existing[RUNNING_TITLE]}
    with transaction(url) as session:
        out["running_items"] = [i.id for i in matters.items_of(session, existing[RUNNING_TITLE])]
        # A paper ballot the browser test enters in the console: an owner who has not voted
        # (not the demo resident, who votes online). Development data only.
        from deliberation.models import Ballot
        voted = select(Ballot.entry_id).where(Ballot.matter_id == existing[RUNNING_TITLE])
        out["paper_code"] = session.scalar(select(ElectorateEntry.ballot_code).where(
            ElectorateEntry.matter_id == existing[RUNNING_TITLE], ElectorateEntry.name != "蒋居民",
            ElectorateEntry.id.not_in(voted)).order_by(ElectorateEntry.name))
    return out


def main() -> None:
    from fazhi_shared.config import DEV_MODE
    from fazhi_shared.service.runner import check_settings

    from deliberation.config import SETTINGS

    if not DEV_MODE.get():
        sys.exit("deliberation.seed writes demo votes; it runs only in development mode "
                 "(FAZHI_DEV_MODE=true).")
    check_settings(SETTINGS, "deliberation")
    json.dump(seed(DATABASE_URL.get()), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
