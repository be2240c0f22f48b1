"""Duty rosters through the gateway on the real broker and database, org running:
generation for 3 lawyers over 4 weeks (one away a week, one also rostered at another
compound), the database refusing an overlapping hand edit (409), publication feeding the
duty board through the roster's own events, the iCalendar feed (parsed back) and its
revocation, the .xlsx export, swaps with approval; then bookings — 20 concurrent for the
last place, one succeeds —, 代办, consultations and their escalation event."""
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fazhi_shared.service.testing import wait_until

from fazhi_legal_contract.schemas import ConsultationEscalated, RosterPublished

SHANGHAI = ZoneInfo("Asia/Shanghai")


def next_monday() -> date:
    today = datetime.now(SHANGHAI).date()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture(scope="module")
def setup(world):
    judicial = world.as_["judicial"]
    firm = judicial.expect(201, "POST", "/firms", {"unit_id": world.units["street"]["id"],
                                                  "name": "江苏泰和律师事务所"})
    lawyer_person = world.person("钱律师", login=True)
    helpers = {k: judicial.expect(201, "POST", "/helpers", {
        "unit_id": world.units["street"]["id"], "name": name, "kind": "lawyer",
        "firm_id": firm["id"], **({"person_id": lawyer_person} if k == "a" else {})})
        for k, name in (("a", "钱律师"), ("b", "孙律师"), ("c", "李律师"))}
    today = datetime.now(SHANGHAI).date()
    agreement = judicial.expect(201, "POST", "/agreements", {
        "firm_id": firm["id"], "unit_id": world.units["street"]["id"],
        "starts_on": str(today - timedelta(days=30)), "ends_on": str(today + timedelta(days=365)),
        "compound_ids": [world.units["compound"]["id"], world.units["compound2"]["id"]],
        "helper_ids": [h["id"] for h in helpers.values()]})
    monday = next_monday()
    judicial.expect(201, "POST", f"/helpers/{helpers['b']['id']}/absences", {
        "starts_on": str(monday + timedelta(days=7)),
        "ends_on": str(monday + timedelta(days=13)), "reason": "出差"})
    # c is rostered at 滨江小区 on Tuesdays and Thursdays (a roster with c alone)
    solo = judicial.expect(201, "POST", "/agreements", {
        "firm_id": firm["id"], "unit_id": world.units["street"]["id"],
        "starts_on": str(today), "ends_on": str(today + timedelta(days=365)),
        "compound_ids": [world.units["compound2"]["id"]], "helper_ids": [helpers["c"]["id"]]})
    elsewhere = judicial.expect(201, "POST", "/rosters", {
        "agreement_id": solo["id"], "compound_id": world.units["compound2"]["id"],
        "starts_on": str(monday), "ends_on": str(monday + timedelta(days=27)),
        "weekdays": [1, 3], "working_days_only": False})
    judicial.expect(200, "POST", f"/rosters/{elsewhere['id']}/publish")
    roster = judicial.expect(201, "POST", "/rosters", {
        "agreement_id": agreement["id"], "compound_id": world.units["compound"]["id"],
        "starts_on": str(monday), "ends_on": str(monday + timedelta(days=27)),
        "capacity": 3, "working_days_only": False})
    return {"firm": firm, "helpers": helpers, "agreement": agreement, "roster": roster,
            "elsewhere": elsewhere, "monday": monday, "lawyer_person": lawyer_person}


def test_four_weeks_three_lawyers_fair_shares_and_no_overlap_anywhere(world, setup):
    roster, h = setup["roster"], setup["helpers"]
    shifts = roster["shifts"]
    assert len(shifts) == 40 and roster["status"] == "draft"
    shares = {k: 40 * d / 55 for k, d in (("a", 20), ("b", 15), ("c", 20))}
    counts = {k: roster["shares"].get(h[k]["id"], 0) for k in h}
    for k in h:
        assert abs(counts[k] - shares[k]) < 1, (counts, shares)
    away = {str(setup["monday"] + timedelta(days=d)) for d in range(7, 14)}
    assert not [s for s in shifts if s["helper_id"] == h["b"]["id"]
                and s["starts_at"][:10] in away]
    first = datetime.fromisoformat(shifts[0]["starts_at"]).astimezone(SHANGHAI)
    assert (first.hour, first.minute) == (9, 0)
    # the database holds no two overlapping shifts of one helper, across both compounds
    assert world.rows("""SELECT count(*) AS n FROM shifts a JOIN shifts b
                         ON a.helper_id = b.helper_id AND a.id < b.id
                         AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
                      """)[0]["n"] == 0
    assert len(world.rows("SELECT id FROM shifts WHERE helper_id = :c",
                          c=h["c"]["id"])) == 16 + counts["c"]


