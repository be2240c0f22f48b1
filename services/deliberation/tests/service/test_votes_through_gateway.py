"""Owners' votes end to end: the gateway (real logins and role checks) → deliberation →
org (the electorate frozen at notice from org's registry, filled by org's workbook
import), on the real broker and database.

- 300 owners of equal area, 200 take part: 150 yes on raising the maintenance fund (double
  three quarters of participants) passes; 100 yes on electing the owners' committee
  (double majority) fails.
- One owner with 60 % of the area votes yes, enough others vote no for the quorum: the
  majority item passes on area and fails on headcount.
- An owner who sells a unit after notice keeps the frozen vote; the buyer is not on the roll.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from .conftest import SYSTEM, import_compound, login, owner_rows, wait_for_compound


class Api:
    """One login's calls to /api/v1/deliberation (it logs in again after the clock moves)."""

    def __init__(self, client, account):
        self.client, self.account = client, account
        self.headers = login(client, account)

    def relogin(self):
        self.headers = login(self.client, self.account)

    def get(self, path, **params):
        return self.client.get(f"/api/v1/deliberation{path}", query_string=params,
                               headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1/deliberation{path}", json=body or {},
                                headers=self.headers)


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture(scope="module")
def staff(client, city):
    from gateway.testing import make_login

    worker = make_login(city["community"]["id"], "community_worker")
    return Api(client, worker)


def roll(api, matter_id) -> dict:
    """Voter-roll entry ids by owner name."""
    out, cursor = {}, None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = ok(api.get(f"/matters/{matter_id}/voter-roll", **params))
        out.update({e["name"]: e for e in page["items"]})
        cursor = page["next_cursor"]
        if not cursor:
            return out


def to_voting(api, set_today, compound, title, items, category=None, **extra):
    matter = ok(api.post("/matters", {"compound_id": compound["id"], "title": title,
                                      "category": category or items[0]["category"],
                                      "items": items, **extra}), 201)
    assert matter["status"] == "draft"
    noticed = ok(api.post(f"/matters/{matter['id']}/notice"))
    assert noticed["status"] == "noticed"
    ends = noticed["notice_period_ends"]
    from datetime import date
    last = date.fromisoformat(ends)
    set_today(last)
    api.relogin()
    r = api.post(f"/matters/{matter['id']}/opening")
    assert r.status_code == 409, r.get_json()          # the notice period's last day
    set_today(last + timedelta(days=1))
    api.relogin()
    opened = ok(api.post(f"/matters/{matter['id']}/opening"))
    assert opened["status"] == "voting"
    return opened


def close(api, set_today, matter):
    from datetime import date
    set_today(date.fromisoformat(matter["voting_ends_on"]) + timedelta(days=1))
    api.relogin()
    return ok(api.post(f"/matters/{matter['id']}/closing"))


def door_to_door(api, matter, entry_id, choices):
    return ok(api.post(f"/matters/{matter['id']}/ballots", {
        "channel": "door_to_door", "entry_id": entry_id,
        "choices": [{"item_id": i, "choice": c} for i, c in choices]}), 201)


@pytest.fixture(scope="module")
def three_hundred(city, databases):
    rows = owner_rows(["100.00"] * 300, 11, building_of=lambda i: f"{i // 100 + 1}幢")
    compound = import_compound(city, "三百户小区", rows)
    wait_for_compound(databases["deliberation"], compound["id"])
    return compound


def test_300_owners_200_take_part_fund_raise_passes_committee_fails(
        staff, three_hundred, set_today):
    matter = to_voting(staff, set_today, three_hundred, "筹集维修资金并选举业委会", [
        {"title": "筹集专项维修资金", "category": "fund_raise"},
        {"title": "选举第二届业主委员会", "category": "owners_committee"}])
    assert (matter["total_owners"], matter["total_area"]) == (300, 300 * 10000)
    fund, committee = [i["id"] for i in matter["items"]]
    assert [i["rule"] for i in matter["items"]] == ["three_quarters", "majority"]
    entries = sorted(e["id"] for e in roll(staff, matter["id"]).values())
    assert len(entries) == 300
    for n, entry in enumerate(entries[:200]):
        door_to_door(staff, matter, entry, [(fund, "yes" if n < 150 else "no"),
                                            (committee, "yes" if n < 100 else "no")])
    turnout = ok(staff.get(f"/matters/{matter['id']}/turnout"))
    assert [(i["participating_owners"], i["participating_area"]) for i in turnout["items"]] == [
        (200, 2_000_000), (200, 2_000_000)]
    assert "yes_owners" not in str(turnout)                         # no split while open
    r = staff.get(f"/matters/{matter['id']}/result")
    assert r.status_code == 409
    result = close(staff, set_today, matter)
    fund_r, committee_r = result["items"]
    assert {k: fund_r[k] for k in ("rule", "total_owners", "total_area", "participating_owners",
                                   "participating_area", "yes_owners", "yes_area",
                                   "quorum_met", "area_passed", "owners_passed", "passed")} == {
        "rule": "three_quarters", "total_owners": 300, "total_area": 3_000_000,
        "participating_owners": 200, "participating_area": 2_000_000, "yes_owners": 150,
        "yes_area": 1_500_000, "quorum_met": True, "area_passed": True, "owners_passed": True,
        "passed": True}
    assert (committee_r["rule"], committee_r["yes_owners"], committee_r["quorum_met"],
            committee_r["passed"]) == ("majority", 100, True, False)
    assert committee_r["deemed_consent"] is None
    assert result["challenge_until"] > result["posted_until"]
    again = ok(staff.get(f"/matters/{matter['id']}/result"))
    assert again["items"] == result["items"]


