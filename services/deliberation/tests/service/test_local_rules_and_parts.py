"""Local rules as settings (proxy limits, property staff barred, no electronic ballots,
deemed consent reported apart), the electorate of a shared part and of art. 279, the
voter roll's objection window and the extraordinary meeting due at 20 % of owners."""
from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Conflict, Forbidden, ValidationFailed
from fazhi_shared.service.testing import call_as

from .conftest import SYSTEM, import_compound, owner_rows, user, wait_for_compound



@pytest.fixture(scope="module")
def compound(city, databases):
    # 10 owners: 0–5 in 1幢 (owner 0 also holds 2幢/099), 6–9 in 2幢
    rows = owner_rows(["100.00"] * 10, 51, building_of=lambda i: "1幢" if i < 6 else "2幢")
    rows.append({**rows[0], "building": "2幢", "unit": "099", "registered_area": "50.00"})
    c = import_compound(city, "规则小区", rows)
    wait_for_compound(databases["deliberation"], c["id"])
    electorate = call_as(SYSTEM, "org", "electorate", compound_id=c["id"])
    c["owners"] = {o["name"]: o for o in electorate["owners"]}
    c["buildings"] = {b["name"]: b["id"] for b in call_as(
        SYSTEM, "org", "list_units", parent_id=c["id"], limit=10)["items"]}
    return c


@pytest.fixture(scope="module")
def worker(city):
    return user("community_worker", city["community"]["path"])


def noticed_and_open(worker, set_today, **matter):
    m = call_as(worker, "deliberation", "create_matter", **matter)
    n = call_as(worker, "deliberation", "give_notice", matter_id=m["id"])
    set_today(date.fromisoformat(n["notice_period_ends"]) + timedelta(days=1))
    return call_as(worker, "deliberation", "open_voting", matter_id=m["id"])


def roll_ids(worker, matter_id):
    return {e["name"]: e["id"] for e in call_as(worker, "deliberation", "voter_roll",
                                                 matter_id=matter_id, limit=200)["items"]}


def test_proxies_follow_the_local_limits_and_staff_are_barred(
        compound, worker, set_today, monkeypatch):
    monkeypatch.setenv("DELIBERATION_LOCAL_RULES", json.dumps({compound["id"]: {"proxy_limit": 2}}))
    v = noticed_and_open(worker, set_today, compound_id=compound["id"], title="代理投票规则",
                         category="owners_convention", items=[{"title": "修改管理规约"}])
    item = v["items"][0]["id"]
    entries = roll_ids(worker, v["id"])
    evidence = files.put_bytes(b"%PDF-1.4 proxy", "application/pdf", "委托书.pdf")

    def by_proxy(name, **extra):
        return call_as(worker, "deliberation", "cast_ballot", matter_id=v["id"], channel="proxy",
                       entry_id=entries[name], proxy_name="王代理",
                       choices=[{"item_id": item, "choice": "yes"}], **extra)

    with pytest.raises(ValidationFailed) as info:                     # no written proxy
        by_proxy("业主51-1")
    assert "proxy_evidence" in info.value.fields["zh"]
    with pytest.raises(ValidationFailed):
        by_proxy("业主51-1", proxy_evidence=evidence, proxy_is_property_staff=True)
    by_proxy("业主51-1", proxy_evidence=evidence)
    by_proxy("业主51-2", proxy_evidence=evidence)
    by_proxy("业主51-1", proxy_evidence=evidence)                     # a replacement: still 2
    with pytest.raises(ValidationFailed) as info:
        by_proxy("业主51-3", proxy_evidence=evidence)
    assert "最多代理 2 位" in info.value.fields["zh"]["proxy_name"][0]
    audit = call_as(user("auditor", compound["path"]), "deliberation", "list_ballots",
                    matter_id=v["id"])["items"]
    assert {(b["channel"], b["proxy_name"]) for b in audit} == {("proxy", "王代理")}
    resident = Principal(kind="user", account_id=str(uuid.uuid4()),
                         person_id=compound["owners"]["业主51-4"]["voter_person_id"],
                         grants=(Grant("resident", compound["path"]),))
    with pytest.raises(Forbidden):                                   # not a clerk
        call_as(resident, "deliberation", "cast_ballot", matter_id=v["id"], channel="door_to_door",
                entry_id=entries["业主51-4"], choices=[{"item_id": item, "choice": "yes"}])


def test_where_the_city_requires_its_platform_only_paper_and_door_to_door(
        compound, worker, set_today, monkeypatch):
    city_id = compound["path"].split("/")[1]
    monkeypatch.setenv("DELIBERATION_LOCAL_RULES",
                       json.dumps({city_id: {"electronic_ballots": False}}))
    v = noticed_and_open(worker, set_today, compound_id=compound["id"], title="纸质投票",
                         category="other_major", items=[{"title": "增设快递柜"}])
    owner = compound["owners"]["业主51-4"]
    resident = Principal(kind="user", account_id=str(uuid.uuid4()),
                         person_id=owner["voter_person_id"],
                         grants=(Grant("resident", compound["path"]),))
    with pytest.raises(Conflict):
        call_as(resident, "deliberation", "cast_ballot", matter_id=v["id"],
                choices=[{"item_id": v["items"][0]["id"], "choice": "yes"}])