def test_a_hand_edit_creating_an_overlap_is_refused_with_a_reason(world, setup):
    judicial = world.as_["judicial"]
    c_elsewhere = setup["elsewhere"]["shifts"][0]          # c at 滨江小区, a Tuesday morning
    mine = next(s for s in setup["roster"]["shifts"] if s["helper_id"] != setup["helpers"]["c"]["id"]
                and s["starts_at"] == c_elsewhere["starts_at"])
    code, err = judicial.call("PATCH", f"/shifts/{mine['id']}",
                              {"helper_id": setup["helpers"]["c"]["id"]})
    assert code == 409 and "同一时间不能在两处值班" in err["error"]["message"], err
    # and straight into the database, past the service: refused the same
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from fazhi_shared.service.db import engine_for
    with pytest.raises(DBAPIError, match="ex_shifts_helper_overlap"):
        with engine_for(world.db).begin() as conn:
            conn.execute(text("UPDATE shifts SET helper_id = :c WHERE id = :i"),
                         {"c": setup["helpers"]["c"]["id"], "i": mine["id"]})
    # a move to a free time is fine
    start = datetime.fromisoformat(mine["starts_at"]) + timedelta(hours=12)
    moved = judicial.expect(200, "PATCH", f"/shifts/{mine['id']}", {
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()})
    assert moved["version"] == 2


def test_publication_feeds_the_duty_board_and_residents_read_it(world, setup):
    judicial, resident = world.as_["judicial"], world.as_["resident"]
    roster = judicial.expect(200, "POST", f"/rosters/{setup['roster']['id']}/publish")
    [row] = world.rows("SELECT envelope FROM outbox WHERE event_type = 'legal.roster.published' "
                       "AND envelope->'payload'->>'roster_id' = :i", i=roster["id"])
    assert len(RosterPublished().load(row["envelope"]["payload"])["shifts"]) == 40
    now = datetime.now(SHANGHAI)
    live = judicial.expect(201, "POST", "/shifts", {
        "roster_id": roster["id"], "helper_id": setup["helpers"]["a"]["id"],
        "starts_at": (now - timedelta(minutes=30)).isoformat(),
        "ends_at": (now + timedelta(minutes=90)).isoformat(), "capacity": 2})
    compound = world.units["compound"]["id"]

    def board():
        duty = resident.expect(200, "GET", "/duty", compound_id=compound)
        return duty if duty["now"] and duty["next"] else None

    duty = wait_until(board, timeout=15, what="the duty board to follow the events")
    assert [e["shift_id"] for e in duty["now"]] == [live["id"]]
    assert duty["now"][0]["helper_name"] == "钱律师"
    assert duty["next"][0]["shift_id"] == roster["shifts"][0]["id"]
    assert world.rows("SELECT count(*) AS n FROM duty_board WHERE roster_id = :r",
                      r=roster["id"])[0]["n"] == 41
    # an edit travels too: the board follows the newer version
    judicial.expect(200, "PATCH", f"/shifts/{live['id']}", {"capacity": 5})
    wait_until(lambda: resident.expect(200, "GET", "/duty", compound_id=compound)["now"][0]
               ["capacity"] == 5, timeout=15, what="the edit to reach the board")
    world.as_["worker_b"].expect(404, "GET", "/duty", compound_id=compound)
    world.as_["judicial"].expect(404, "GET", "/duty", compound_id="01a22dac-0000-7000-8000-000000000000")
    code, err = world.as_["judicial"].call("GET", "/duty", compound_id=world.units["b1"]["id"])
    assert code == 422 and "compound_id" in err["error"]["fields"]
    world.anonymous.expect(401, "GET", "/duty", compound_id=compound)


