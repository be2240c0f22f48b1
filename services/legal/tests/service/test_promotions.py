"""Promotion, training, lists and conventions, and the agreement warning, through the
gateway with org running: an assessor promotion of a 27-year-old or of a practising
lawyer is refused with every reason; an eligible one is applied in org by legal's own
identity (a grant), and org being away is a 503 with nothing written."""
from datetime import date, timedelta

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as

from fazhi_legal_contract.schemas import AgreementExpiring, PromotionDecided

SYSTEM = Principal.system()
ON = date(2026, 12, 1)


def confirmed(world, name, born, login=False):
    pid = world.person(name, born=born, login=login)
    lit = world.as_["worker"].expect(201, "POST", "/literates", {
        "person_id": pid, "compound_id": world.units["compound"]["id"],
        "building_ids": [world.units["b1"]["id"]], "pool": "party_member",
        "nomination": "self"})
    return world.as_["judicial"].expect(200, "POST", f"/literates/{lit['id']}/decision",
                                        {"confirm": True})


def promote(world, lit, status=201, **over):
    body = {"literate_id": lit["id"], "target": "assessor", "on": str(ON), **over}
    return world.as_["judicial"].expect(status, "POST", "/promotions", body)


def codes(reasons):
    return [r["code"] for r in reasons]


def test_a_27_year_old_is_refused_with_the_reason(world):
    lit = confirmed(world, "年轻人", born=date(1998, 12, 2))          # 27 on 1 Dec 2026, 28 on 2 Dec
    p = promote(world, lit)
    assert p["outcome"] == "refused" and codes(p["reasons"]) == ["under_age"]
    assert p["reasons"][0]["zh"] == "推选之日未满二十八周岁"
    # the day after the birthday: 28, and eligible (no account: org refuses the grant)
    code, err = world.as_["judicial"].call("POST", "/promotions", {
        "literate_id": lit["id"], "target": "assessor", "on": "2026-12-02"})
    assert code == 409, err
    [row] = world.rows("SELECT envelope FROM outbox WHERE event_type = "
                       "'legal.promotion.decided' AND envelope->'payload'->>'promotion_id' = :i",
                       i=p["id"])
    payload = PromotionDecided().load(row["envelope"]["payload"])
    assert payload["outcome"] == "refused" and payload["reasons"] == ["under_age"]


def test_a_practising_lawyer_is_refused_and_every_reason_is_given(world):
    lit = confirmed(world, "执业律师", born=date(1980, 5, 5))
    p = promote(world, lit, held_roles=["lawyer"])
    assert p["outcome"] == "refused" and codes(p["reasons"]) == ["barred_lawyer"]
    assert "执业律师" in p["reasons"][0]["zh"]
    young = confirmed(world, "多重原因", born=date(2005, 1, 1))
    p = promote(world, young, held_roles=["court_staff"], senior_high=False,
                disqualifications=["criminal_punishment", "dishonest_debtor"])
    assert codes(p["reasons"]) == ["under_age", "criminal_punishment", "dishonest_debtor",
                                   "barred_court_staff"]
    assert codes(p["warnings"]) == ["no_senior_high"]


