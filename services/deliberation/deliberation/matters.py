"""Use cases of matters: prepare one, give notice (freezing the electorate from org), open
and close its vote, read turnout, the result and the voter roll, take objections to the
roll, record proposals of an extraordinary meeting.

Each takes the session (and the outbox when it writes) from the RPC method and never
commits (``@endpoint`` does). Rules come from ``deliberation.domain``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ancestor_at, is_within
from fazhi_shared.scope import PUBLIC, STAFF, can_see, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_deliberation_contract.roles import MATTER_WRITERS

from deliberation import policy
from deliberation.domain import schedule
from deliberation.domain.electorate import freeze, mask_name
from deliberation.domain.votes import UNANIMOUS_BUILDING, Voter, decide, rule_of
from deliberation.models import (AgendaItem, Ballot, ElectorateEntry, Matter, Proposal,
                                 RollObjection, tables)

DRAFT, NOTICED, VOTING, CLOSED = "draft", "noticed", "voting", "closed"


# -- reading ----------------------------------------------------------------------------------
def compound_path(session, unit_tree, principal: Principal, compound_id: str) -> str:
    """The path of a compound the caller may see; 404 otherwise."""
    path = unit_tree.path_of(session, compound_id)
    if path is None or ancestor_at(path, "compound") != path:
        raise NotFound()
    ensure_visible(principal, path, PUBLIC)
    return path


def visibility_of(matter: Matter) -> str:
    """A draft stays with staff; from notice on, the compound's residents see it."""
    return STAFF if matter.status == DRAFT else PUBLIC


def is_voter(session, principal: Principal, matter_id: str) -> bool:
    if not principal.person_id:
        return False
    return session.scalar(select(func.count()).select_from(ElectorateEntry).where(
        ElectorateEntry.matter_id == matter_id,
        ElectorateEntry.voter_person_id == principal.person_id)) > 0


def visible_matter(session, principal: Principal, matter_id: str, lock: str | None = None
                   ) -> Matter:
    stmt = select(Matter).where(Matter.id == matter_id)
    if lock == "update":
        stmt = stmt.with_for_update()
    elif lock == "share":
        stmt = stmt.with_for_update(read=True)
    matter = session.scalar(stmt)
    if matter is None:
        raise NotFound()
    party = matter.status != DRAFT and is_voter(session, principal, matter.id)
    ensure_visible(principal, matter.path, visibility_of(matter), is_party=party)
    return matter


def require_writer(principal: Principal, matter: Matter) -> None:
    if not principal.can_act_at(MATTER_WRITERS, matter.path):
        raise Forbidden()


def items_of(session, matter_id: str) -> list[AgendaItem]:
    return list(session.scalars(select(AgendaItem).where(AgendaItem.matter_id == matter_id)
                                .order_by(AgendaItem.seq)))


def view(session, matter: Matter) -> dict:
    out = {c.key: getattr(matter, c.key) for c in Matter.__table__.columns}
    out["items"] = [{"id": i.id, "seq": i.seq, "title": i.title, "category": i.category,
                     "rule": i.rule, "description": i.description}
                    for i in items_of(session, matter.id)]
    return out


def get_matter(session, principal, data) -> dict:
    return view(session, visible_matter(session, principal, data["matter_id"]))


def list_matters(session, unit_tree, principal, data) -> dict:
    visibility = case((Matter.status == DRAFT, STAFF), else_=PUBLIC)
    stmt = select(Matter).where(scope_clause(principal, Matter.path, visibility))
    if data.get("compound_id"):
        stmt = stmt.where(Matter.compound_id == data["compound_id"])
    if data.get("status"):
        stmt = stmt.where(Matter.status == data["status"])
    page = paginate(session, stmt, [Matter.id], data.get("cursor"), data["limit"])
    return {"items": [view(session, m) for m in page["items"]],
            "next_cursor": page["next_cursor"]}