def test_a_shared_part_and_art_279_have_their_own_electorates(compound, worker):
    lift = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                   title="2幢电梯大修", category="fund_use", electorate_scope="buildings",
                   building_ids=[compound["buildings"]["2幢"]], items=[{"title": "使用维修资金"}])
    lift = call_as(worker, "deliberation", "give_notice", matter_id=lift["id"])
    # 业主51-0 owns 1幢/001 and 2幢/099: here once, with the 2幢 unit's area only
    assert (lift["total_owners"], lift["total_area"]) == (5, 4 * 10000 + 5000)
    shop = compound["owners"]["业主51-2"]["unit_ids"][0]
    business = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                       title="住宅改为经营性用房", category="business_use", unit_id=shop,
                       items=[{"title": "同意将 003 室改为茶室"}])
    assert business["items"][0]["rule"] == "unanimous_building"
    business = call_as(worker, "deliberation", "give_notice", matter_id=business["id"])
    names = set(roll_ids(worker, business["id"]))
    assert names == {f"业主51-{i}" for i in (0, 1, 3, 4, 5)}         # the other owners of 1幢
    with pytest.raises(ValidationFailed):
        call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                title="x", category="business_use", items=[{"title": "x"}])


def test_objections_to_the_roll_only_within_its_window(compound, worker, set_today):
    m = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                title="名单异议", category="rules_of_procedure", items=[{"title": "议事规则"}])
    n = call_as(worker, "deliberation", "give_notice", matter_id=m["id"])
    resident = Principal(kind="user", account_id=str(uuid.uuid4()),
                         grants=(Grant("resident", compound["path"]),))
    objection = call_as(resident, "deliberation", "object_to_roll", matter_id=m["id"],
                        text="我的面积应为 100.50 平方米")
    decided = call_as(worker, "deliberation", "decide_objection", objection_id=objection["id"],
                      status="rejected", decision="以不动产登记面积为准")
    assert decided["status"] == "rejected"
    set_today(date.fromisoformat(n["roll_objections_until"]) + timedelta(days=1))
    with pytest.raises(Conflict):
        call_as(resident, "deliberation", "object_to_roll", matter_id=m["id"], text="晚了")


def test_an_extraordinary_meeting_is_due_at_20_percent_of_owners(compound, worker):
    owners = list(compound["owners"].values())                        # 10 owners
    tally = call_as(worker, "deliberation", "record_proposal", compound_id=compound["id"],
                    owner_id=owners[0]["owner_id"])
    assert (tally["proposing_owners"], tally["extraordinary_meeting_due"]) == (1, False)
    call_as(worker, "deliberation", "record_proposal", compound_id=compound["id"],
            owner_id=owners[0]["owner_id"])                           # once per owner
    tally = call_as(worker, "deliberation", "record_proposal", compound_id=compound["id"],
                    owner_id=owners[1]["owner_id"])
    assert (tally["proposing_owners"], tally["total_owners"], tally["extraordinary_meeting_due"]) == (
        2, 10, True)                                                  # 2 of 10: exactly 20 %
    with pytest.raises(ValidationFailed):
        call_as(worker, "deliberation", "record_proposal", compound_id=compound["id"],
                owner_id=str(uuid.uuid4()))


def test_deemed_consent_needs_the_local_rule_and_is_reported_apart(
        compound, worker, set_today, monkeypatch):
    with pytest.raises(ValidationFailed):
        call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                title="视为同意", category="other_major", deemed_consent=True,
                items=[{"title": "x"}])
    monkeypatch.setenv("DELIBERATION_DEEMED_CONSENT_ALLOWED", "true")
    v = noticed_and_open(worker, set_today, compound_id=compound["id"], title="视为同意",
                         category="other_major", deemed_consent=True,
                         items=[{"title": "增设宣传栏"}])
    entries = roll_ids(worker, v["id"])
    for n in range(3):                                                # 3 of 10 vote yes
        call_as(worker, "deliberation", "cast_ballot", matter_id=v["id"], channel="door_to_door",
                entry_id=entries[f"业主51-{n}"],
                choices=[{"item_id": v["items"][0]["id"], "choice": "yes"}])
    set_today(date.fromisoformat(v["voting_ends_on"]) + timedelta(days=1))
    [r] = call_as(worker, "deliberation", "close_vote", matter_id=v["id"])["items"]
    assert not r["quorum_met"] and not r["passed"]                    # the real decision
    assert r["deemed_consent"]["follows"] == "yes" and r["deemed_consent"]["passed"]
    assert r["deemed_consent"]["non_voting_owners"] == 7