def test_the_lawyer_feed_parses_with_shanghai_times_and_revocation_is_404(world, setup):
    from icalendar import Calendar

    judicial = world.as_["judicial"]
    feed = judicial.expect(201, "POST", "/feeds", {"kind": "lawyer",
                                                  "subject_id": setup["helpers"]["b"]["id"]})
    assert feed["url"].startswith("https://fazhi.example.cn/api/v1/legal/feeds/")
    token = feed["url"].split("/feeds/")[1].split("/")[0]
    assert world.rows("SELECT token_hash FROM feeds WHERE id = :i", i=feed["id"])[0][
        "token_hash"] != token
    path = feed["url"].removeprefix("https://fazhi.example.cn")
    r = world.client.get(path)                               # no bearer token
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = cal.walk("VEVENT")
    roster_b = [s for s in setup["roster"]["shifts"] if s["helper_id"] == setup["helpers"]["b"]["id"]]
    assert len(events) == len(roster_b)
    first = min(events, key=lambda e: e.decoded("dtstart"))
    start = first.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert start == datetime.fromisoformat(roster_b[0]["starts_at"])
    assert (start.hour, start.minute) in ((9, 0), (14, 0))
    assert "孙律师" in str(first["SUMMARY"]) and "阳光花园" in str(first["LOCATION"])
    compound_feed = judicial.expect(201, "POST", "/feeds", {
        "kind": "compound", "subject_id": world.units["compound"]["id"]})
    r2 = world.client.get(compound_feed["url"].removeprefix("https://fazhi.example.cn"))
    assert len(Calendar.from_ical(r2.data).walk("VEVENT")) >= 40
    judicial.expect(200, "DELETE", f"/feeds/{feed['id']}")
    assert world.client.get(path).status_code == 404
    assert world.client.get("/api/v1/legal/feeds/" + "x" * 43 + "/calendar.ics").status_code == 404


def test_roster_export_xlsx(world, setup):
    import openpyxl

    r = world.client.get(f"/api/v1/legal/rosters/{setup['roster']['id']}/roster.xlsx",
                         headers=world.as_["judicial"].headers)
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "星期", "时段") and len(rows) == 1 + 41
    assert {r[3] for r in rows[1:]} >= {"09:00", "14:00"}
    assert {(r[2], r[3], r[4]) for r in rows[1:] if r[3] == "14:00"} == {("下午", "14:00", "17:30")}


def test_a_swap_needs_approval(world, setup):
    lawyer = world.as_.setdefault("lawyer_a", _lawyer_login(world, setup))
    a_shift = next(s for s in setup["roster"]["shifts"]
                   if s["helper_id"] == setup["helpers"]["a"]["id"])
    swap = lawyer.expect(201, "POST", "/swaps", {"shift_id": a_shift["id"],
                                                "to_helper_id": setup["helpers"]["b"]["id"]})
    assert swap["status"] == "requested"
    lawyer.expect(403, "POST", f"/swaps/{swap['id']}/decision", {"approve": True})
    decided = world.as_["judicial"].expect(200, "POST", f"/swaps/{swap['id']}/decision",
                                           {"approve": True})
    assert decided["status"] == "approved"
    roster = world.as_["judicial"].expect(200, "GET", f"/rosters/{setup['roster']['id']}")
    assert next(s for s in roster["shifts"] if s["id"] == a_shift["id"])["helper_id"] \
        == setup["helpers"]["b"]["id"]
    seen, cursor = [], None
    while True:                       # page by page, 4 at a time, in time order
        page = lawyer.expect(200, "GET", "/my-shifts", limit=4,
                             **({"cursor": cursor} if cursor else {}))
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert a_shift["id"] not in {s["id"] for s in seen} and len(seen) > 4
    assert [s["starts_at"] for s in seen] == sorted(s["starts_at"] for s in seen)
    assert len({s["id"] for s in seen}) == len(seen)


