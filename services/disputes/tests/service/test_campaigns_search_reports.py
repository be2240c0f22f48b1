"""Campaigns, search and filters, the overdue timer, the .xlsx reports and cases passed
on by the legal and deliberation services, through the gateway on the real services."""
import io
from datetime import timedelta

import openpyxl
from kombu import Connection
from sqlalchemy.orm import Session

from fazhi_shared import clock
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.outbox import Outbox, event_exchange, make_envelope
from fazhi_shared.service.testing import service_amqp_uri, wait_until


def test_a_campaign_with_one_unverified_item_refuses_to_close(world):
    worker = world.api["worker"]
    u = world.units
    campaign = worker.ok("POST", "/campaigns", {
        "name": "小区环境专项整治", "starts_on": "2026-11-01", "ends_on": "2026-12-31",
        "unit_ids": [u["compound"]["id"], u["compound2"]["id"]],
        "issue_types": ["clutter", "illegal_building"]}, status=201)
    assert campaign["path"] == u["community"]["path"] and campaign["state"] == "open"
    items = [worker.ok("POST", f"/campaigns/{campaign['id']}/items", {
        "unit_id": u[where]["id"], "issue_type": "clutter",
        "description": f"{where} 楼道堆物"}, status=201) for where in ("building", "compound2")]
    code, body = worker.post(f"/campaigns/{campaign['id']}/items", {
        "unit_id": u["compound"]["id"], "issue_type": "parking", "description": "乱停车"})
    assert code == 422 and "issue_type" in body["error"]["fields"]
    code, body = worker.post(f"/campaigns/{campaign['id']}/items", {
        "unit_id": u["compound_b"]["id"], "issue_type": "clutter", "description": "范围外"})
    assert code in (404, 422)
    first, second = items
    for action in ("start", "submit", "verify", "close"):
        first = worker.ok("POST", f"/items/{first['id']}/actions", {"action": action})
    for action in ("start", "submit"):
        second = worker.ok("POST", f"/items/{second['id']}/actions", {"action": action})
    second = worker.ok("POST", f"/items/{second['id']}/actions",
                       {"action": "send_back", "note": "整改不彻底"})
    assert second["state"] == "sent_back" and second["sent_back_count"] == 1
    for action in ("start", "submit", "verify"):
        second = worker.ok("POST", f"/items/{second['id']}/actions", {"action": action})
    code, body = worker.post(f"/campaigns/{campaign['id']}/close")
    assert code == 409 and "1 个" in body["error"]["message"]          # verified, not closed
    progress = worker.ok("GET", f"/campaigns/{campaign['id']}/progress")
    assert (progress["total"], progress["closed"]) == (2, 1)
    per_unit = {x["name"]: x for x in progress["units"]}
    assert per_unit["阳光花园"]["by_state"] == {"closed": 1}
    assert per_unit["滨江小区"]["by_state"] == {"verified": 1}
    worker.ok("POST", f"/items/{second['id']}/actions", {"action": "close"})
    closed = worker.ok("POST", f"/campaigns/{campaign['id']}/close")
    assert closed["state"] == "closed" and closed["closed_at"]
    events = {r["event_type"] for r in _rows(world, "SELECT event_type FROM outbox")}
    assert {"disputes.rectification_item.sent_back",
            "disputes.rectification_item.closed"} <= events
    assert world.api["worker_b"].get(f"/campaigns/{campaign['id']}")[0] == 404