def test_a_duty_roster_lawyer_is_never_an_assessor(world):
    lit = confirmed(world, "值班律师", born=date(1975, 3, 3))
    judicial = world.as_["judicial"]
    firm = judicial.expect(201, "POST", "/firms", {"unit_id": world.units["street"]["id"],
                                                  "name": "泰兴律所"})
    helper = judicial.expect(201, "POST", "/helpers", {
        "unit_id": world.units["street"]["id"], "name": "值班律师", "kind": "lawyer",
        "firm_id": firm["id"], "person_id": lit["person_id"]})
    judicial.expect(201, "POST", "/agreements", {
        "firm_id": firm["id"], "unit_id": world.units["street"]["id"],
        "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "compound_ids": [world.units["compound"]["id"]], "helper_ids": [helper["id"]]})
    assert codes(promote(world, lit)["reasons"]) == ["rostered_lawyer"]


def test_an_eligible_promotion_is_granted_in_org_by_legal_itself(world):
    lit = confirmed(world, "合格者", born=date(1970, 6, 1), login=True)
    p = promote(world, lit, senior_high=False)
    assert p["outcome"] == "confirmed" and codes(p["warnings"]) == ["no_senior_high"]
    grid = promote(world, lit, target="grid_worker")
    assert grid["outcome"] == "confirmed"
    accounts = call_as(SYSTEM, "org", "list_accounts", limit=200)["items"]
    [account] = [a for a in accounts if a["person_id"] == lit["person_id"]]
    roles = {g["role"] for g in call_as(SYSTEM, "org", "get_account",
                                        account_id=account["id"])["grants"]}
    assert {"assessor", "grid_worker"} <= roles
    page = world.as_["judicial"].expect(200, "GET", "/promotions", literate_id=lit["id"])
    assert {x["target"] for x in page["items"]} == {"assessor", "grid_worker"}


def test_training_minimum_flags_persons_below_it(world):
    a = confirmed(world, "培训甲", born=date(1980, 1, 1))
    b = confirmed(world, "培训乙", born=date(1980, 1, 1))
    judicial = world.as_["judicial"]
    t = judicial.expect(201, "POST", "/trainings", {
        "unit_id": world.units["street"]["id"], "title": "民法典专题培训",
        "organiser": "济川司法所", "held_on": "2026-06-01", "hours": 3})
    judicial.expect(200, "POST", f"/trainings/{t['id']}/attendance",
                    {"literate_ids": [a["id"], a["id"]]})
    again = judicial.expect(200, "POST", f"/trainings/{t['id']}/attendance",
                            {"literate_ids": [a["id"]]})
    assert again["attendees"] == 1
    report = world.as_["worker"].expect(200, "GET", "/training-report",
                                        unit_id=world.units["community"]["id"], year=2026)
    lines = {x["literate_id"]: x for x in report["lines"]}
    assert (lines[a["id"]]["sessions"], lines[a["id"]]["hours"],
            lines[a["id"]]["below_minimum"]) == (1, 3.0, False)
    assert lines[b["id"]]["below_minimum"] is True
    assert report["minimum_sessions"] == 1
    code, err = judicial.call("POST", f"/trainings/{t['id']}/attendance",
                              {"literate_ids": ["01a22dac-0000-7000-8000-000000000000"]})
    assert code == 422 and "literate_ids" in err["error"]["fields"]


def test_lists_and_conventions_keep_every_version(world):
    property_ = world.as_["property"]
    compound = world.units["compound"]["id"]
    v1 = property_.expect(201, "POST", "/lists", {"compound_id": compound,
                                                 "kind": "property_services",
                                                 "items": [{"title": "保洁"}]})
    v2 = property_.expect(201, "POST", "/lists", {"compound_id": compound,
                                                 "kind": "property_services",
                                                 "items": [{"title": "保洁"}, {"title": "安保"}]})
    assert (v1["version"], v2["version"]) == (1, 2)
    resident = world.as_["resident"]
    assert resident.expect(200, "GET", "/lists", compound_id=compound,
                           kind="property_services")["version"] == 2
    assert resident.expect(200, "GET", "/lists", compound_id=compound, kind="property_services",
                           version=1)["items"] == [{"title": "保洁", "detail": None}]
    versions = resident.expect(200, "GET", "/lists/versions", compound_id=compound,
                               kind="property_services", limit=1)
    assert [v["version"] for v in versions["items"]] == [1] and versions["next_cursor"]
    resident.expect(404, "GET", "/lists", compound_id=compound, kind="law_policy_basis")
    resident.expect(403, "POST", "/lists", {"compound_id": compound, "kind": "property_services",
                                           "items": [{"title": "x"}]})
    c1 = property_.expect(201, "POST", "/conventions", {
        "compound_id": compound, "title": "阳光花园管理规约", "text": "第一条 ……",
        "adopted_by_matter_id": "matter-2025-01", "adopted_on": "2025-03-01"})
    c2 = property_.expect(201, "POST", "/conventions", {
        "compound_id": compound, "title": "阳光花园管理规约（修订）", "text": "第一条（修订）",
        "adopted_by_matter_id": "matter-2026-07", "adopted_on": "2026-07-01"})
    assert (c1["version"], c2["version"]) == (1, 2)
    old = resident.expect(200, "GET", "/conventions", compound_id=compound, version=1)
    assert old["adopted_by_matter_id"] == "matter-2025-01"
    world.as_["worker_b"].expect(404, "GET", "/conventions", compound_id=compound)


def test_the_agreement_warning_goes_out_once(world):
    from fazhi_shared.service.db import engine_for
    from sqlalchemy.orm import Session

    from fazhi_shared import clock
    from fazhi_shared.service.outbox import Outbox
    from legal import rosters
    from legal.models import tables

    judicial = world.as_["judicial"]
    firm = judicial.expect(201, "POST", "/firms", {"unit_id": world.units["street"]["id"],
                                                  "name": "到期律所"})
    helper = judicial.expect(201, "POST", "/helpers", {
        "unit_id": world.units["street"]["id"], "name": "到期律师", "kind": "lawyer"})
    today = clock.today_local()
    ending = judicial.expect(201, "POST", "/agreements", {
        "firm_id": firm["id"], "unit_id": world.units["street"]["id"],
        "starts_on": str(today - timedelta(days=300)), "ends_on": str(today + timedelta(days=30)),
        "compound_ids": [world.units["compound"]["id"]], "helper_ids": [helper["id"]]})
    later = judicial.expect(201, "POST", "/agreements", {
        "firm_id": firm["id"], "unit_id": world.units["street"]["id"],
        "starts_on": str(today), "ends_on": str(today + timedelta(days=31)),
        "compound_ids": [world.units["compound"]["id"]], "helper_ids": [helper["id"]]})
    outbox = Outbox("legal", tables.outbox)
    for _ in range(2):               # the timer's work, twice: one warning
        with Session(engine_for(world.db)) as session, session.begin():
            rosters.warn_expiring(session, outbox, today, 30)
    rows = world.rows("SELECT envelope FROM outbox WHERE event_type = 'legal.agreement.expiring'")
    warned = [AgreementExpiring().load(r["envelope"]["payload"]) for r in rows]
    assert [w["agreement_id"] for w in warned] == [ending["id"]]
    assert warned[0]["days_left"] == 30
    assert not any(w["agreement_id"] == later["id"] for w in warned)


def test_records_follow_a_compound_moved_in_org(world):
    from fazhi_shared.service.testing import wait_until

    pid = world.person("搬迁者", unit="c2b1")
    lit = world.as_["worker"].expect(201, "POST", "/literates", {
        "person_id": pid, "compound_id": world.units["compound2"]["id"],
        "building_ids": [world.units["c2b1"]["id"]], "pool": "teacher", "nomination": "self"})
    call_as(SYSTEM, "org", "move_unit", id=world.units["compound2"]["id"],
            new_parent_id=world.units["community_b"]["id"])
    new_path = f"{world.units['community_b']['path']}/{world.units['compound2']['id']}"
    wait_until(lambda: world.rows("SELECT path FROM literates WHERE id = :i",
                                  i=lit["id"])[0]["path"] == new_path, timeout=15,
               what="the literate's path to follow the move")
    assert world.as_["worker_b"].expect(200, "GET", f"/literates/{lit['id']}")["path"] == new_path
    world.as_["worker"].expect(404, "GET", f"/literates/{lit['id']}")


def test_a_mediator_promotion_seats_the_person_on_the_committee_in_org(world):
    members = [{"person_id": world.person(n), "position": p} for n, p in
               (("调委主任", "chair"), ("调委甲", "member"), ("调委乙", "member"))]
    female = call_as(SYSTEM, "org", "create_person", name="调委丙",
                     unit_id=world.units["room101"]["id"], gender="female")["id"]
    call_as(SYSTEM, "org", "set_up_mediation_committee", compound_id=world.units["compound"]["id"],
            term_start="2026-01-01", members=[*members, {"person_id": female}])
    lit = confirmed(world, "新调解员", born=date(1985, 2, 2))
    p = promote(world, lit, target="mediator")
    assert p["outcome"] == "confirmed" and p["reasons"] == []
    bodies = call_as(SYSTEM, "org", "list_bodies", compound_id=world.units["compound"]["id"],
                     kind="mediation_committee")["items"]
    seated = {m["person_id"] for b in bodies for m in b["members"]}
    assert lit["person_id"] in seated


def test_org_away_is_a_503_and_nothing_is_written(world):
    """The module's last test: org is stopped for real (its queue has no consumer)."""
    lit = confirmed(world, "无人应答", born=date(1970, 6, 1), login=True)
    before = world.rows("SELECT count(*) AS n FROM promotions")[0]["n"]
    world.org_runner.stop()
    code, err = world.as_["judicial"].call("POST", "/promotions", {
        "literate_id": lit["id"], "target": "assessor", "on": str(ON)})
    assert code == 503, err
    assert world.rows("SELECT count(*) AS n FROM promotions")[0]["n"] == before
    code, err = world.as_["admin"].call("POST", "/literates", {
        "person_id": lit["person_id"], "compound_id": world.units["compound2"]["id"],
        "pool": "teacher", "nomination": "self"})
    assert code == 503, err
    assert not world.rows("SELECT id FROM literates WHERE compound_id = :c AND person_id = :p",
                          c=world.units["compound2"]["id"], p=lit["person_id"])
