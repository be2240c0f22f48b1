"""Use cases of special campaigns and their rectification items (整改销号)."""
from __future__ import annotations

import os

from sqlalchemy import func, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ids, is_within
from fazhi_shared.scope import STAFF, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_disputes_contract.roles import (CAMPAIGN_MANAGERS, ITEM_VERIFIERS, ITEM_WORKERS)

from disputes.cases import unit_path
from disputes.domain import campaigns as rules
from disputes.domain.intake import clean_text, require_role
from disputes.models import Campaign, RectificationItem, tables


def _common_ancestor(paths: list[str]) -> str:
    prefix = os.path.commonpath(paths)
    return prefix if prefix != "/" else paths[0]


def create(session, unit_tree, principal: Principal, data: dict) -> Campaign:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed.for_field("ends_on", "结束日期不能早于开始日期。",
                                         "The campaign ends before it starts.")
    paths = [unit_path(session, unit_tree, principal, u) for u in dict.fromkeys(data["unit_ids"])]
    for p in paths:
        require_role(principal, CAMPAIGN_MANAGERS, p)
    campaign = Campaign(
        id=new_id(), name=clean_text(data["name"], "name"), path=_common_ancestor(paths),
        starts_on=data["starts_on"], ends_on=data["ends_on"],
        unit_ids=[ids(p)[-1] for p in paths], issue_types=sorted(set(data["issue_types"])),
        state="open", created_by_person_id=principal.person_id, created_at=clock.now())
    session.add(campaign)
    session.flush()
    audit.record(session, tables.audit_log, principal, "campaign.create", "campaign",
                 campaign.id, campaign.path, {"units": len(paths)})
    return campaign


def visible_campaign(session, principal: Principal, campaign_id: str, lock=False) -> Campaign:
    stmt = select(Campaign).where(Campaign.id == campaign_id)
    if lock:
        stmt = stmt.with_for_update()
    campaign = session.execute(stmt).scalar()
    if campaign is None:
        raise NotFound()
    ensure_visible(principal, campaign.path, STAFF, staff_roles=ITEM_WORKERS)
    return campaign


def list_campaigns(session, principal: Principal, data: dict) -> dict:
    stmt = select(Campaign).where(scope_clause(principal, Campaign.path,
                                               staff_roles=ITEM_WORKERS))
    if data.get("state"):
        stmt = stmt.where(Campaign.state == data["state"])
    return paginate(session, stmt, [Campaign.id], data.get("cursor"), data["limit"])


def close(session, principal: Principal, data: dict) -> Campaign:
    """Close a campaign: refused while any item is not verified and closed."""
    campaign = visible_campaign(session, principal, data["campaign_id"], lock=True)
    require_role(principal, CAMPAIGN_MANAGERS, campaign.path)
    if campaign.state == "closed":
        return campaign
    states = session.execute(select(RectificationItem.state).where(
        RectificationItem.campaign_id == campaign.id)).scalars().all()
    rules.require_closable(states)
    campaign.state, campaign.closed_at = "closed", clock.now()
    audit.record(session, tables.audit_log, principal, "campaign.close", "campaign",
                 campaign.id, campaign.path, {"items": len(states)})
    return campaign


def add_item(session, unit_tree, principal: Principal, data: dict) -> RectificationItem:
    campaign = visible_campaign(session, principal, data["campaign_id"])
    if campaign.state != "open":
        from fazhi_shared.errors import Conflict

        raise Conflict("专项行动已结束。", "The campaign is closed.")
    path = unit_path(session, unit_tree, principal, data["unit_id"])
    require_role(principal, ITEM_WORKERS, path)
    scope = [p for p in _scope_paths(session, campaign) if is_within(path, p)]
    if not scope:
        raise ValidationFailed.for_field("unit_id", "该单元不在专项行动范围内。",
                                         "The unit is outside the campaign's scope.")
    if data["issue_type"] not in campaign.issue_types:
        raise ValidationFailed.for_field("issue_type", "该问题类型不在专项行动范围内。",
                                         "The campaign does not target this issue type.")
    now = clock.now()
    item = RectificationItem(
        id=new_id(), campaign_id=campaign.id, unit_id=data["unit_id"], path=path,
        issue_type=data["issue_type"], description=clean_text(data["description"]),
        assignee_person_id=data.get("assignee_person_id"), due_on=data.get("due_on"),
        state="assigned", sent_back_count=0, created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    audit.record(session, tables.audit_log, principal, "item.create", "rectification_item",
                 item.id, item.path, {"campaign_id": campaign.id})
    return item


def _scope_paths(session, campaign: Campaign) -> list[str]:
    u = tables.unit_tree
    return list(session.execute(select(u.c.path).where(u.c.id.in_(campaign.unit_ids))).scalars())


def list_items(session, principal: Principal, data: dict) -> dict:
    campaign = visible_campaign(session, principal, data["campaign_id"])
    stmt = select(RectificationItem).where(RectificationItem.campaign_id == campaign.id)
    if data.get("state"):
        stmt = stmt.where(RectificationItem.state == data["state"])
    return paginate(session, stmt, [RectificationItem.id], data.get("cursor"), data["limit"])


def act_on_item(session, outbox, principal: Principal, data: dict) -> RectificationItem:
    item = session.execute(select(RectificationItem).where(
        RectificationItem.id == data["item_id"]).with_for_update()).scalar()
    if item is None:
        raise NotFound()
    ensure_visible(principal, item.path, STAFF, staff_roles=ITEM_WORKERS)
    action = data["action"]
    roles = ITEM_VERIFIERS if action in rules.VERIFYING_ACTIONS else ITEM_WORKERS
    require_role(principal, roles, item.path)
    item.state = rules.item_next_state(item.state, action)
    item.updated_at = clock.now()
    if action == "send_back":
        item.sent_back_count += 1
    audit.record(session, tables.audit_log, principal, f"item.{action}", "rectification_item",
                 item.id, item.path, {"state": item.state, "note": data.get("note")})
    if action in ("send_back", "close"):
        verb = "sent_back" if action == "send_back" else "closed"
        outbox.emit(session, f"rectification_item.{verb}", {
            "id": item.id, "campaign_id": item.campaign_id, "unit_id": item.unit_id,
            "issue_type": item.issue_type, "state": item.state,
            "occurred_at": clock.isoformat(item.updated_at)}, item.path)
    return item


def progress(session, principal: Principal, data: dict) -> dict:
    """Items by state for each unit of the campaign's scope."""
    campaign = visible_campaign(session, principal, data["campaign_id"])
    u = tables.unit_tree
    scope = session.execute(select(u.c.id, u.c.name, u.c.path)
                            .where(u.c.id.in_(campaign.unit_ids))).all()
    counts = session.execute(select(RectificationItem.path, RectificationItem.state,
                                    func.count()).where(
        RectificationItem.campaign_id == campaign.id)
        .group_by(RectificationItem.path, RectificationItem.state)).all()
    units = []
    for unit_id, name, path in sorted(scope, key=lambda r: r.name):
        by_state: dict = {}
        for item_path, state, n in counts:
            if is_within(item_path, path):
                by_state[state] = by_state.get(state, 0) + n
        units.append({"unit_id": unit_id, "name": name, "total": sum(by_state.values()),
                      "closed": by_state.get("closed", 0), "by_state": by_state})
    return {"campaign_id": campaign.id, "total": sum(n for _, _, n in counts),
            "closed": sum(n for _, s, n in counts if s == "closed"), "units": units}