def _lawyer_login(world, setup):
    """钱律师's own login: the person behind helper a, with the lawyer role."""
    login = world.make_login(world.units["compound"]["id"], "lawyer",
                             person_id=setup["lawyer_person"],
                             username=f"lawyer_{world.tag}")
    return world.gateway(login)


# -- bookings -------------------------------------------------------------------------------
def test_twenty_concurrent_bookings_for_the_last_place_one_succeeds(world, setup):
    desk = world.as_["property"]
    shift = setup["roster"]["shifts"][5]
    resident = world.as_["resident"]
    mine = resident.expect(201, "POST", "/bookings", {"shift_id": shift["id"],
                                                     "topic": "property_management"})
    assert mine["on_behalf"] is False and mine["person_id"] == resident.person_id
    code, err = resident.call("POST", "/bookings", {"shift_id": shift["id"]})
    assert code == 409 and "重复预约" in err["error"]["message"]
    neighbour = world.as_["neighbour"]
    neighbour.expect(201, "POST", "/bookings", {"shift_id": shift["id"]})
    # one place left (capacity 3); 20 residents' bookings taken at the desk at once (代办)
    people = [world.person(f"居民{i}", unit="room102") for i in range(20)]

    def attempt(pid):
        return desk.call("POST", "/bookings", {"shift_id": shift["id"], "person_id": pid,
                                               "unit_id": world.units["room102"]["id"]})

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(attempt, people))
    codes = sorted(c for c, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 19, codes
    [(_, won)] = [r for r in results if r[0] == 201]
    assert won["on_behalf"] is True and won["acted_by"] == world.logins["property"]["id"]
    assert all("约满" in body["error"]["message"] for c, body in results if c == 409)
    assert world.rows("SELECT booked FROM shifts WHERE id = :i", i=shift["id"])[0]["booked"] == 3
    assert world.rows("SELECT count(*) AS n FROM bookings WHERE shift_id = :i AND "
                      "status = 'confirmed'", i=shift["id"])[0]["n"] == 3
    [audit] = world.rows("SELECT * FROM audit_log WHERE entity = 'booking' AND entity_id = :i",
                         i=won["id"])
    assert audit["on_behalf_of"] == won["person_id"]
    # a cancellation frees the place; the resident sees only their own bookings
    resident.expect(200, "POST", f"/bookings/{mine['id']}/cancel")
    slots = resident.expect(200, "GET", "/slots", compound_id=world.units["compound"]["id"],
                            limit=10)
    assert next(s for s in slots["items"] if s["shift_id"] == shift["id"])["free"] == 1
    own = resident.expect(200, "GET", "/bookings")
    assert {b["person_id"] for b in own["items"]} == {resident.person_id}


def test_consultation_walk_in_and_escalation_event(world, setup):
    desk = world.as_["property"]
    record = desk.expect(201, "POST", "/consultations", {
        "compound_id": world.units["compound"]["id"], "person_id": world.as_["resident"].person_id,
        "topic": "neighbours", "summary": "楼上漏水，联系电话13912345678，身份证320123199001011234",
        "advice": "先协商，保留证据"})
    assert record["channel"] == "walk_in" and "13912345678" not in record["summary"]
    assert "139****5678" in record["summary"]
    world.as_["resident"].expect(200, "GET", f"/consultations/{record['id']}")
    world.as_["neighbour"].expect(404, "GET", f"/consultations/{record['id']}")
    escalated = desk.expect(200, "POST", f"/consultations/{record['id']}/escalate")
    assert escalated["status"] == "escalated"
    [row] = world.rows("SELECT envelope FROM outbox WHERE event_type = "
                       "'legal.consultation.escalated' AND envelope->'payload'->>"
                       "'consultation_id' = :i", i=record["id"])
    payload = ConsultationEscalated().load(row["envelope"]["payload"])
    assert payload["person_id"] == world.as_["resident"].person_id
    assert payload["escalated_by"] == world.logins["property"]["id"]
    assert payload["path"] == world.units["compound"]["path"]
    assert "13912345678" not in payload["summary"] and "199001011234" not in payload["summary"]
    desk.expect(409, "POST", f"/consultations/{record['id']}/escalate")