def _rows(world, sql, **params):
    from sqlalchemy import text

    with engine_for(world.db).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def test_search_in_chinese_combined_with_filters(world, flows):
    admin = world.api["admin"]
    leak = flows.new_case(admin, world, description="卫生间漏水渗到楼下天花板，楼下要求赔偿。")
    noise = flows.new_case(admin, world, category="neighbours", subtype="noise",
                           description="楼上深夜装修噪声扰民。")
    parking = flows.new_case(admin, world, unit="compound2", category="property",
                             subtype="parking", description="地下车库车位被长期占用，漏水严重。")
    found = {c["id"] for c in admin.ok("GET", "/cases", q="漏水", limit=200)["items"]}
    assert {leak["id"], parking["id"]} <= found and noise["id"] not in found
    found = {c["id"] for c in admin.ok("GET", "/cases", q="天花板漏水", limit=200)["items"]}
    assert leak["id"] in found and parking["id"] not in found
    found = {c["id"] for c in admin.ok("GET", "/cases", q="漏水", category="property",
                                       limit=200)["items"]}
    assert found == {parking["id"]}
    found = {c["id"] for c in admin.ok("GET", "/cases", q="漏水",
                                       unit_id=world.units["compound"]["id"],
                                       limit=200)["items"]}
    assert leak["id"] in found and parking["id"] not in found
    # user text is never tsquery syntax: operators are plain characters
    for q in ("漏水 & !", "':*|(", "\\", "漏水 <-> 天花板"):
        code, _ = admin.get("/cases", q=q)
        assert code == 200
    assert admin.get("/cases", q="x" * 101)[0] == 422
    page = admin.ok("GET", "/cases", state="registered", source="party_application",
                    urgency="normal", level="compound", limit=2)
    assert len(page["items"]) == 2 and page["next_cursor"]
    nxt = admin.ok("GET", "/cases", state="registered", source="party_application",
                   urgency="normal", level="compound", limit=2, cursor=page["next_cursor"])
    assert not {c["id"] for c in page["items"]} & {c["id"] for c in nxt["items"]}


def test_the_overdue_timer_flags_cases_past_their_time_limit(world, flows):
    from disputes import cases
    from disputes.models import tables

    admin = world.api["admin"]
    late = flows.act(admin, flows.new_case(admin, world), "accept")
    fresh = flows.act(admin, flows.new_case(admin, world), "accept")
    assert late["due_on"] and not late["overdue"]
    past = clock.today_local() - timedelta(days=1)
    flows.execute(world.db, "UPDATE cases SET due_on = :d WHERE id = :i", d=past, i=late["id"])
    with Session(engine_for(world.db)) as session, session.begin():
        assert cases.sweep_overdue(session, Outbox("disputes", tables.outbox),
                                   clock.today_local()) >= 1
    assert admin.ok("GET", f"/cases/{late['id']}")["overdue"] is True
    overdue = {c["id"] for c in admin.ok("GET", "/cases", overdue="true",
                                         unit_id=world.units["compound"]["id"],
                                         limit=200)["items"]}
    assert late["id"] in overdue and fresh["id"] not in overdue
    month = clock.to_local(clock.now()).strftime("%Y-%m")
    stats = admin.ok("GET", "/statistics", from_month=month, to_month=month)
    assert stats["overdue"] >= 1
    assert _rows(world, "SELECT 1 FROM outbox WHERE event_type = 'disputes.case.overdue' "
                 "AND envelope->'payload'->>'id' = :i", i=late["id"])
    log = admin.ok("GET", f"/cases/{late['id']}/log")["items"]
    assert log[-1]["action"] == "overdue" and log[-1]["actor_kind"] == "service"
    escalated = flows.act(admin, admin.ok("GET", f"/cases/{late['id']}"), "escalate",
                          reason="逾期未结，上交社区。")
    assert escalated["overdue"] is False and escalated["due_on"] > past.isoformat()
    after = admin.ok("GET", "/statistics", from_month=month, to_month=month)
    assert after["overdue"] == stats["overdue"] - 1


def test_zero_case_compounds_and_the_xlsx_reports(world, flows):
    admin = world.api["admin"]
    flows.settle(admin, flows.new_case(admin, world))
    month = clock.to_local(clock.now()).strftime("%Y-%m")
    stats = admin.ok("GET", "/statistics", from_month=month, to_month=month,
                     group_by="street")
    zero = {c["name"] for c in stats["zero_case_compounds"]}
    assert "东街公寓" in zero and "阳光花园" not in zero
    assert {r["name"] for r in stats["by_unit"]} >= {"济川街道"}
    r = world.client.get("/api/v1/disputes/reports/monthly", headers=admin.headers,
                         query_string={"from_month": month, "to_month": month})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert ws.title == "人民调解月报" and ws.cell(2, 1).value == month
    assert ws.cell(3, 1).value == "合计" and ws.cell(3, 2).value == stats["registered"]
    r = world.client.get("/api/v1/disputes/reports/ledger", headers=admin.headers,
                         query_string={"from_month": month, "to_month": month})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert ws.cell(1, 1).value == "编号" and ws.max_row >= 2
    assert world.api["resident"].get("/reports/ledger", from_month=month,
                                     to_month=month)[0] == 403


