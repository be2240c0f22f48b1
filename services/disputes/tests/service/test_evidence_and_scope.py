"""The evidence trail and who sees what, through the gateway on the real services:
the chain check names an entry altered in the database, catches a deleted last entry,
and concurrent actions on one case do not fork the chain; a resident reads their own
case and gets 404 on a neighbour's; photos lose their location for anyone but staff;
the judicial-confirmation window; the printable documents."""
import io

import eventlet

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.pdf import pdf_fonts, pdf_text
from fazhi_shared.service.testing import call_as


def test_altering_one_log_entry_makes_the_check_name_it(world, flows):
    admin, auditor = world.api["admin"], world.api["auditor"]
    case = flows.settle(admin, flows.new_case(admin, world))
    check = auditor.ok("GET", f"/cases/{case['id']}/chain-check")
    assert check["ok"] is True and check["entries"] >= 5
    log = admin.ok("GET", f"/cases/{case['id']}/log")["items"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert log[1]["prev_hash"] == log[0]["hash"]
    assert flows.execute(world.db, "UPDATE case_log SET detail = detail || '{\"to\": \"closed\"}' "
                         "WHERE case_id = :c AND seq = 3", c=case["id"]) == 1
    check = auditor.ok("GET", f"/cases/{case['id']}/chain-check")
    assert (check["ok"], check["first_bad_seq"], check["reason"]) == (False, 3, "altered")
    # a resident may not run the check; staff outside scope get 404
    assert world.api["resident"].get(f"/cases/{case['id']}/chain-check")[0] == 403
    assert world.api["worker_b"].get(f"/cases/{case['id']}/chain-check")[0] == 403


def test_deleting_the_last_entry_is_caught(world, flows):
    admin, auditor = world.api["admin"], world.api["auditor"]
    case = flows.act(admin, flows.new_case(admin, world), "accept")
    [last] = flows.rows(world.db, "SELECT max(seq) AS seq FROM case_log WHERE case_id = :c",
                        c=case["id"])
    assert flows.execute(world.db, "DELETE FROM case_log WHERE case_id = :c AND seq = :s",
                         c=case["id"], s=last["seq"]) == 1
    check = auditor.ok("GET", f"/cases/{case['id']}/chain-check")
    assert (check["ok"], check["first_bad_seq"], check["reason"]) == (False, last["seq"],
                                                                      "missing")


def test_concurrent_actions_on_one_case_do_not_fork_the_chain(world, flows):
    admin = world.api["admin"]
    case = flows.act(admin, flows.new_case(admin, world), "accept")
    staff = Principal(kind="user", account_id=world.logins["admin"]["id"],
                      person_id=world.logins["admin"]["person_id"],
                      grants=(Grant("city_admin", world.units["city"]["path"]),))

    def record(i):
        return call_as(staff, "disputes", "add_record", case_id=case["id"],
                       kind="investigation", text=f"调查记录 {i}")

    pool = eventlet.GreenPool(12)
    made = list(pool.imap(record, range(12)))
    assert len({r["id"] for r in made}) == 12
    entries = flows.rows(world.db, "SELECT seq, prev_hash, hash FROM case_log "
                         "WHERE case_id = :c ORDER BY seq", c=case["id"])
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(entries, entries[1:]))
    check = world.api["auditor"].ok("GET", f"/cases/{case['id']}/chain-check")
    assert check["ok"] and check["entries"] == len(entries) == 2 + 12


def test_a_resident_reads_their_own_case_and_gets_404_on_a_neighbours(world, flows):
    admin, resident, neighbour = (world.api[k] for k in ("admin", "resident", "neighbour"))
    mine = resident.ok("POST", "/reports", {"description": "楼道堆放杂物，影响通行。",
                                            "category": "property", "subtype": "clutter"},
                       status=201)
    assert mine["source"] == "party_application" and mine["unit_id"] == world.units["unit1"]["id"]
    assert mine["parties"] == [{"person_id": resident.person_id, "role": "applicant",
                                "name": None}]
    theirs = neighbour.ok("POST", "/reports", {"description": "隔壁装修噪声扰民。",
                                               "subtype": "noise"}, status=201)
    assert resident.ok("GET", f"/cases/{mine['id']}")["id"] == mine["id"]
    code, body = resident.get(f"/cases/{theirs['id']}")
    assert code == 404 and body["error"]["code"] == "not_found"
    listed = {c["id"] for c in resident.ok("GET", "/cases", limit=200)["items"]}
    assert mine["id"] in listed and theirs["id"] not in listed
    assert resident.get(f"/cases/{theirs['id']}/log")[0] == 404
    # a party to a staff-registered case sees it too (the neighbour is its respondent)
    both = flows.new_case(admin, world)
    assert neighbour.ok("GET", f"/cases/{both['id']}")["id"] == both["id"]
    assert {p["name"] for p in both["parties"]} == {
        f"{world.logins[k]['username']}的主人" for k in ("resident", "neighbour")}
    # a party must be a person org shows the registrar: worker_b's scope is another street
    code, body = world.api["worker_b"].post("/cases", {
        "unit_id": world.units["compound_b"]["id"], "source": "grid_patrol",
        "category": "neighbours", "description": "跨街道当事人",
        "parties": [{"person_id": resident.person_id, "role": "applicant"}]})
    assert code == 422 and "parties" in body["error"]["fields"]
    # staff of another street: 404; the community's worker: in scope
    assert world.api["worker_b"].get(f"/cases/{mine['id']}")[0] == 404
    assert world.api["worker"].ok("GET", f"/cases/{mine['id']}")["id"] == mine["id"]
    # residents may not work a case
    assert resident.post(f"/cases/{mine['id']}/actions", {"action": "accept"})[0] == 403


