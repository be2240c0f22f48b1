"""Legal-literate persons through the gateway on the real broker and database, org
running: intake → assessment → confirmation, coverage of a compound's six buildings,
the public profile, the name card PDF (font embedded, its QR decoded)."""
import pytest

from fazhi_legal_contract.schemas import LiterateConfirmed



def take_in(world, name, buildings, api="worker", pool="teacher", phone_route=None):
    body = {"person_id": world.person(name), "compound_id": world.units["compound"]["id"],
            "building_ids": [world.units[b]["id"] for b in buildings], "pool": pool,
            "nomination": "nominated", "nominated_by": "阳光社区居委会"}
    if phone_route:
        body["contact_route"] = phone_route
    return world.as_[api].expect(201, "POST", "/literates", body)


def confirm(world, lit):
    judicial = world.as_["judicial"]
    judicial.expect(200, "POST", f"/literates/{lit['id']}/assessment", {"note": "面谈通过"})
    return judicial.expect(200, "POST", f"/literates/{lit['id']}/decision", {"confirm": True})


@pytest.fixture(scope="module")
def covered(world):
    """Confirmed persons on 1幢, 2幢+3幢 and 5幢; one rejected on 4幢, one only
    nominated on 6幢 — so 4幢 and 6幢 have no confirmed person."""
    made = {"a": confirm(world, take_in(world, "周明白", ["b1"],
                                        phone_route="电话 13812345678")),
            "b": confirm(world, take_in(world, "吴法宣", ["b2", "b3"], pool="veteran")),
            "c": confirm(world, take_in(world, "郑五老", ["b5"], pool="five_olds"))}
    rejected = take_in(world, "王未过", ["b4"])
    world.as_["judicial"].expect(200, "POST", f"/literates/{rejected['id']}/decision",
                                 {"confirm": False, "reason": "未参加考核"})
    take_in(world, "冯待定", ["b6"])
    return made


def test_six_buildings_two_without_a_confirmed_person_shows_exactly_those(world, covered):
    report = world.as_["worker"].expect(200, "GET", "/coverage",
                                        unit_id=world.units["compound"]["id"])
    [compound] = report["compounds"]
    assert compound["buildings"] == 6 and compound["covered"] == 4
    assert [b["name"] for b in compound["uncovered"]] == ["4幢", "6幢"]
    assert {b["id"] for b in compound["uncovered"]} == {world.units["b4"]["id"],
                                                         world.units["b6"]["id"]}
    assert report["buildings_without"] == 2
    [community] = report["communities"]
    assert (community["confirmed"], community["target"], community["meets_target"]) \
        == (3, 3, True)
    # a street admin sees the community's two compounds
    street = world.as_["judicial"].expect(200, "GET", "/coverage",
                                          unit_id=world.units["street"]["id"])
    by_name = {c["compound_name"]: c for c in street["compounds"]}
    assert [b["name"] for b in by_name["阳光花园"]["uncovered"]] == ["4幢", "6幢"]
    assert by_name["滨江小区"]["uncovered"][0]["name"] == "1幢"
    # another street's worker: 404; a resident: refused at the door
    world.as_["worker_b"].expect(404, "GET", "/coverage", unit_id=world.units["compound"]["id"])
    world.as_["resident"].expect(403, "GET", "/coverage", unit_id=world.units["compound"]["id"])


def test_confirmation_event_and_masked_contact(world, covered):
    a = covered["a"]
    assert a["status"] == "confirmed" and a["contact_route"] == "电话 138****5678"
    [row] = world.rows("SELECT envelope FROM outbox WHERE event_type = "
                    "'legal.person.confirmed' AND envelope->'payload'->>'literate_id' = :i",
                    i=a["id"])
    payload = LiterateConfirmed().load(row["envelope"]["payload"])
    assert payload["building_ids"] == [world.units["b1"]["id"]]
    assert "13812345678" not in str(row["envelope"])


def test_intake_refusals(world, covered):
    worker = world.as_["worker"]
    pid = world.person("重复者")
    body = {"person_id": pid, "compound_id": world.units["compound"]["id"],
            "building_ids": [world.units["c2b1"]["id"]], "pool": "teacher",
            "nomination": "self"}
    code, err = worker.call("POST", "/literates", body)
    assert code == 422 and "building_ids" in err["error"]["fields"], err
    code, err = worker.call("POST", "/literates", {**body, "building_ids": [],
                                                   "pool": "astronaut"})
    assert code == 422 and "pool" in err["error"]["fields"]
    worker.expect(201, "POST", "/literates", {**body, "building_ids": []})
    code, err = worker.call("POST", "/literates", {**body, "building_ids": []})
    assert code == 409
    b = covered["b"]
    code, err = world.as_["judicial"].call("POST", f"/literates/{b['id']}/decision",
                                           {"confirm": False, "reason": "撤回"})
    assert code == 409          # confirmed already: no way back by a decision
    fresh = take_in(world, "无理由", ["b6"])
    code, err = world.as_["judicial"].call("POST", f"/literates/{fresh['id']}/decision",
                                           {"confirm": False})
    assert code == 422 and "reason" in err["error"]["fields"]
    world.as_["worker_b"].expect(404, "GET", f"/literates/{b['id']}")


def test_public_profile_shows_no_phone(world, covered):
    a = covered["a"]
    profile = world.anonymous.expect(200, "GET", f"/literates/{a['id']}/profile")
    assert profile["name"] == "周明白" and profile["compound_name"] == "阳光花园"
    assert [b["name"] for b in profile["buildings"]] == ["1幢"]
    assert "13812345678" not in str(profile) and "person_id" not in profile
    rejected = world.rows("SELECT id FROM literates WHERE status = 'rejected'")[0]
    world.anonymous.expect(404, "GET", f"/literates/{rejected['id']}/profile")


def test_name_card_pdf_embeds_its_font_and_its_qr_opens_the_profile(world, covered):
    from fazhi_shared.service.pdf import decode_qr, pdf_fonts, pdf_text, pdf_to_png

    a = covered["a"]
    r = world.client.get(f"/api/v1/legal/literates/{a['id']}/name-card.pdf",
                         headers=world.as_["worker"].headers)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    content = r.data
    fonts = pdf_fonts(content)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    text = pdf_text(content)
    for words in ("法律明白人", "周明白", "阳光花园", "1幢", "138****5678"):
        assert words in text
    assert "13812345678" not in text
    assert decode_qr(pdf_to_png(content)) == [
        f"https://fazhi.example.cn/h5/legal/people/{a['id']}"]
    nominated = world.rows("SELECT id FROM literates WHERE status = 'nominated' "
                        "LIMIT 1")[0]
    code, _ = world.as_["worker"].call("GET", f"/literates/{nominated['id']}/name-card.pdf")
    assert code == 409