# -- preparing and notice ---------------------------------------------------------------------
def create_matter(session, unit_tree, principal: Principal, data: dict) -> dict:
    path = compound_path(session, unit_tree, principal, data["compound_id"])
    if not principal.can_act_at(MATTER_WRITERS, path):
        raise Forbidden()
    rules = policy.local_rules(path)
    category = data["category"]
    buildings = list(dict.fromkeys(data["building_ids"]))
    for b in buildings:
        b_path = unit_tree.path_of(session, b)
        if b_path is None or not is_within(b_path, path) or ancestor_at(b_path, "building") != b_path:
            raise ValidationFailed.for_field("building_ids", "楼栋不属于该小区。",
                                             "A building is not in this compound.")
    scope = data["electorate_scope"]
    if category == "business_use":
        unit_path = unit_tree.path_of(session, data["unit_id"]) if data.get("unit_id") else None
        if unit_path is None or not is_within(unit_path, path):
            raise ValidationFailed.for_field("unit_id", "请指明改为经营性用房的住宅。",
                                             "Name the home to be turned into business premises.")
        buildings = [unit_path.split("/")[-2]]
        scope = "buildings"
    elif scope == "buildings" and not buildings:
        raise ValidationFailed.for_field("building_ids", "请选择共有该部分的楼栋。",
                                         "Name the buildings sharing the part.")
    elif scope == "compound":
        buildings = []
    if data["deemed_consent"] and not rules.deemed_consent_allowed:
        raise ValidationFailed.for_field(
            "deemed_consent", "本地规则不允许“视为同意”。",
            "The local rules do not allow deemed consent.")
    item_categories = {i.get("category") or category for i in data["items"]}
    if category == "business_use" and item_categories != {"business_use"}:
        raise ValidationFailed.for_field("items", "改为经营性用房的事项只能表决该事项。",
                                         "An art. 279 matter votes on that change only.")
    matter = Matter(id=new_id(), compound_id=data["compound_id"], path=path,
                    title=data["title"].strip(), category=category,
                    description=data["description"], status=DRAFT, electorate_scope=scope,
                    building_ids=buildings, unit_id=data.get("unit_id"),
                    voting_days=data.get("voting_days") or rules.voting_days,
                    electronic_ballots=rules.electronic_ballots,
                    deemed_consent=data["deemed_consent"], count_parking=rules.parking_counts,
                    created_by=principal.account_id, created_at=clock.now())
    session.add(matter)
    session.flush()
    for seq, item in enumerate(data["items"], start=1):
        item_category = item.get("category") or category
        session.add(AgendaItem(id=new_id(), matter_id=matter.id, seq=seq,
                               title=item["title"].strip(), category=item_category,
                               rule=rule_of(item_category), description=item["description"]))
    session.flush()
    audit.record(session, tables.audit_log, principal, "matter.create", "matter", matter.id,
                 path, {"category": category, "items": len(data["items"])})
    return view(session, matter)


