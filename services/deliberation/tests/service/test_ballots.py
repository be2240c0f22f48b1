"""Ballots: online by the owner's own account, replaced while open with the history kept,
300 cast concurrently each counted once, read by another owner (404) or an auditor
(shown, audited)."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import eventlet
import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from .conftest import SYSTEM, import_compound, owner_rows, user, wait_for_compound
from .test_votes_through_gateway import Api, ok


def rows(db, sql, **params):
    with engine_for(db).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


@pytest.fixture(scope="module")
def compound(city, databases):
    c = import_compound(city, "三百票小区", owner_rows(["88.50"] * 300, 21))
    wait_for_compound(databases["deliberation"], c["id"])
    electorate = call_as(SYSTEM, "org", "electorate", compound_id=c["id"])
    c["voters"] = {o["name"]: o for o in electorate["owners"]}
    c["unit_paths"] = {}
    return c


@pytest.fixture(scope="module")
def worker(city):
    return user("community_worker", city["community"]["path"])


@pytest.fixture(scope="module")
def voting(worker, compound, set_today):
    matter = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                     title="增设电动自行车充电桩", category="common_use_change",
                     items=[{"title": "在地面车位增设充电桩"},
                            {"title": "充电收益归全体业主", "category": "other_major"}])
    noticed = call_as(worker, "deliberation", "give_notice", matter_id=matter["id"])
    set_today(date.fromisoformat(noticed["notice_period_ends"]) + timedelta(days=1))
    return call_as(worker, "deliberation", "open_voting", matter_id=matter["id"])


def owner_principal(compound, name, unit_path=None):
    entry = compound["voters"][name]
    return Principal(kind="user", account_id=str(uuid.uuid5(uuid.NAMESPACE_OID, name)),
                     person_id=entry["voter_person_id"],
                     grants=(Grant("resident", unit_path or compound["path"]),))


def test_an_owner_votes_online_and_another_owner_cannot_read_the_ballot_an_auditor_can(
        client, city, compound, voting, databases):
    from gateway.testing import make_login

    one, two = compound["voters"]["业主21-0"], compound["voters"]["业主21-1"]
    owner_a = Api(client, make_login(one["unit_ids"][0], "resident",
                                     person_id=one["voter_person_id"]))
    owner_b = Api(client, make_login(two["unit_ids"][0], "resident",
                                     person_id=two["voter_person_id"]))
    auditor_login = make_login(city["community"]["id"], "auditor")
    auditor = Api(client, auditor_login)
    items = [i["id"] for i in voting["items"]]
    cast = ok(owner_a.post(f"/matters/{voting['id']}/ballots", {
        "choices": [{"item_id": items[0], "choice": "yes"},
                    {"item_id": items[1], "choice": "abstain"}]}), 201)
    assert [b["choice"] for b in cast["ballots"]] == ["yes", "abstain"]
    assert cast["area"] == 8850 and {b["channel"] for b in cast["ballots"]} == {"online"}
    receipt = cast["ballots"][0]["receipt_code"]
    # replaced while open: the history keeps the first
    again = ok(owner_a.post(f"/matters/{voting['id']}/ballots", {
        "choices": [{"item_id": items[0], "choice": "no"}]}), 201)
    first = again["ballots"][0]
    assert (first["choice"], first["version"]) == ("no", 2) and first["receipt_code"] != receipt
    history = rows(databases["deliberation"], "SELECT choice, version, receipt_code FROM "
                   "ballot_history WHERE ballot_id = :b", b=first["id"])
    assert history == [{"choice": "yes", "version": 1, "receipt_code": receipt}]
    counted = ok(owner_a.get(f"/matters/{voting['id']}/receipt",
                             receipt_code=first["receipt_code"]))
    assert counted["counted"] and counted["item_titles"] == ["在地面车位增设充电桩"]
    # the first receipt now stands for the second item only (the first was replaced)
    old = ok(owner_a.get(f"/matters/{voting['id']}/receipt", receipt_code=receipt))
    assert old["counted"] and old["item_titles"] == ["充电收益归全体业主"]
    assert not ok(owner_a.get(f"/matters/{voting['id']}/receipt",
                              receipt_code="AAAA-BBBB-CCCC"))["counted"]

    # the owner reads it back; another owner of the compound: 404; a worker: 404
    assert ok(owner_a.get(f"/ballots/{first['id']}"))["choice"] == "no"
    r = owner_b.get(f"/ballots/{first['id']}")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    # an owner cannot vote for another
    r = owner_b.post(f"/matters/{voting['id']}/ballots", {
        "entry_id": cast["entry_id"], "choices": [{"item_id": items[0], "choice": "yes"}]})
    assert r.status_code == 403
    shown = ok(auditor.get(f"/ballots/{first['id']}"))
    assert shown["choice"] == "no" and shown["entry_id"] == cast["entry_id"]
    reads = rows(databases["deliberation"], "SELECT actor_account_id, detail FROM audit_log "
                 "WHERE action = 'ballot.read' AND entity_id = :b", b=first["id"])
    # (the tests' clock is frozen: both reads carry the same time, so compare as a set)
    assert sorted(r["actor_account_id"] for r in reads) == sorted(
        [owner_a.account["id"], auditor_login["id"]])
    assert ok(auditor.get(f"/matters/{voting['id']}/ballots", limit=10))["items"]
    r = owner_b.get(f"/matters/{voting['id']}/ballots")
    assert r.status_code == 403                                  # not an auditor: the door
    # turnout while open: heads and area only, for residents too
    turnout = ok(owner_b.get(f"/matters/{voting['id']}/turnout"))
    assert turnout["items"][0]["participating_owners"] >= 1
    assert set(turnout["items"][0]) == {"item_id", "seq", "title", "participating_owners",
                                        "participating_area"}
    # the public roll masks given names; staff see them
    public = ok(owner_b.get(f"/matters/{voting['id']}/voter-roll", limit=5))["items"]
    assert all(e["name"].endswith("*") or len(e["name"]) > 4 for e in public)


def test_300_ballots_cast_concurrently_are_each_counted_once(
        compound, voting, databases, worker):
    items = [i["id"] for i in voting["items"]]
    names = [f"业主21-{i}" for i in range(300)]

    def cast(name, choice):
        return call_as(owner_principal(compound, name), "deliberation", "cast_ballot",
                       timeout=60, matter_id=voting["id"],
                       choices=[{"item_id": items[0], "choice": choice},
                                {"item_id": items[1], "choice": "yes"}])

    pool = eventlet.GreenPool(100)
    jobs = [(n, "yes") for n in names] + [(n, "no") for n in names[:30]]   # 30 change mind
    results = list(pool.starmap(cast, jobs))
    assert len(results) == 330
    db = databases["deliberation"]
    [count] = rows(db, "SELECT count(*) AS n, count(DISTINCT entry_id) AS owners FROM ballots "
                   "WHERE matter_id = :m", m=voting["id"])
    assert count == {"n": 600, "owners": 300}
    turnout = call_as(worker, "deliberation", "turnout", matter_id=voting["id"])
    assert [(i["participating_owners"], i["participating_area"]) for i in turnout["items"]] == [
        (300, 300 * 8850)] * 2
    replaced = rows(db, "SELECT count(*) AS n FROM ballot_history WHERE matter_id = :m",
                    m=voting["id"])[0]["n"]
    # each of the 30 second ballots replaced a first one on both items, plus the first test's
    assert replaced >= 60
