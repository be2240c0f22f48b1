"""Appeals (anonymous, working-day deadlines, overdue flagged by the timer, satisfaction,
reopening, the referral event for the dispute service), the mirror board (never who
asked), the matter's PDFs (fonts embedded, ballots by code only), meetings and
participation scores fed by events."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from fazhi_shared import files
from fazhi_shared.calendar import default_calendar
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.pdf import pdf_fonts, pdf_text
from fazhi_shared.service.testing import call_as, wait_until

from fazhi_deliberation_contract.schemas import AppealReferred

from .conftest import SYSTEM, import_compound, owner_rows, user, wait_for_compound


def rows(db, sql, **params):
    with engine_for(db).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


@pytest.fixture(scope="module")
def compound(city, databases):
    c = import_compound(city, "诉求小区", owner_rows(["95.00"] * 5, 41))
    wait_for_compound(databases["deliberation"], c["id"])
    electorate = call_as(SYSTEM, "org", "electorate", compound_id=c["id"])
    c["owners"] = electorate["owners"]
    return c


@pytest.fixture(scope="module")
def worker(city):
    return user("community_worker", city["community"]["path"])


def resident(compound, n):
    """Owner n as a signed-in resident of their unit."""
    o = compound["owners"][n]
    unit_path = f"{compound['path']}/{_building(compound)}/{o['unit_ids'][0]}"
    return Principal(kind="user", account_id=str(uuid.uuid4()), person_id=o["voter_person_id"],
                     grants=(Grant("resident", unit_path),))


def _building(compound):
    if "building_id" not in compound:
        compound["building_id"] = call_as(SYSTEM, "org", "list_units", parent_id=compound["id"],
                                          limit=5)["items"][0]["id"]
    return compound["building_id"]


def test_an_appeal_from_submission_to_closing(compound, worker, databases, set_today):
    db = databases["deliberation"]
    asker = resident(compound, 0)
    neighbour = resident(compound, 1)
    unit_id = compound["owners"][0]["unit_ids"][0]
    appeal = call_as(asker, "deliberation", "submit_appeal", unit_id=unit_id,
                     category="facilities", anonymous=True,
                     summary="2幢电梯经常停运，联系电话13812345678")
    assert appeal["status"] == "submitted" and appeal["mine"] and appeal["person_id"] is None
    seen = call_as(worker, "deliberation", "get_appeal", appeal_id=appeal["id"])
    assert seen["person_id"] is None and not seen["mine"]          # staff: not who asked
    with pytest.raises(NotFound):
        call_as(neighbour, "deliberation", "get_appeal", appeal_id=appeal["id"])
    with pytest.raises(NotFound):                                   # not theirs: unseen
        call_as(neighbour, "deliberation", "assign_appeal", appeal_id=appeal["id"],
                responsible="property_company")
    mine = call_as(asker, "deliberation", "list_appeals", mine=True)["items"]
    assert [a["id"] for a in mine] == [appeal["id"]]
    assert appeal["id"] in {a["id"] for a in call_as(worker, "deliberation", "list_appeals",
                                                      compound_id=compound["id"])["items"]}

    assigned = call_as(worker, "deliberation", "assign_appeal", appeal_id=appeal["id"],
                       responsible="property_company", reply_days=3)
    from fazhi_shared import clock
    expected = default_calendar().working_days_end(clock.today_local(), 3).last_day
    assert assigned["status"] == "assigned" and assigned["reply_days"] == 3
    assert date.fromisoformat(assigned["reply_due_on"]) == expected
    # past the last day the timer flags it once, with its event
    set_today(date.fromisoformat(assigned["reply_due_on"]) + timedelta(days=1))
    wait_until(lambda: call_as(worker, "deliberation", "get_appeal",
                               appeal_id=appeal["id"])["overdue"], timeout=15,
               what="the appeal flagged overdue")
    events = rows(db, "SELECT count(*) AS n FROM outbox WHERE event_type = "
                  "'deliberation.appeal.overdue' AND envelope->'payload'->>'appeal_id' = :a",
                  a=appeal["id"])
    assert events == [{"n": 1}]

    answered = call_as(worker, "deliberation", "answer_appeal", appeal_id=appeal["id"],
                       reply="已联系维保单位更换控制板。")
    assert answered["status"] == "answered" and answered["overdue"]
    with pytest.raises(NotFound):
        call_as(neighbour, "deliberation", "rate_appeal", appeal_id=appeal["id"],
                satisfaction="satisfied")
    call_as(asker, "deliberation", "rate_appeal", appeal_id=appeal["id"],
            satisfaction="unsatisfied")
    reopened = call_as(asker, "deliberation", "reopen_appeal", appeal_id=appeal["id"],
                       reason="仍然停运")
    assert (reopened["status"], reopened["reopen_count"], reopened["overdue"]) == (
        "reopened", 1, False)
    call_as(worker, "deliberation", "answer_appeal", appeal_id=appeal["id"], reply="已更换主板。")
    closed = call_as(asker, "deliberation", "rate_appeal", appeal_id=appeal["id"],
                     satisfaction="satisfied")
    assert closed["status"] == "closed"
    with pytest.raises(Conflict):
        call_as(worker, "deliberation", "answer_appeal", appeal_id=appeal["id"], reply="x")

    board = call_as(asker, "deliberation", "mirror_board", compound_id=compound["id"])
    [topic] = [t for t in board["topics"] if t["category"] == "facilities"]
    assert topic["appeals"] >= 1 and topic["answered"] >= 1 and topic["satisfied"] >= 1
    shown = str(board)
    assert "13812345678" not in shown and asker.person_id not in shown
    assert asker.account_id not in shown


def test_an_appeal_that_is_a_dispute_is_referred_by_event(compound, worker, databases):
    asker = resident(compound, 2)
    appeal = call_as(asker, "deliberation", "submit_appeal",
                     unit_id=compound["owners"][2]["unit_ids"][0], category="neighbours",
                     summary="楼上装修噪音，身份证32128319800101123X的住户拒绝协商")
    referred = call_as(worker, "deliberation", "refer_appeal", appeal_id=appeal["id"],
                       note="邻里纠纷，转人民调解")
    assert referred["status"] == "referred"
    [event] = rows(databases["deliberation"], "SELECT envelope FROM outbox WHERE event_type = "
                   "'deliberation.appeal.referred' AND envelope->'payload'->>'appeal_id' = :a",
                   a=appeal["id"])
    payload = AppealReferred().load(event["envelope"]["payload"])
    assert payload["person_id"] == asker.person_id and payload["compound_id"] == compound["id"]
    assert payload["referred_by"] == worker.account_id and payload["category"] == "neighbours"
    assert "32128319800101123X" not in payload["summary"] and "装修噪音" in payload["summary"]
    with pytest.raises(Conflict):
        call_as(worker, "deliberation", "refer_appeal", appeal_id=appeal["id"])


def test_documents_meetings_and_scores(compound, worker, databases, set_today):
    db = databases["deliberation"]
    matter = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                     title="续聘物业服务企业", category="property_manager",
                     items=[{"title": "续聘阳光物业三年"}])
    noticed = call_as(worker, "deliberation", "give_notice", matter_id=matter["id"])
    notice = files.read_bytes(call_as(worker, "deliberation", "notice_pdf", timeout=60,
                                      matter_id=matter["id"]))
    assert all(embedded for _, embedded in pdf_fonts(notice))
    text_ = pdf_text(notice)
    assert "业主总人数" in text_ and "5 人" in text_ and "475.00" in text_
    sheets = files.read_bytes(call_as(worker, "deliberation", "paper_ballots_pdf", timeout=60,
                                      matter_id=matter["id"]))
    text_ = pdf_text(sheets)
    codes = [r["ballot_code"] for r in rows(db, "SELECT ballot_code FROM electorate_entries "
                                               "WHERE matter_id = :m", m=matter["id"])]
    assert len(codes) == 5 and all(c in text_ for c in codes)
    assert not any(o["name"] in text_ for o in compound["owners"])      # codes, not names

    set_today(date.fromisoformat(noticed["notice_period_ends"]) + timedelta(days=1))
    voting = call_as(worker, "deliberation", "open_voting", matter_id=matter["id"])
    item = voting["items"][0]["id"]
    # a paper ballot is taken by its code
    entry_code = codes[0]
    with pytest.raises(ValidationFailed):
        call_as(worker, "deliberation", "cast_ballot", matter_id=matter["id"], channel="paper",
                ballot_code="WRONG123", choices=[{"item_id": item, "choice": "yes"}])
    call_as(worker, "deliberation", "cast_ballot", matter_id=matter["id"], channel="paper",
            ballot_code=entry_code, choices=[{"item_id": item, "choice": "yes"}])
    voters = [resident(compound, n) for n in range(1, 4)]
    for v in voters:
        call_as(v, "deliberation", "cast_ballot", matter_id=matter["id"],
                choices=[{"item_id": item, "choice": "yes"}])
    set_today(date.fromisoformat(voting["voting_ends_on"]) + timedelta(days=1))
    result = call_as(worker, "deliberation", "close_vote", matter_id=matter["id"])
    assert result["items"][0]["passed"] and result["items"][0]["participating_owners"] == 4
    announcement = pdf_text(files.read_bytes(call_as(worker, "deliberation", "result_pdf",
                                                     timeout=60, matter_id=matter["id"])))
    assert "通过" in announcement and "一年" in announcement and "4/5" in announcement

    # a law-aided meeting: a legal adviser must take part
    with pytest.raises(ValidationFailed):
        call_as(worker, "deliberation", "record_meeting", compound_id=compound["id"],
                topic="停车难", held_on="2026-12-01",
                participants=[{"name": "张三", "role": "owner"}])
    meeting = call_as(worker, "deliberation", "record_meeting", compound_id=compound["id"],
                      topic="地面停车位规划", held_on="2026-12-01",
                      participants=[{"name": "李律师", "role": "legal_adviser"},
                                    {"name": "业主41-1", "role": "owner",
                                     "person_id": voters[0].person_id,
                                     "household_unit_id": compound["owners"][1]["unit_ids"][0]}],
                      minutes="讨论地面车位划线方案。", resolutions=["提交业主大会表决"],
                      matter_ids=[matter["id"]])
    assert meeting["legal_adviser"] == "李律师"
    assert "person_id" not in str(call_as(voters[1], "deliberation", "get_meeting",
                                          meeting_id=meeting["id"]))

    # points: a vote each (once per matter), the meeting for its participant
    def ranking():
        return call_as(worker, "deliberation", "score_ranking", compound_id=compound["id"],
                       by="household")["rows"]
    wait_until(lambda: len(ranking()) >= 4 and ranking()[0]["points"] == 5, timeout=20,
               what="points from the ballots and the meeting")
    top = ranking()[0]
    assert top["unit_id"] == compound["owners"][1]["unit_ids"][0] and top["rank"] == 1
    mine = call_as(voters[0], "deliberation", "my_score")
    assert mine["points"] == 5 and mine["by_reason"] == {"vote": 2, "meeting": 3}