def give_notice(session, outbox, org: policy.Org, principal: Principal, data: dict) -> dict:
    """Give notice: org's electorate at this moment is frozen into the matter's voters.
    org is asked before anything is written: if it does not answer, nothing changes."""
    matter = visible_matter(session, principal, data["matter_id"], lock="update")
    require_writer(principal, matter)
    if matter.status != DRAFT:
        raise Conflict("该事项已公告。", "Notice has already been given.")
    rules = policy.local_rules(matter.path)
    days = data.get("notice_days") or rules.notice_days
    if days < rules.notice_days:
        raise ValidationFailed.for_field(
            "notice_days", f"公告期不得少于 {rules.notice_days} 日。",
            f"The notice period is at least {rules.notice_days} days.")
    today = clock.today_local()
    noticed_on = data.get("noticed_on") or today
    if noticed_on < today:
        raise ValidationFailed.for_field("noticed_on", "公告日期不能早于今天。",
                                         "Notice cannot be dated before today.")
    as_of = clock.now()
    answer = org.call("electorate", compound_id=matter.compound_id,
                      as_of=clock.isoformat(as_of))
    frozen = freeze(answer, matter.building_ids or None,
                    matter.unit_id if matter.category == "business_use" else None,
                    matter.count_parking)
    codes: set[str] = set()
    for e in frozen:
        ballot_code = policy.code(8)
        while ballot_code in codes:
            ballot_code = policy.code(8)
        codes.add(ballot_code)
        session.add(ElectorateEntry(id=new_id(), matter_id=matter.id, owner_id=e.owner_id,
                                    voter_person_id=e.voter_person_id, name=e.name,
                                    kind=e.kind, area=e.area, heads=1, units=e.units,
                                    ballot_code=ballot_code))
    cal = policy.calendar()
    end = schedule.notice_period_end(cal, noticed_on, days)
    matter.status = NOTICED
    matter.notice_days = days
    matter.noticed_on = noticed_on
    matter.notice_period_ends = end.last_day
    matter.notice_end_approximate = end.approximate
    matter.roll_objections_until = end.last_day
    matter.electorate_as_of = as_of
    matter.total_area = sum(e.area for e in frozen)
    matter.total_owners = len(frozen)
    session.flush()
    audit.record(session, tables.audit_log, principal, "matter.notice", "matter", matter.id,
                 matter.path, {"owners": matter.total_owners, "area": matter.total_area,
                               "notice_days": days})
    outbox.emit(session, "matter.noticed", {
        "matter_id": matter.id, "compound_id": matter.compound_id, "category": matter.category,
        "noticed_on": noticed_on.isoformat(), "notice_period_ends": end.last_day.isoformat(),
        "total_area": matter.total_area, "total_owners": matter.total_owners}, matter.path)
    return view(session, matter)


def open_voting(session, outbox, principal: Principal, data: dict) -> dict:
    matter = visible_matter(session, principal, data["matter_id"], lock="update")
    require_writer(principal, matter)
    if matter.status != NOTICED:
        raise Conflict("只有已公告的事项可以开始投票。", "Only a noticed matter can open voting.")
    cal = policy.calendar()
    today = clock.today_local()
    schedule.require_may_open(cal, matter.noticed_on, matter.notice_days, today)
    matter.status = VOTING
    matter.voting_opened_at = clock.now()
    matter.voting_ends_on = schedule.voting_ends(cal, today, matter.voting_days).last_day
    session.flush()
    audit.record(session, tables.audit_log, principal, "matter.open", "matter", matter.id,
                 matter.path, {"voting_ends_on": matter.voting_ends_on.isoformat()})
    outbox.emit(session, "matter.opened", {
        "matter_id": matter.id, "compound_id": matter.compound_id,
        "opened_at": clock.isoformat(matter.voting_opened_at),
        "voting_ends_on": matter.voting_ends_on.isoformat()}, matter.path)
    return view(session, matter)


# -- counting ---------------------------------------------------------------------------------
def current_ballots(session, matter_id: str) -> dict[str, dict[str, str]]:
    """item id → {entry id → choice} of the current ballots."""
    out: dict[str, dict[str, str]] = {}
    for item_id, entry_id, choice in session.execute(
            select(Ballot.item_id, Ballot.entry_id, Ballot.choice)
            .where(Ballot.matter_id == matter_id)):
        out.setdefault(item_id, {})[entry_id] = choice
    return out


def voters(session, matter_id: str) -> list[Voter]:
    return [Voter(i, a) for i, a in session.execute(
        select(ElectorateEntry.id, ElectorateEntry.area)
        .where(ElectorateEntry.matter_id == matter_id))]


