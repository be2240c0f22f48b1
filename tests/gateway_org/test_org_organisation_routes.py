"""The organisation routes end to end, through HTTP as real logins: a street of its own
with three compounds given some of the five haves through the routes, Party organisations
and members with the identity choice, the mediation committee rule (422 naming the field,
Chinese or English), bodies, micro-grids, the coverage report, and the gateway's gates:
403 for an undeclared role, 404 outside scope, 422 naming the field."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.service.testing import call_as

from org.domain.bodies import mediation_term_end

from gateway.testing import headers_for, make_login

SYSTEM = Principal.system()
API = "/api/v1/org"
EN = {"Accept-Language": "en"}
DAY = timedelta(days=1)
FIVE = ["property_company", "owners_committee", "party_group", "mediation_committee",
        "deliberation_venue"]


def today():
    return clock.today_local()


# -- accounts: seeded through org's RPCs, used through HTTP logins ----------------------------
@pytest.fixture(scope="module")
def http(app):
    """One test client for the module (module-scoped fixtures go through HTTP too)."""
    return app.test_client()


def post(http, headers, url, body, status=201):
    r = http.post(url, headers=headers, json=body)
    assert r.status_code == status, (url, r.get_json())
    return r.get_json()


@pytest.fixture(scope="module")
def town(world, http):
    """A street of its own under the conftest's city, made by the city admin through HTTP:
    东社区 with 甲 (all five haves and a grid worker), 乙 (property company and owners'
    committee only) and 丙 (nothing); and logins by role."""
    admin = headers_for(http, world.admin)
    street = post(http, admin, f"{API}/units", {"parent_id": world.units["city"]["id"],
                                                 "kind": "street", "name": "五有街道"})
    east = post(http, admin, f"{API}/units", {"parent_id": street["id"], "kind": "community",
                                               "name": "东社区"})
    c = {name: post(http, admin, f"{API}/units", {"parent_id": east["id"], "kind": "compound",
                                                   "name": name})
         for name in ("甲小区", "乙小区", "丙小区")}

    def person(compound, name, gender=None):
        return post(http, admin, f"{API}/people",
                    {"name": name, "gender": gender, "unit_id": compound["id"]})

    start = (today() - 100 * DAY).isoformat()
    for name in ("甲小区", "乙小区"):
        cid = c[name]["id"]
        post(http, admin, f"{API}/compounds/{cid}/property-company",
             {"name": f"{name}物业", "contract_start": start,
              "contract_end": (today() + 900 * DAY).isoformat(),
              "contact_name": "物业经理", "contact_phone": "13800001234"})
        post(http, admin, f"{API}/compounds/{cid}/owners-committee",
             {"term_start": start, "term_end": (today() + 1500 * DAY).isoformat(),
              "members": [{"person_id": person(c[name], "业委会主任")["id"],
                           "position": "chair"}]})
    a = c["甲小区"]["id"]
    branch = post(http, admin, f"{API}/party-orgs",
                  {"kind": "community_branch", "name": "东社区党支部", "unit_id": east["id"]})
    group = post(http, admin, f"{API}/party-orgs",
                 {"kind": "compound_group", "name": "甲小区党小组", "unit_id": a})
    member = person(c["甲小区"], "老党员", "male")
    post(http, admin, f"{API}/party-orgs/{group['id']}/members",
         {"person_id": member["id"], "joined_on": start})
    trio = [person(c["甲小区"], n, g) for n, g in (("调解主任", "female"), ("调解员甲", "male"),
                                                 ("调解员乙", "male"))]
    mediation = post(http, admin, f"{API}/compounds/{a}/mediation-committee",
                     {"term_start": start,
                      "members": [{"person_id": p["id"], "position": "chair" if i == 0
                                   else "member"} for i, p in enumerate(trio)]})
    post(http, admin, f"{API}/compounds/{a}/deliberation-venue",
         {"name": "援法议事厅", "address": "物业楼二楼", "opening_hours": "每月第一个周六上午",
          "opened_on": start})
    grid_worker = person(c["甲小区"], "网格员小王", "female")
    post(http, admin, f"{API}/compounds/{a}/grid/workers",
         {"person_id": grid_worker["id"], "since": start})

    other_street = call_as(SYSTEM, "org", "create_unit", parent_id=world.units["city"]["id"],
                           kind="street", name="隔壁街道")
    logins = {
        "admin": world.admin,
        "worker": make_login(east["id"], "community_worker"),
        "judicial": make_login(street["id"], "judicial_staff"),
        "committee": make_login(c["乙小区"]["id"], "owners_committee"),
        "grid": make_login(c["甲小区"]["id"], "grid_worker"),
        "resident_a": make_login(c["甲小区"]["id"], "resident"),
        "stranger": make_login(other_street["id"], "street_admin"),
        "member": make_login(c["甲小区"]["id"], None, person_id=member["id"]),
    }
    return SimpleNamespace(
        street=street, east=east, compounds=c, branch=branch, group=group, member=member,
        mediation=mediation, trio=trio, grid_worker=grid_worker, person=person,
        h=SimpleNamespace(**{k: headers_for(http, v) for k, v in logins.items()}))


def members_of(ps, chair=0):
    return [{"person_id": p["id"], "position": "chair" if i == chair else "member"}
            for i, p in enumerate(ps)]


# -- the mediation committee ------------------------------------------------------------------
def test_a_mediation_committee_of_two_is_422_naming_members_in_chinese_or_english(town, http):
    cid = town.compounds["丙小区"]["id"]
    two = [town.person(town.compounds["丙小区"], f"两人{i}", g)
           for i, g in enumerate(("female", "male"))]
    body = {"term_start": "2026-01-01", "members": members_of(two)}
    url = f"{API}/compounds/{cid}/mediation-committee"
    zh = http.post(url, headers=town.h.worker, json=body)
    assert zh.status_code == 422
    assert zh.get_json()["error"]["code"] == "validation_failed"
    assert zh.get_json()["error"]["fields"] == {
        "members": ["人民调解委员会由委员三至九人组成，现为2人。"]}
    assert zh.get_json()["error"]["message"].startswith("人民调解委员会不能设立")
    en = http.post(url, headers={**town.h.worker, **EN}, json=body)
    assert en.status_code == 422
    assert en.get_json()["error"]["fields"] == {
        "members": ["A people's mediation committee has 3 to 9 members; 2 given."]}
    # nothing was recorded
    bodies = http.get(f"{API}/compounds/{cid}/bodies", headers=town.h.worker,
                      query_string={"include_dissolved": "true"}).get_json()
    assert bodies["items"] == []


def test_a_mediation_committee_without_a_woman_is_422(town, http):
    cid = town.compounds["丙小区"]["id"]
    # two men and one person whose gender is not recorded: no woman
    ps = [town.person(town.compounds["丙小区"], f"无女{i}", g)
          for i, g in enumerate(("male", "male", None))]
    url = f"{API}/compounds/{cid}/mediation-committee"
    body = {"term_start": "2026-01-01", "members": members_of(ps)}
    zh = http.post(url, headers=town.h.worker, json=body).get_json()["error"]
    assert list(zh["fields"]) == ["members"] and "妇女" in zh["fields"]["members"][0]
    en = http.post(url, headers={**town.h.worker, **EN}, json=body).get_json()["error"]
    assert "at least one woman" in en["fields"]["members"][0]
    # a term that is not three years names term_end
    women = ps[:2] + [town.person(town.compounds["丙小区"], "女委员", "female")]
    r = http.post(url, headers=town.h.worker,
                  json={"term_start": "2024-02-29", "term_end": "2027-03-01",
                        "members": members_of(women)})
    assert r.status_code == 422
    assert list(r.get_json()["error"]["fields"]) == ["term_end"]
    assert "2027-02-28" in r.get_json()["error"]["fields"]["term_end"][0]


def test_a_valid_mediation_committee_and_the_bodies_of_a_compound(town, http):
    m = town.mediation
    assert m["kind"] == "mediation_committee" and m["active"] is True
    assert m["name"] == "甲小区人民调解委员会"
    assert m["term_end"] == mediation_term_end(today() - 100 * DAY).isoformat()   # 3 years
    assert sorted(x["position"] for x in m["members"]) == ["chair", "member", "member"]
    cid = town.compounds["甲小区"]["id"]
    # residents of the compound see who serves them
    bodies = http.get(f"{API}/compounds/{cid}/bodies", headers=town.h.resident_a,
                      query_string={"limit": 2}).get_json()
    assert len(bodies["items"]) == 2 and bodies["next_cursor"]
    rest = http.get(f"{API}/compounds/{cid}/bodies", headers=town.h.resident_a,
                    query_string={"limit": 2, "cursor": bodies["next_cursor"]}).get_json()
    kinds = {b["kind"] for b in bodies["items"] + rest["items"]}
    assert kinds == {"property_company", "owners_committee", "mediation_committee",
                     "deliberation_venue"}
    glance = http.get(f"{API}/compounds/{cid}/organisation", headers=town.h.resident_a)
    assert glance.status_code == 200
    glance = glance.get_json()
    assert glance["mediation_committee"]["id"] == m["id"]
    assert [g["name"] for g in glance["party_groups"]] == ["甲小区党小组"]
    assert [w["name"] for w in glance["grid"]["workers"]] == ["网格员小王"]


def test_set_up_replace_and_dissolve_bodies_with_the_roles_that_may(town, http):
    cid = town.compounds["乙小区"]["id"]
    committee = town.h.committee                       # owners' committee of 乙
    company = post(http, committee, f"{API}/compounds/{cid}/property-company",
                   {"name": "新物业公司", "contract_start": today().isoformat(),
                    "contract_end": (today() + 365 * DAY).isoformat()})
    listed = http.get(f"{API}/compounds/{cid}/bodies", headers=committee,
                      query_string={"kind": "property_company",
                                    "include_dissolved": "true"}).get_json()["items"]
    assert [(b["name"], b["active"]) for b in listed] == [("乙小区物业", False),
                                                           ("新物业公司", True)]
    assert listed[0]["replaced_by"] == company["id"]
    # the owners' committee is not declared for mediation committees or venues
    ps = [town.person(town.compounds["乙小区"], f"乙调解{i}", g)
          for i, g in enumerate(("female", "male", "male"))]
    for url, body in ((f"{API}/compounds/{cid}/mediation-committee",
                       {"term_start": today().isoformat(), "members": members_of(ps)}),
                      (f"{API}/compounds/{cid}/deliberation-venue",
                       {"name": "议事厅", "address": "一楼", "opening_hours": "周六"})):
        r = http.post(url, headers=committee, json=body)
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    venue = post(http, town.h.worker, f"{API}/compounds/{cid}/deliberation-venue",
                 {"name": "乙小区议事厅", "address": "会所一楼", "opening_hours": "周六上午"})
    # ... and may dissolve its own kinds only (org judges the body's kind: 403)
    r = http.post(f"{API}/bodies/{venue['id']}/dissolution", headers=committee,
                  json={"reason": "场地收回"})
    assert r.status_code == 403
    done = http.post(f"{API}/bodies/{company['id']}/dissolution", headers=committee,
                     json={"reason": "合同提前解除"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["dissolution_reason"] == "合同提前解除"
    assert done.get_json()["active"] is False
    again = http.post(f"{API}/bodies/{company['id']}/dissolution", headers=committee,
                      json={"reason": "合同提前解除"})
    assert again.status_code == 409
    closed = http.post(f"{API}/bodies/{venue['id']}/dissolution", headers=town.h.worker,
                       json={"reason": "场地收回"})
    assert closed.status_code == 200


# -- Party organisations ----------------------------------------------------------------------
def test_party_orgs_members_and_the_identity_choice(town, http):
    street, h = town.street, town.h
    # judicial staff keep the street-level organisations
    committee = post(http, h.judicial, f"{API}/party-orgs",
                     {"kind": "street_working_committee", "name": "五有街道党工委",
                      "unit_id": street["id"]})
    assert committee["kind_name"] == "街道党工委"
    judicial = post(http, h.judicial, f"{API}/party-orgs",
                    {"kind": "judicial_office_branch", "name": "司法所党支部",
                     "unit_id": street["id"]})
    assert judicial["parent_id"] == committee["id"]      # the only one of the parent kind
    # ... but not a compound group: declared at the gateway, refused by org (403)
    r = http.post(f"{API}/party-orgs", headers=h.judicial,
                  json={"kind": "compound_group", "name": "x",
                        "unit_id": town.compounds["乙小区"]["id"]})
    assert r.status_code == 403
    # the level rule names the field
    r = http.post(f"{API}/party-orgs", headers=h.worker,
                  json={"kind": "community_branch", "name": "错位党支部",
                        "unit_id": town.compounds["乙小区"]["id"]})
    assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == ["unit_id"]

    listed = http.get(f"{API}/party-orgs", headers=h.admin,
                      query_string={"unit_id": street["id"], "limit": 2}).get_json()
    assert len(listed["items"]) == 2 and listed["next_cursor"]
    rest = http.get(f"{API}/party-orgs", headers=h.admin,
                    query_string={"unit_id": street["id"],
                                  "cursor": listed["next_cursor"]}).get_json()
    names = {o["name"] for o in listed["items"] + rest["items"]}
    assert names >= {"东社区党支部", "甲小区党小组", "五有街道党工委", "司法所党支部"}
    groups = http.get(f"{API}/party-orgs", headers=h.resident_a,
                      query_string={"unit_id": town.compounds["甲小区"]["id"],
                                    "kind": "compound_group"}).get_json()["items"]
    assert [g["id"] for g in groups] == [town.group["id"]]
    group = http.get(f"{API}/party-orgs/{town.group['id']}", headers=h.resident_a).get_json()
    assert group["member_count"] == 1 and group["parent_id"] == town.branch["id"]

    # members: staff only
    newcomer = town.person(town.compounds["甲小区"], "新党员", "female")
    joined = post(http, h.worker, f"{API}/party-orgs/{town.group['id']}/members",
                  {"person_id": newcomer["id"], "joined_on": (today() - 10 * DAY).isoformat()})
    assert joined["show_identity"] is False
    dup = http.post(f"{API}/party-orgs/{town.group['id']}/members", headers=h.worker,
                    json={"person_id": newcomer["id"]})
    assert dup.status_code == 409
    members = http.get(f"{API}/party-orgs/{town.group['id']}/members", headers=h.grid,
                       query_string={"limit": 1}).get_json()
    assert len(members["items"]) == 1 and members["next_cursor"]
    assert http.get(f"{API}/party-orgs/{town.group['id']}/members",
                    headers=h.resident_a).status_code == 403
    left = http.post(f"{API}/party-orgs/{town.group['id']}/members/{newcomer['id']}/leave",
                     headers=h.worker, json={})
    assert left.status_code == 200 and left.get_json()["left_on"] == today().isoformat()
    former = http.get(f"{API}/party-orgs/{town.group['id']}/members", headers=h.worker,
                      query_string={"include_former": "true"}).get_json()["items"]
    assert {m["person_id"] for m in former} == {town.member["id"], newcomer["id"]}

    # the identity choice is the member's own: a login without any role may make it
    profile_url = f"{API}/people/{town.member['id']}/public-profile"
    hidden = http.get(profile_url, headers=h.resident_a).get_json()
    assert hidden["identity"] is None and hidden["shows_party_identity"] is False
    shown = http.put(f"{API}/people/{town.member['id']}/party-identity", headers=h.member,
                     json={"show_identity": True})
    assert shown.status_code == 200, shown.get_json()
    assert shown.get_json()["identity"] == "中共党员"
    seen = http.get(profile_url, headers={**h.resident_a, **EN}).get_json()
    assert seen["identity_en"] == "Member of the Communist Party of China"
    # someone else's choice: another resident may not make it (org: 404, not a member they see)
    r = http.put(f"{API}/people/{town.member['id']}/party-identity", headers=h.resident_a,
                 json={"show_identity": False})
    assert r.status_code == 404
    assert http.get(profile_url, headers=h.stranger).status_code == 404


# -- micro-grids ------------------------------------------------------------------------------
def test_grids_and_grid_workers(town, http):
    compound = town.compounds["丙小区"]
    cid, worker = compound["id"], town.h.worker
    missing = http.get(f"{API}/compounds/{cid}/grid", headers=worker)
    assert missing.status_code == 404
    made = http.put(f"{API}/compounds/{cid}/grid", headers=worker, json={"name": "丙网格"})
    assert made.status_code == 200 and made.get_json()["name"] == "丙网格"
    same = http.put(f"{API}/compounds/{cid}/grid", headers=worker, json={})
    assert same.get_json()["id"] == made.get_json()["id"]        # one per compound
    someone = town.person(compound, "丙网格员", "male")
    # on duty from today and off again today: it never counted (the report as of
    # yesterday in another test stays as the fixture made it)
    on = post(http, worker, f"{API}/compounds/{cid}/grid/workers", {"person_id": someone["id"]})
    assert on["name"] == "丙网格员" and on["since"] == today().isoformat()
    grid = http.get(f"{API}/compounds/{cid}/grid", headers=worker).get_json()
    assert [w["person_id"] for w in grid["workers"]] == [someone["id"]]
    off = http.post(f"{API}/compounds/{cid}/grid/workers/{someone['id']}/unassign",
                    headers=worker, json={})
    assert off.status_code == 200 and off.get_json()["until"] == today().isoformat()
    assert http.get(f"{API}/compounds/{cid}/grid", headers=worker).get_json()["workers"] == []
    again = http.post(f"{API}/compounds/{cid}/grid/workers/{someone['id']}/unassign",
                      headers=worker, json={})
    assert again.status_code == 404
    # grid workers are not declared for keeping grids
    r = http.put(f"{API}/compounds/{cid}/grid", headers=town.h.grid, json={})
    assert r.status_code == 403


# -- the five haves ---------------------------------------------------------------------------
def names(refs):
    return sorted(r["name"] for r in refs)


def test_the_checklist_of_one_compound(town, http):
    c = town.compounds
    full = http.get(f"{API}/compounds/{c['甲小区']['id']}/five-haves",
                    headers=town.h.resident_a).get_json()
    assert full["complete"] is True and full["lacking"] == [] and full["grid_covered"] is True
    partial = http.get(f"{API}/compounds/{c['乙小区']['id']}/five-haves", headers=town.h.worker,
                       query_string={"as_of": (today() - DAY).isoformat()}).get_json()
    assert partial["lacking"] == ["party_group", "mediation_committee", "deliberation_venue"]
    assert partial["as_of"] == (today() - DAY).isoformat()
    before = http.get(f"{API}/compounds/{c['甲小区']['id']}/five-haves", headers=town.h.worker,
                      query_string={"as_of": (today() - 200 * DAY).isoformat()}).get_json()
    assert before["lacking"] == FIVE
    # a resident sees their own compound only
    assert http.get(f"{API}/compounds/{c['乙小区']['id']}/five-haves",
                    headers=town.h.resident_a).status_code == 404


def test_the_coverage_report_lists_the_compounds_lacking_each_have(town, http):
    as_of = (today() - DAY).isoformat()     # the other tests change things today
    r = http.get(f"{API}/units/{town.east['id']}/five-haves-coverage", headers=town.h.worker,
                 query_string={"as_of": as_of})
    assert r.status_code == 200, r.get_json()
    report = r.get_json()
    assert report["unit"]["id"] == town.east["id"] and report["as_of"] == as_of
    assert report["compound_count"] == 3 and report["complete_count"] == 1
    assert {have: names(refs) for have, refs in report["lacking"].items()} == {
        "property_company": ["丙小区"],
        "owners_committee": ["丙小区"],
        "party_group": names([{"name": "乙小区"}, {"name": "丙小区"}]),
        "mediation_committee": names([{"name": "乙小区"}, {"name": "丙小区"}]),
        "deliberation_venue": names([{"name": "乙小区"}, {"name": "丙小区"}]),
    }
    assert report["counts"]["party_group"] == {"has": 1, "lacks": 2}
    assert names(report["lacking_grid_worker"]) == names([{"name": "乙小区"}, {"name": "丙小区"}])
    # the street sees the same compounds; a whole compound is not a coverage level
    street = http.get(f"{API}/units/{town.street['id']}/five-haves-coverage",
                      headers=town.h.judicial, query_string={"as_of": as_of}).get_json()
    assert street["compound_count"] == 3
    r = http.get(f"{API}/units/{town.compounds['甲小区']['id']}/five-haves-coverage",
                 headers=town.h.worker)
    assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == ["unit_id"]


# -- the gates --------------------------------------------------------------------------------
def test_another_streets_admin_gets_404(town, http):
    c, stranger = town.compounds, town.h.stranger
    a = c["甲小区"]["id"]
    ps = town.trio
    for method, url, body in (
            ("get", f"{API}/units/{town.east['id']}/five-haves-coverage", None),
            ("get", f"{API}/compounds/{a}/five-haves", None),
            ("get", f"{API}/compounds/{a}/organisation", None),
            ("get", f"{API}/compounds/{a}/bodies", None),
            ("get", f"{API}/compounds/{a}/grid", None),
            ("get", f"{API}/party-orgs/{town.group['id']}", None),
            ("get", f"{API}/party-orgs/{town.group['id']}/members", None),
            ("post", f"{API}/compounds/{a}/mediation-committee",
             {"term_start": today().isoformat(), "members": members_of(ps)}),
            ("post", f"{API}/bodies/{town.mediation['id']}/dissolution", {"reason": "越权解散"}),
            ("put", f"{API}/compounds/{a}/grid", {}),
            ("get", f"{API}/party-orgs/{new_id()}", None)):
        r = getattr(http, method)(url, headers=stranger, json=body)
        assert r.status_code == 404, (url, r.get_json())
        assert r.get_json()["error"]["code"] == "not_found"
    listed = http.get(f"{API}/party-orgs", headers=stranger,
                      query_string={"unit_id": town.street["id"]})
    assert listed.status_code == 404


def test_a_role_not_declared_is_403(town, http):
    a, h = town.compounds["甲小区"]["id"], town.h
    for headers, method, url, body in (
            (h.resident_a, "get", f"{API}/units/{town.east['id']}/five-haves-coverage", None),
            (h.resident_a, "post", f"{API}/compounds/{a}/mediation-committee",
             {"term_start": today().isoformat(), "members": []}),
            (h.resident_a, "post", f"{API}/party-orgs",
             {"kind": "compound_group", "name": "x", "unit_id": a}),
            (h.grid, "post", f"{API}/compounds/{a}/owners-committee",
             {"term_start": today().isoformat(), "term_end": today().isoformat(),
              "members": []}),
            (h.grid, "post", f"{API}/compounds/{a}/grid/workers",
             {"person_id": town.member["id"]}),
            (h.grid, "post", f"{API}/bodies/{town.mediation['id']}/dissolution",
             {"reason": "无权解散"}),
            (h.member, "get", f"{API}/compounds/{a}/five-haves", None),
            (h.member, "post", f"{API}/party-orgs/{town.group['id']}/members",
             {"person_id": town.member["id"]})):
        r = getattr(http, method)(url, headers=headers, json=body)
        assert r.status_code == 403, (url, r.get_json())
        assert r.get_json()["error"]["code"] == "forbidden"
    assert http.get(f"{API}/compounds/{a}/five-haves").status_code == 401


def test_bad_input_is_422_naming_the_field(town, http):
    a, worker = town.compounds["甲小区"]["id"], town.h.worker
    ps = town.trio
    cases = [
        ("post", f"{API}/compounds/{a}/mediation-committee", {"members": members_of(ps)},
         "term_start", "缺少必填字段。"),
        ("post", f"{API}/compounds/{a}/mediation-committee",
         {"term_start": "2026-02-30", "members": members_of(ps)}, "term_start",
         "不是有效的日期。"),
        ("post", f"{API}/compounds/{a}/mediation-committee",
         {"term_start": "2026-01-01", "members": [{"person_id": "nope"}]},
         "members.0.person_id", "不是有效的 UUID。"),
        ("post", f"{API}/compounds/{a}/mediation-committee",
         {"term_start": "2026-01-01", "members": members_of(ps), "compound_id": a},
         "compound_id", "未知字段。"),
        ("post", f"{API}/compounds/{a}/mediation-committee",
         {"term_start": "2026-01-01", "members": [{"person_id": ps[0]["id"],
                                                    "position": "boss"}]},
         "members.0.position", None),
        ("post", f"{API}/compounds/{a}/property-company",
         {"name": "物业", "contract_start": "2026-01-01", "contract_end": "2025-01-01"},
         "contract_end", None),
        ("post", f"{API}/party-orgs", {"kind": "cell", "name": "x", "unit_id": a}, "kind", None),
        ("post", f"{API}/bodies/{town.mediation['id']}/dissolution", {"reason": "x"}, "reason",
         "长度必须在 2 到 500 之间。"),
        ("post", f"{API}/compounds/{a}/grid/workers", {}, "person_id", "缺少必填字段。"),
    ]
    for method, url, body, field, message in cases:
        r = getattr(http, method)(url, headers=worker, json=body)
        assert r.status_code == 422, (url, body, r.get_json())
        fields = r.get_json()["error"]["fields"]
        assert list(fields) == [field], (body, fields)
        if message:
            assert fields[field] == [message]
    for url, query, field in (
            (f"{API}/compounds/{a}/five-haves", {"as_of": "yesterday"}, "as_of"),
            (f"{API}/units/{town.east['id']}/five-haves-coverage", {"as_of": "2026-13-01"},
             "as_of"),
            (f"{API}/party-orgs", {}, "unit_id"),
            (f"{API}/party-orgs", {"unit_id": a, "kind": "cell"}, "kind"),
            (f"{API}/compounds/{a}/bodies", {"kind": "club"}, "kind"),
            (f"{API}/compounds/{a}/bodies", {"limit": 0}, "limit")):
        r = http.get(url, headers=worker, query_string=query)
        assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == [field], url
    en = http.post(f"{API}/compounds/{a}/mediation-committee", headers={**worker, **EN},
                   json={"members": members_of(ps)})
    assert en.get_json()["error"]["fields"] == {
        "term_start": ["Missing data for required field."]}