def test_a_mediators_caseload(world, flows):
    admin, mediator = world.api["admin"], world.api["mediator"]
    case = flows.act(admin, flows.new_case(admin, world), "assign",
                     mediator_person_id=mediator.person_id)
    flows.new_case(admin, world)
    mine = mediator.ok("GET", "/cases", mine="true", limit=200)["items"]
    assert [c["id"] for c in mine] == [case["id"]]
    from fazhi_shared.ids import new_id

    code, body = admin.post(f"/cases/{case['id']}/actions",
                            {"action": "assign", "mediator_person_id": new_id()})
    assert code == 422 and "mediator_person_id" in body["error"]["fields"]


def _photo_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (32, 24), (10, 120, 200))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (32.0, 10.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_keep_their_original_for_staff_and_lose_location_for_residents(world, flows):
    from PIL import Image

    resident, admin = world.api["resident"], world.api["admin"]
    case = resident.ok("POST", "/reports", {"description": "绿地被占用种菜。",
                                            "subtype": "green_space"}, status=201)
    original = _photo_with_gps()
    code, att = resident.post(f"/cases/{case['id']}/attachments",
                              data={"file": (io.BytesIO(original), "现场.jpg"),
                                    "caption": "现场照片"},
                              content_type="multipart/form-data")
    assert code == 201, att
    staff_view = admin.ok("GET", f"/cases/{case['id']}/attachments")["items"][0]
    assert files.read_bytes(staff_view["address"]) == original
    r = world.client.get(f"/api/v1/disputes/attachments/{att['id']}/file",
                         headers=resident.headers)
    assert r.status_code == 200
    shown = Image.open(io.BytesIO(r.data))
    assert shown.size == (32, 24) and not shown.getexif().get_ifd(0x8825)
    r = world.client.get(f"/api/v1/disputes/attachments/{att['id']}/file",
                         headers=admin.headers)
    assert r.data == original
    code, body = resident.post(f"/cases/{case['id']}/attachments",
                               data={"file": (io.BytesIO(b"MZ\x90\x00evil"), "a.exe")},
                               content_type="multipart/form-data")
    assert code == 422 and "file" in body["error"]["fields"]
    log = admin.ok("GET", f"/cases/{case['id']}/log")["items"]
    assert log[-1]["action"] == "attach" and log[-1]["detail"]["address"] == staff_view["address"]


def test_the_confirmation_window_ends_after_national_day(world, flows):
    admin = world.api["admin"]
    case = flows.settle(admin, flows.new_case(admin, world), effective_on="2026-09-03")
    assert case["confirmation"] == {"offered": True, "last_day": "2026-10-08",
                                    "approximate": False}
    status = flows.settle(admin, flows.new_case(admin, world, category="marriage_family"),
                          concerns_status=True)
    assert status["confirmation"]["offered"] is False
    support = flows.settle(admin, flows.new_case(admin, world, category="marriage_family"),
                           effective_on="2026-03-02")
    assert support["confirmation"] == {"offered": True, "last_day": "2026-04-01",
                                       "approximate": False}
    agreement = admin.ok("GET", f"/cases/{case['id']}/agreement")
    assert agreement["copies"] == 3 and agreement["effective_on"] == "2026-09-03"


def test_a_written_agreement_needs_every_signature_and_the_seal(world, flows):
    admin = world.api["admin"]
    case = flows.act(admin, flows.new_case(admin, world), "accept")
    case = flows.act(admin, case, "start_mediation")
    code, body = admin.post(f"/cases/{case['id']}/agreement", {
        "form": "written", "facts": "事实", "signed_by": [admin.person_id],
        "terms": [{"content": "赔偿", "method": "现金", "place": "社区", "due_on": "2026-12-31"}],
        "mediator_signed": True, "sealed": True})
    assert code == 422 and "signed_by" in body["error"]["fields"]
    oral = admin.ok("POST", f"/cases/{case['id']}/agreement", {
        "form": "oral", "facts": "口头协议：当场道歉。",
        "terms": [{"content": "道歉", "method": "当面", "place": "社区", "due_on": "2026-12-01"}]})
    assert oral["state"] == "settled"


def test_printable_documents_embed_their_chinese_font(world, flows):
    admin = world.api["admin"]
    case = flows.settle(admin, flows.new_case(admin, world), effective_on="2026-09-03")
    for document, words in (("agreement", "人民调解协议书"),
                            ("confirmation_application", "司法确认申请书"),
                            ("case_file", "人民调解卷宗")):
        r = world.client.get(f"/api/v1/disputes/cases/{case['id']}/documents/{document}",
                             headers=admin.headers)
        assert r.status_code == 200 and r.data.startswith(b"%PDF"), r.data[:200]
        assert words in pdf_text(r.data).replace(" ", "")
        if document == "agreement":        # the parties by name, as org gave them
            assert world.logins["resident"]["username"] in pdf_text(r.data)
        assert pdf_fonts(r.data) and all(embedded for _, embedded in pdf_fonts(r.data))
    no_agreement = flows.new_case(admin, world)
    r = world.client.get(f"/api/v1/disputes/cases/{no_agreement['id']}/documents/agreement",
                         headers=admin.headers)
    assert r.status_code == 409