def close_vote(session, outbox, principal: Principal, data: dict) -> dict:
    matter = visible_matter(session, principal, data["matter_id"], lock="update")
    require_writer(principal, matter)
    if matter.status != VOTING:
        raise Conflict("只有投票中的事项可以结束投票。", "Only a running vote can be closed.")
    today = clock.today_local()
    if today <= matter.voting_ends_on:
        raise Conflict(f"投票期至 {matter.voting_ends_on.isoformat()} 止，届满后方可计票。",
                       f"Voting runs until {matter.voting_ends_on.isoformat()}; count after.")
    electorate = voters(session, matter.id)
    cast = current_ballots(session, matter.id)
    figures = []
    for item in items_of(session, matter.id):
        d = decide(item.rule, electorate, cast.get(item.id, {}),
                   deemed_consent=matter.deemed_consent and item.rule != UNANIMOUS_BUILDING)
        item.result = d.as_dict()
        figures.append({"item_id": item.id, **item.result})
    cal = policy.calendar()
    matter.status = CLOSED
    matter.closed_at = clock.now()
    rules = policy.local_rules(matter.path)
    matter.posted_until = schedule.posting_ends(cal, today, rules.posting_days).last_day
    matter.challenge_until = schedule.challenge_until(cal, today)
    session.flush()
    audit.record(session, tables.audit_log, principal, "matter.close", "matter", matter.id,
                 matter.path, {"passed": [f["passed"] for f in figures]})
    outbox.emit(session, "matter.closed", {
        "matter_id": matter.id, "compound_id": matter.compound_id,
        "closed_at": clock.isoformat(matter.closed_at), "items": figures}, matter.path)
    return result_view(session, matter)


def result_view(session, matter: Matter) -> dict:
    return {"matter_id": matter.id, "title": matter.title, "closed_at": matter.closed_at,
            "posted_until": matter.posted_until, "objections_until": matter.posted_until,
            "challenge_until": matter.challenge_until,
            "items": [{"item_id": i.id, "seq": i.seq, "title": i.title,
                       "category": i.category, **(i.result or {})}
                      for i in items_of(session, matter.id)]}


def get_result(session, principal, data) -> dict:
    matter = visible_matter(session, principal, data["matter_id"])
    if matter.status != CLOSED:
        raise Conflict("投票尚未结束，结果未产生。", "The vote has not closed yet.")
    return result_view(session, matter)


def turnout(session, principal, data) -> dict:
    """Heads and area that took part, per item: no yes/no split (not before closing
    either: the result does that)."""
    matter = visible_matter(session, principal, data["matter_id"])
    if matter.status in (DRAFT,):
        raise Conflict("尚未公告。", "Notice has not been given.")
    rows = dict((r.item_id, r) for r in session.execute(
        select(Ballot.item_id, func.count().label("owners"),
               func.coalesce(func.sum(ElectorateEntry.area), 0).label("area"))
        .join(ElectorateEntry, ElectorateEntry.id == Ballot.entry_id)
        .where(Ballot.matter_id == matter.id).group_by(Ballot.item_id)))
    items = []
    for item in items_of(session, matter.id):
        r = rows.get(item.id)
        items.append({"item_id": item.id, "seq": item.seq, "title": item.title,
                      "participating_owners": r.owners if r else 0,
                      "participating_area": int(r.area) if r else 0})
    return {"matter_id": matter.id, "status": matter.status, "total_area": matter.total_area,
            "total_owners": matter.total_owners, "items": items, "as_of": clock.now()}


# -- the voter roll and its objections ----------------------------------------------------------
def voter_roll(session, principal, data) -> dict:
    matter = visible_matter(session, principal, data["matter_id"])
    if matter.status == DRAFT:
        raise Conflict("尚未公告，表决名单未产生。", "Notice has not been given.")
    staff = can_see(principal, matter.path, STAFF)
    page = paginate(session, select(ElectorateEntry).where(
        ElectorateEntry.matter_id == matter.id), [ElectorateEntry.id], data.get("cursor"),
        data["limit"])
    return {"items": [{"id": e.id, "name": e.name if staff else mask_name(e.name),
                       "kind": e.kind, "area": e.area, "heads": e.heads,
                       "units": [u.get("name") or "" for u in e.units]}
                      for e in page["items"]], "next_cursor": page["next_cursor"]}


