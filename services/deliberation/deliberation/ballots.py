"""Use cases of ballots: cast (or replace while voting is open), the owner's own view, an
auditor's reads (each audited), receipts.

One current ballot per owner per item is the table's unique constraint; casting inserts
or, on conflict, moves the current ballot to the history and replaces it, in the same
transaction. Casting holds the matter's row in share mode and closing in update mode, so
no ballot slips in while the count runs.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PARTIES, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate

from fazhi_deliberation_contract.roles import BALLOT_AUDITORS, BALLOT_CLERKS

from deliberation import matters, policy
from deliberation.models import AgendaItem, Ballot, BallotHistory, ElectorateEntry, tables

ONLINE, PAPER, DOOR, PROXY = "online", "paper", "door_to_door", "proxy"


def _entry_for(session, matter, principal: Principal, data: dict) -> ElectorateEntry:
    channel = data["channel"]
    q = select(ElectorateEntry).where(ElectorateEntry.matter_id == matter.id)
    if channel == ONLINE:
        if not matter.electronic_ballots:
            raise Conflict("本地规则不允许线上投票，请使用纸质表决票或上门征询。",
                           "Electronic ballots are not allowed here: paper or door-to-door.")
        if not principal.person_id:
            raise Forbidden("您不在本事项的表决名单中。", "You are not on this vote's roll.")
        mine = list(session.scalars(q.where(
            ElectorateEntry.voter_person_id == principal.person_id)))
        if data.get("entry_id"):
            mine = [e for e in mine if e.id == data["entry_id"]]
        if not mine:
            raise Forbidden("您不在本事项的表决名单中。", "You are not on this vote's roll.")
        if len(mine) > 1:
            raise ValidationFailed.for_field("entry_id", "您代表多位业主，请选择代表哪一位投票。",
                                             "You vote for several owners: name which.")
        return mine[0]
    if not principal.can_act_at(BALLOT_CLERKS, matter.path):
        raise Forbidden()
    entry = None
    if data.get("entry_id"):
        entry = session.scalar(q.where(ElectorateEntry.id == data["entry_id"]))
    elif channel == PAPER and data.get("ballot_code"):
        entry = session.scalar(q.where(
            ElectorateEntry.ballot_code == data["ballot_code"].strip().upper()))
    if entry is None:
        raise ValidationFailed.for_field("entry_id", "表决名单中没有该业主。",
                                         "No such owner on the roll.")
    if channel == PAPER and (data.get("ballot_code") or "").strip().upper() != entry.ballot_code:
        raise ValidationFailed.for_field("ballot_code", "表决票编码与业主不符。",
                                         "The ballot's code does not match the owner.")
    if channel == PROXY:
        _check_proxy(session, matter, entry, data)
    return entry


def _check_proxy(session, matter, entry, data) -> None:
    if not data.get("proxy_name") or not data.get("proxy_evidence"):
        raise ValidationFailed.for_field("proxy_evidence", "委托投票须留存书面委托书。",
                                         "A proxy ballot keeps the written proxy.")
    rules = policy.local_rules(matter.path)
    if rules.proxy_property_staff_barred and data.get("proxy_is_property_staff"):
        raise ValidationFailed.for_field("proxy_name", "物业服务企业工作人员不得担任委托代理人。",
                                         "Property-company staff may not be proxies.")
    if rules.proxy_limit:
        same = (Ballot.proxy_person_id == data["proxy_person_id"]) if data.get(
            "proxy_person_id") else (Ballot.proxy_name == data["proxy_name"])
        represented = session.scalar(select(func.count(func.distinct(Ballot.entry_id))).where(
            Ballot.matter_id == matter.id, Ballot.channel == PROXY, same,
            Ballot.entry_id != entry.id))
        if represented >= rules.proxy_limit:
            raise ValidationFailed.for_field(
                "proxy_name", f"同一代理人最多代理 {rules.proxy_limit} 位业主。",
                f"One proxy may represent at most {rules.proxy_limit} owners.")


def cast_ballot(session, outbox, principal: Principal, data: dict) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"], lock="share")
    if matter.status != matters.VOTING:
        raise Conflict("当前不在投票期内。", "Voting is not open.")
    if clock.today_local() > matter.voting_ends_on:
        raise Conflict("投票已截止。", "Voting has ended.")
    entry = _entry_for(session, matter, principal, data)
    items = {i.id for i in session.scalars(select(AgendaItem).where(
        AgendaItem.matter_id == matter.id))}
    chosen = [c["item_id"] for c in data["choices"]]
    if len(set(chosen)) != len(chosen) or not set(chosen) <= items:
        raise ValidationFailed.for_field("choices", "只能对议程中的每一项各投一票。",
                                         "One choice per agenda item of this matter.")
    now = clock.now()
    receipt = policy.receipt_code()
    first = session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.matter_id == matter.id, Ballot.entry_id == entry.id)) == 0
    staff_entered = data["channel"] != ONLINE
    values = dict(matter_id=matter.id, entry_id=entry.id, path=matter.path,
                  voter_person_id=entry.voter_person_id, channel=data["channel"],
                  entered_by_account_id=principal.account_id if staff_entered else None,
                  proxy_name=data.get("proxy_name") if data["channel"] == PROXY else None,
                  proxy_person_id=data.get("proxy_person_id") if data["channel"] == PROXY else None,
                  proxy_evidence=data.get("proxy_evidence") if data["channel"] == PROXY else None,
                  receipt_code=receipt, cast_at=now)
    for c in data["choices"]:
        inserted = session.execute(
            insert(Ballot).values(id=new_id(), item_id=c["item_id"], choice=c["choice"],
                                  version=1, **values)
            .on_conflict_do_nothing(constraint="uq_ballot_item_entry")
            .returning(Ballot.id)).scalar()
        if inserted is not None:
            continue
        current = session.scalar(select(Ballot).where(
            Ballot.item_id == c["item_id"], Ballot.entry_id == entry.id).with_for_update())
        session.add(BallotHistory(
            id=new_id(), ballot_id=current.id, matter_id=current.matter_id,
            item_id=current.item_id, entry_id=current.entry_id, choice=current.choice,
            channel=current.channel, entered_by_account_id=current.entered_by_account_id,
            proxy_name=current.proxy_name, receipt_code=current.receipt_code,
            version=current.version, cast_at=current.cast_at, replaced_at=now))
        for k, v in values.items():
            setattr(current, k, v)
        current.choice = c["choice"]
        current.version += 1
    session.flush()
    audit.record(session, tables.audit_log, principal, "ballot.cast", "electorate_entry",
                 entry.id, matter.path, {"channel": data["channel"], "items": len(chosen),
                                         "matter_id": matter.id})
    household = entry.units[0]["unit_id"] if entry.units else None
    outbox.emit(session, "ballot.cast", {
        "matter_id": matter.id, "compound_id": matter.compound_id, "entry_id": entry.id,
        "voter_person_id": entry.voter_person_id, "household_unit_id": household,
        "channel": data["channel"], "first": first, "cast_at": clock.isoformat(now)},
        matter.path)
    return entry_ballots(session, matter.id, entry)


def entry_ballots(session, matter_id: str, entry: ElectorateEntry | None) -> dict:
    ballots = [] if entry is None else list(session.scalars(
        select(Ballot).join(AgendaItem, AgendaItem.id == Ballot.item_id)
        .where(Ballot.entry_id == entry.id).order_by(AgendaItem.seq)))
    return {"matter_id": matter_id, "entry_id": entry.id if entry else None,
            "area": entry.area if entry else None, "ballots": ballots}


def my_ballots(session, principal: Principal, data: dict) -> dict:
    """The caller's own ballots (as an owner's named voter); reading is audited."""
    matter = matters.visible_matter(session, principal, data["matter_id"])
    entry = None
    if principal.person_id:
        entry = session.scalar(select(ElectorateEntry).where(
            ElectorateEntry.matter_id == matter.id,
            ElectorateEntry.voter_person_id == principal.person_id).order_by(ElectorateEntry.id))
    if entry is not None:
        audit.record(session, tables.audit_log, principal, "ballot.read", "electorate_entry",
                     entry.id, matter.path, {"own": True})
    return entry_ballots(session, matter.id, entry)


def get_ballot(session, principal: Principal, data: dict) -> Ballot:
    """Its owner's voter or an auditor; anyone else 404. Every read is audited."""
    ballot = session.get(Ballot, data["ballot_id"])
    if ballot is None:
        raise NotFound()
    own = bool(principal.person_id) and ballot.voter_person_id == principal.person_id
    ensure_visible(principal, ballot.path, PARTIES, is_party=own, staff_roles=BALLOT_AUDITORS)
    audit.record(session, tables.audit_log, principal, "ballot.read", "ballot", ballot.id,
                 ballot.path, {"own": own})
    return ballot


def list_ballots(session, principal: Principal, data: dict) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"])
    if not principal.can_act_at(BALLOT_AUDITORS, matter.path):
        raise NotFound()
    page = paginate(session, select(Ballot).where(Ballot.matter_id == matter.id),
                    [Ballot.id], data.get("cursor"), data["limit"])
    audit.record(session, tables.audit_log, principal, "ballot.list", "matter", matter.id,
                 matter.path, {"ballots": len(page["items"])})
    return page


def check_receipt(session, principal: Principal, data: dict) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"])
    code = data["receipt_code"].strip().upper()
    titles = list(session.scalars(
        select(AgendaItem.title).join(Ballot, Ballot.item_id == AgendaItem.id)
        .where(Ballot.matter_id == matter.id, Ballot.receipt_code == code)
        .order_by(AgendaItem.seq)))
    return {"matter_id": matter.id, "receipt_code": code, "counted": bool(titles),
            "item_titles": titles}