def _publish(world, service, event_type, payload, path):
    envelope = make_envelope(f"{service}.{event_type}", payload, path)
    exchange = event_exchange(service)
    with Connection(service_amqp_uri(service, world.amqp_uri)) as conn:
        conn.Producer(serializer="json").publish(
            envelope, exchange=exchange, routing_key=event_type, declare=[exchange],
            user_id=f"fazhi-{service}")
    return envelope


def test_consultations_and_appeals_become_cases_once(world):
    u, resident = world.units, world.logins["resident"]
    consultation = {"consultation_id": "01a22daa-0000-7000-8000-000000000001",
                    "compound_id": u["compound"]["id"], "path": u["building"]["path"],
                    "person_id": resident["person_id"], "topic": "neighbours",
                    "summary": "咨询后转为邻里纠纷：楼上漏水。", "escalated_by": None,
                    "occurred_at": clock.isoformat(clock.now())}
    for _ in range(2):
        _publish(world, "legal", "consultation.escalated", consultation, u["building"]["path"])
    appeal = {"appeal_id": "01a22daa-0000-7000-8000-000000000002",
              "compound_id": u["compound2"]["id"], "path": u["compound2"]["path"],
              "person_id": None, "category": "parking", "summary": "诉求转纠纷：车位纠纷。",
              "referred_by": None, "occurred_at": clock.isoformat(clock.now())}
    _publish(world, "deliberation", "appeal.referred", appeal, u["compound2"]["path"])

    def registered():
        got = _rows(world, "SELECT source, source_ref, category, subtype, path FROM cases "
                    "WHERE source IN ('consultation', 'appeal') ORDER BY source")
        return got if len(got) == 2 else None

    appeal_case, consult_case = wait_until(registered, timeout=20, what="cases from events")
    assert consult_case["path"] == u["building"]["path"] and consult_case["category"] == "neighbours"
    assert appeal_case["category"] == "property" and appeal_case["subtype"] == "parking"
    mine = world.api["resident"].ok("GET", "/cases", limit=200)["items"]
    assert any(c["summary"].startswith("咨询后转为邻里纠纷") for c in mine)
    _publish(world, "legal", "consultation.escalated", consultation, u["building"]["path"])
    import time

    time.sleep(1.0)
    assert len(_rows(world, "SELECT 1 FROM cases WHERE source = 'consultation'")) == 1


def test_cases_and_their_statistics_follow_org_moves(world, flows):
    """org moves a compound to another community: the case paths, compound paths, the
    statistics and the scope follow (the unit-tree event through the broker)."""
    from fazhi_shared.context import Principal
    from fazhi_shared.service.testing import call_as

    admin, u = world.api["admin"], world.units
    compound = call_as(Principal.system(), "org", "create_unit", parent_id=u["community"]["id"],
                       kind="compound", name="搬迁小区")
    building = call_as(Principal.system(), "org", "create_unit", parent_id=compound["id"],
                       kind="building", name="1幢")
    wait_until(lambda: _rows(world, "SELECT 1 FROM unit_tree WHERE id = :i", i=building["id"]),
               timeout=20, what="the new building in the read model")
    case = flows.new_case(admin, world, unit_id=building["id"])
    assert case["compound_id"] == compound["id"]
    call_as(Principal.system(), "org", "move_unit", id=compound["id"],
            new_parent_id=u["community_b"]["id"])
    new_path = f"{u['community_b']['path']}/{compound['id']}"

    def moved():
        got = admin.ok("GET", f"/cases/{case['id']}")
        return got if got["path"].startswith(new_path) else None

    after = wait_until(moved, timeout=20, what="the case to follow the move")
    assert after["compound_id"] == compound["id"]
    [row] = _rows(world, "SELECT compound_path FROM cases WHERE id = :i", i=case["id"])
    assert row["compound_path"] == new_path
    assert _rows(world, "SELECT 1 FROM stat_counters WHERE compound_path = :p", p=new_path)
    assert world.api["worker_b"].ok("GET", f"/cases/{case['id']}")["id"] == case["id"]
    assert world.api["worker"].get(f"/cases/{case['id']}")[0] == 404