def object_to_roll(session, principal, data) -> RollObjection:
    matter = visible_matter(session, principal, data["matter_id"])
    if matter.status == DRAFT:
        raise Conflict("尚未公告。", "Notice has not been given.")
    if clock.today_local() > matter.roll_objections_until:
        raise Conflict("表决名单异议期已过。", "The window for objections to the roll has closed.")
    objection = RollObjection(id=new_id(), matter_id=matter.id, path=matter.path,
                              account_id=principal.account_id, person_id=principal.person_id,
                              text=data["text"].strip(), status="open", created_at=clock.now())
    session.add(objection)
    session.flush()
    audit.record(session, tables.audit_log, principal, "roll.object", "roll_objection",
                 objection.id, matter.path, {"matter_id": matter.id})
    return objection


def list_objections(session, principal, data) -> dict:
    matter = visible_matter(session, principal, data["matter_id"])
    ensure_visible(principal, matter.path, STAFF)
    return paginate(session, select(RollObjection).where(
        RollObjection.matter_id == matter.id), [RollObjection.id], data.get("cursor"),
        data["limit"])


def decide_objection(session, principal, data) -> RollObjection:
    objection = session.get(RollObjection, data["objection_id"], with_for_update=True)
    if objection is None:
        raise NotFound()
    ensure_visible(principal, objection.path, STAFF)
    if not principal.can_act_at(MATTER_WRITERS, objection.path):
        raise Forbidden()
    if data["status"] == "open":
        raise ValidationFailed.for_field("status", "请选择采纳或不采纳。",
                                         "Accept or reject.")
    objection.status = data["status"]
    objection.decision = data["decision"]
    objection.decided_at = clock.now()
    audit.record(session, tables.audit_log, principal, "roll.objection.decide",
                 "roll_objection", objection.id, objection.path, {"status": objection.status})
    return objection


# -- proposals of an extraordinary meeting ------------------------------------------------------
def record_proposal(session, unit_tree, org: policy.Org, principal, data) -> dict:
    path = compound_path(session, unit_tree, principal, data["compound_id"])
    if not principal.can_act_at(MATTER_WRITERS, path):
        raise Forbidden()
    answer = org.call("electorate", compound_id=data["compound_id"])
    owners = {o["owner_id"] for o in answer.get("owners") or []}
    if data["owner_id"] not in owners:
        raise ValidationFailed.for_field("owner_id", "不是该小区的业主。",
                                         "Not an owner of this compound.")
    exists = session.scalar(select(Proposal).where(
        Proposal.compound_id == data["compound_id"], Proposal.owner_id == data["owner_id"]))
    if exists is None:
        session.add(Proposal(id=new_id(), compound_id=data["compound_id"], path=path,
                             owner_id=data["owner_id"], text=data["text"],
                             recorded_by=principal.account_id, created_at=clock.now()))
        session.flush()
        audit.record(session, tables.audit_log, principal, "proposal.record", "proposal",
                     data["owner_id"], path, {})
    return tally(session, data["compound_id"], owners)


def tally(session, compound_id: str, owners: set) -> dict:
    proposing = session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.compound_id == compound_id, Proposal.owner_id.in_(owners or {""})))
    total = len(owners)
    # "20 % 以上" includes 20 %: 5·proposing ≥ total.
    return {"compound_id": compound_id, "proposing_owners": proposing, "total_owners": total,
            "extraordinary_meeting_due": total > 0 and 5 * proposing >= total}


def proposal_tally(session, unit_tree, org: policy.Org, principal, data) -> dict:
    path = compound_path(session, unit_tree, principal, data["compound_id"])
    ensure_visible(principal, path, STAFF)
    answer = org.call("electorate", compound_id=data["compound_id"])
    return tally(session, data["compound_id"],
                 {o["owner_id"] for o in answer.get("owners") or []})


def today() -> date:
    return clock.today_local()