def test_one_owner_with_60_percent_passes_on_area_and_fails_on_headcount(
        staff, city, databases, set_today):
    rows = owner_rows(["600.00"] + ["10.00"] * 40, 12)
    compound = import_compound(city, "大业主小区", rows)
    wait_for_compound(databases["deliberation"], compound["id"])
    matter = to_voting(staff, set_today, compound, "使用维修资金更换水泵",
                       [{"title": "更换二次供水水泵", "category": "fund_use"}])
    [item] = [i["id"] for i in matter["items"]]
    by_name = roll(staff, matter["id"])
    big = by_name["业主12-0"]
    assert big["area"] == 60000 and matter["total_area"] == 100000
    door_to_door(staff, matter, big["id"], [(item, "yes")])
    for i in range(1, 28):                                       # 27 of the 40 small owners
        door_to_door(staff, matter, by_name[f"业主12-{i}"]["id"], [(item, "no")])
    [r] = close(staff, set_today, matter)["items"]
    assert (r["participating_owners"], r["yes_owners"], r["total_owners"]) == (28, 1, 41)
    assert (r["participating_area"], r["yes_area"]) == (60000 + 27 * 1000, 60000)
    assert r["quorum_met"] and r["area_passed"] and not r["owners_passed"] and not r["passed"]


def test_an_owner_who_sells_after_notice_keeps_the_frozen_vote(
        staff, city, databases, set_today):
    rows = owner_rows(["90.00"] * 6, 13)
    compound = import_compound(city, "转让小区", rows)
    wait_for_compound(databases["deliberation"], compound["id"])
    matter = ok(staff.post("/matters", {
        "compound_id": compound["id"], "title": "修改管理规约", "category": "owners_convention",
        "items": [{"title": "修改管理规约第十条"}]}), 201)
    noticed = ok(staff.post(f"/matters/{matter['id']}/notice"))
    before = roll(staff, matter["id"])
    # The next day, unit 001 is sold to a new person.
    from datetime import date
    set_today(date.fromisoformat(noticed["noticed_on"]) + timedelta(days=1))
    sold = _unit_named(compound, "001")
    buyer = call_as(SYSTEM, "org", "create_owner", compound_id=compound["id"], kind="person",
                    name="新业主", id_number=_buyer_id())
    call_as(SYSTEM, "org", "transfer_unit", unit_id=sold,
            owners=[{"owner_id": buyer["id"], "is_voter": True}])
    now = call_as(SYSTEM, "org", "electorate", compound_id=compound["id"])
    assert "新业主" in {o["name"] for o in now["owners"]}             # org moved on …
    after = roll(staff, matter["id"])
    assert after == before and "新业主" not in after                  # … the vote did not
    staff.relogin()
    assert ok(staff.get(f"/matters/{matter['id']}"))["total_owners"] == noticed["total_owners"] == 6
    set_today(date.fromisoformat(noticed["notice_period_ends"]) + timedelta(days=1))
    staff.relogin()
    voting = ok(staff.post(f"/matters/{matter['id']}/opening"))
    seller = before["业主13-0"]
    door_to_door(staff, voting, seller["id"], [(voting["items"][0]["id"], "yes")])
    turnout = ok(staff.get(f"/matters/{matter['id']}/turnout"))
    assert turnout["items"][0]["participating_area"] == 9000


def _unit_named(compound, name):
    building = call_as(SYSTEM, "org", "list_units", parent_id=compound["id"], limit=10)["items"][0]
    units = call_as(SYSTEM, "org", "list_units", parent_id=building["id"], limit=200)["items"]
    return next(u["id"] for u in units if u["name"] == name)


def _buyer_id():
    from .conftest import id_number
    return id_number("32999919850505001")


def test_voting_cannot_open_before_notice_nor_close_before_its_window(
        staff, three_hundred, databases):
    matter = ok(staff.post("/matters", {
        "compound_id": three_hundred["id"], "title": "选聘物业", "category": "property_manager",
        "items": [{"title": "续聘物业服务企业"}]}), 201)
    r = staff.post(f"/matters/{matter['id']}/opening")
    assert r.status_code == 409
    r = staff.post(f"/matters/{matter['id']}/notice", {"notice_days": 10})
    assert r.status_code == 422 and "notice_days" in r.get_json()["error"]["fields"]
    noticed = ok(staff.post(f"/matters/{matter['id']}/notice"))
    assert noticed["notice_days"] == 15
    r = staff.post(f"/matters/{matter['id']}/opening")
    assert r.status_code == 409 and "公告期未满" in r.get_json()["error"]["message"]
    with engine_for(databases["deliberation"]).connect() as conn:
        events = conn.execute(text(
            "SELECT envelope->'payload' FROM outbox WHERE event_type = "
            "'deliberation.matter.noticed' AND envelope->'payload'->>'matter_id' = :m"),
            {"m": matter["id"]}).scalars().all()
    assert len(events) == 1 and events[0]["total_owners"] == 300
