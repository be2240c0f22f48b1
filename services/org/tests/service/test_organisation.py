"""The organisation over the real broker and database: Party organisations and the
identity choice, compound bodies (the mediation committee rule), micro-grids, and the
"five haves" coverage across a community and a street."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from fazhi_shared import clock
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.schemas import EVENTS

SYSTEM = Principal.system()
DAY = timedelta(days=1)
FIVE = ["property_company", "owners_committee", "party_group", "mediation_committee",
        "deliberation_venue"]


def user(role, path, person_id=None):
    return Principal(kind="user", account_id=None, person_id=person_id,
                     grants=(Grant(role, path),))


def today():
    return clock.today_local()


def events(org_db, event_type, key, value):
    with engine_for(org_db).connect() as conn:
        rows = conn.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = :t "
            "AND envelope->'payload'->>:k = :v ORDER BY id"),
            {"t": event_type, "k": key, "v": value}).scalars().all()
    for row in rows:   # every payload keeps its published contract
        EVENTS[event_type.split(".", 1)[1]]().load(row["payload"])
    return rows


def audit_rows(org_db, action, entity_id):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text("SELECT * FROM audit_log WHERE action = :a AND entity_id = :i"),
                            {"a": action, "i": entity_id}).mappings().all()


def unit(parent, kind, name):
    return call_as(SYSTEM, "org", "create_unit", parent_id=parent["id"], kind=kind, name=name)


def person(where, name, gender=None):
    return call_as(SYSTEM, "org", "create_person", name=name, gender=gender,
                   unit_id=where["id"])


def people(where, genders):
    return [person(where, f"居民{i}", g) for i, g in enumerate(genders)]


def members(ps, chair=0):
    return [{"person_id": p["id"], "position": "chair" if i == chair else "member"}
            for i, p in enumerate(ps)]


@pytest.fixture
def compound(tree):
    """A fresh compound in community A (the shared tree is left as it is). Sibling names
    are unique: afterwards it is renamed, leaving its name to the next test's."""
    cpd = unit(tree["communityA"], "compound", "调解小区")
    yield cpd
    call_as(SYSTEM, "org", "rename_unit", id=cpd["id"], name=f"调解小区（{uuid.uuid4().hex[:6]}）")


@pytest.fixture
def worker_a(tree):
    return user("community_worker", tree["communityA"]["path"])


# -- the mediation committee ------------------------------------------------------------------
def test_mediation_committee_of_two_is_refused_with_the_reason(compound, worker_a, org_db):
    two = people(compound, ["female", "male"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
                term_start="2026-01-01", members=members(two))
    err = info.value
    assert err.fields["zh"]["members"] == ["人民调解委员会由委员三至九人组成，现为2人。"]
    assert err.fields["en"]["members"] == ["A people's mediation committee has 3 to 9 "
                                           "members; 2 given."]
    assert err.message_zh == "人民调解委员会不能设立：人民调解委员会由委员三至九人组成，现为2人。"
    # nothing was recorded
    assert call_as(worker_a, "org", "list_bodies", compound_id=compound["id"],
                   include_dissolved=True)["items"] == []
    assert events(org_db, "org.body.set_up", "compound_id", compound["id"]) == []


def test_mediation_committee_without_a_woman_is_refused(compound, worker_a):
    # two men and one person whose gender is not recorded: no woman
    ps = people(compound, ["male", "male", None])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
                term_start="2026-01-01", members=members(ps))
    assert list(info.value.fields["zh"]) == ["members"]
    assert "妇女" in info.value.fields["zh"]["members"][0]
    assert "at least one woman" in info.value.fields["en"]["members"][0]


def test_mediation_committee_term_must_be_three_years(compound, worker_a):
    ps = people(compound, ["female", "male", "male"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
                term_start="2024-02-29", term_end="2027-03-01", members=members(ps))
    assert list(info.value.fields["zh"]) == ["term_end"]
    assert "2027-02-28" in info.value.fields["zh"]["term_end"][0]


def test_a_valid_mediation_committee_is_set_up_and_replacing_dissolves_the_old(
        compound, worker_a, org_db):
    ps = people(compound, ["female", "male", "male", "male"])
    first = call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
                    term_start="2026-01-01", members=members(ps[:3]))
    assert first["term_end"] == "2029-01-01" and first["active"]
    assert first["name"] == "调解小区人民调解委员会"
    assert [(m["name"], m["position"]) for m in first["members"]] == [
        ("居民0", "chair"), ("居民1", "member"), ("居民2", "member")]
    [event] = events(org_db, "org.body.set_up", "id", first["id"])
    assert event["path"] == compound["path"] and event["payload"]["replaces"] == []
    assert len(event["payload"]["members"]) == 3
    assert audit_rows(org_db, "body.set_up", first["id"])

    second = call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
                     term_start="2026-06-01", term_end="2029-06-01",
                     members=members(ps[1:] + ps[:1], chair=3))
    [dissolved] = events(org_db, "org.body.dissolved", "id", first["id"])
    assert dissolved["payload"]["replaced_by"] == second["id"]
    assert events(org_db, "org.body.set_up", "id", second["id"])[0]["payload"]["replaces"] == \
        [first["id"]]
    current = call_as(worker_a, "org", "list_bodies", compound_id=compound["id"])["items"]
    assert [b["id"] for b in current] == [second["id"]]
    history = call_as(worker_a, "org", "list_bodies", compound_id=compound["id"],
                      include_dissolved=True)["items"]
    old = next(b for b in history if b["id"] == first["id"])
    assert old["dissolved_at"] and old["replaced_by"] == second["id"] and not old["active"]
    view = call_as(worker_a, "org", "get_compound_organisation", compound_id=compound["id"])
    assert view["mediation_committee"]["id"] == second["id"]


def test_concurrent_set_ups_leave_one_current_committee(compound, worker_a):
    import eventlet

    ps = people(compound, ["female", "male", "male"])
    calls = [eventlet.spawn(call_as, worker_a, "org", "set_up_mediation_committee",
                            compound_id=compound["id"], term_start="2026-01-01",
                            members=members(ps)) for _ in range(4)]
    made = {c.wait()["id"] for c in calls}
    assert len(made) == 4
    current = call_as(worker_a, "org", "list_bodies", compound_id=compound["id"])["items"]
    assert len(current) == 1 and current[0]["id"] in made


def test_body_roles_and_scope(tree, compound):
    ps = people(compound, ["female", "male", "male"])
    owners = user("owners_committee", compound["path"])
    company = call_as(owners, "org", "set_up_property_company", compound_id=compound["id"],
                      name="泰兴物业", contract_start="2026-01-01", contract_end="2028-12-31",
                      contact_name="王经理", contact_phone="13800001111")
    assert company["contact_phone"] == "13800001111" and company["term_end"] == "2028-12-31"
    # the owners' committee keeps itself and the property company, not the mediation committee
    with pytest.raises(Forbidden):
        call_as(owners, "org", "set_up_mediation_committee", compound_id=compound["id"],
                term_start="2026-01-01", members=members(ps))
    with pytest.raises(Forbidden):
        call_as(user("resident", compound["path"]), "org", "set_up_deliberation_venue",
                compound_id=compound["id"], name="议事厅", address="1幢架空层",
                opening_hours="周六 9:00-11:00")
    with pytest.raises(NotFound):
        call_as(user("street_admin", tree["streetB"]["path"]), "org",
                "set_up_property_company", compound_id=compound["id"], name="x",
                contract_start="2026-01-01", contract_end="2026-12-31")
    with pytest.raises(ValidationFailed) as info:
        call_as(owners, "org", "set_up_property_company", compound_id=compound["id"],
                name="倒签物业", contract_start="2026-01-02", contract_end="2026-01-01")
    assert list(info.value.fields["zh"]) == ["contract_end"]
    with pytest.raises(ValidationFailed) as info:
        call_as(user("street_admin", tree["streetA"]["path"]), "org",
                "set_up_deliberation_venue", compound_id=tree["communityA"]["id"], name="x",
                address="x", opening_hours="x")
    assert list(info.value.fields["zh"]) == ["compound_id"]


def test_dissolve_body(compound, worker_a, org_db):
    venue = call_as(worker_a, "org", "set_up_deliberation_venue", compound_id=compound["id"],
                    name="援法议事厅", address="2幢一楼", opening_hours="每周三 19:00-21:00")
    assert venue["term_start"] == today().isoformat() and venue["address"] == "2幢一楼"
    gone = call_as(worker_a, "org", "dissolve_body", id=venue["id"], reason="场地收回")
    assert gone["dissolution_reason"] == "场地收回" and not gone["active"]
    assert events(org_db, "org.body.dissolved", "id", venue["id"])[0]["payload"]["reason"] == \
        "场地收回"
    with pytest.raises(Conflict):
        call_as(worker_a, "org", "dissolve_body", id=venue["id"], reason="再次")
    checklist = call_as(worker_a, "org", "get_five_haves", compound_id=compound["id"])
    assert "deliberation_venue" in checklist["lacking"]


# -- Party organisations ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def party_street(tree):
    street = unit(tree["city"], "street", "党建街道")
    community = unit(street, "community", "党建社区")
    compound = unit(community, "compound", "红色小区")
    return {"street": street, "community": community, "compound": compound}


def test_party_orgs_attach_to_their_level(party_street, org_db):
    s, c, k = party_street["street"], party_street["community"], party_street["compound"]
    admin = user("street_admin", s["path"])
    committee = call_as(admin, "org", "create_party_org", kind="street_working_committee",
                        name="党建街道党工委", unit_id=s["id"])
    assert committee["parent_id"] is None and committee["kind_name"] == "街道党工委"
    [event] = events(org_db, "org.party_org.created", "id", committee["id"])
    assert event["payload"]["unit_id"] == s["id"]
    # judicial staff keep street-level organisations; the parent is found above
    judicial = user("judicial_staff", s["path"])
    branch = call_as(judicial, "org", "create_party_org", kind="judicial_office_branch",
                     name="司法所党支部", unit_id=s["id"])
    assert branch["parent_id"] == committee["id"]
    with pytest.raises(Forbidden):
        call_as(judicial, "org", "create_party_org", kind="community_branch",
                name="x", unit_id=c["id"])
    worker = user("community_worker", c["path"])
    community_branch = call_as(worker, "org", "create_party_org", kind="community_branch",
                               name="党建社区党支部", unit_id=c["id"])
    assert community_branch["parent_id"] == committee["id"]
    group = call_as(worker, "org", "create_party_org", kind="compound_group",
                    name="红色小区党小组", unit_id=k["id"], parent_id=community_branch["id"])
    assert group["parent_id"] == community_branch["id"] and group["path"] == k["path"]
    # wrong level, wrong parent, one per unit
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "create_party_org", kind="compound_group", name="x",
                unit_id=c["id"])
    assert list(info.value.fields["zh"]) == ["unit_id"]
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "create_party_org", kind="compound_group", name="x",
                unit_id=k["id"], parent_id=committee["id"])
    assert list(info.value.fields["zh"]) == ["parent_id"]
    with pytest.raises(Conflict):
        call_as(admin, "org", "create_party_org", kind="community_branch", name="第二支部",
                unit_id=c["id"])
    listed = call_as(admin, "org", "list_party_orgs", unit_id=s["id"])["items"]
    assert [o["id"] for o in listed] == [committee["id"], branch["id"], community_branch["id"],
                                         group["id"]]
    only_groups = call_as(admin, "org", "list_party_orgs", unit_id=s["id"],
                          kind="compound_group")["items"]
    assert [o["id"] for o in only_groups] == [group["id"]]
    with pytest.raises(NotFound):
        call_as(user("street_admin", party_street["street"]["path"] + "x"), "org",
                "get_party_org", id=committee["id"])


def test_party_orgs_of_other_streets_are_404(tree, party_street):
    admin = user("street_admin", party_street["street"]["path"])
    org = call_as(admin, "org", "create_party_org", kind="compound_group", name="第二党小组",
                  unit_id=party_street["compound"]["id"])
    other = user("street_admin", tree["streetA"]["path"])
    with pytest.raises(NotFound):
        call_as(other, "org", "get_party_org", id=org["id"])
    with pytest.raises(NotFound):
        call_as(other, "org", "create_party_org", kind="compound_group", name="x",
                unit_id=party_street["compound"]["id"])
    with pytest.raises(NotFound):
        call_as(other, "org", "add_party_member", party_org_id=org["id"],
                person_id=person(party_street["compound"], "某人")["id"])


def test_party_members_and_the_identity_choice(tree, party_street, org_db):
    k = party_street["compound"]
    worker = user("community_worker", party_street["community"]["path"])
    group = call_as(worker, "org", "create_party_org", kind="compound_group", name="3幢党小组",
                    unit_id=k["id"])
    member = person(k, "党员老李", "male")
    added = call_as(worker, "org", "add_party_member", party_org_id=group["id"],
                    person_id=member["id"], joined_on="2001-07-01")
    assert added["show_identity"] is False and added["joined_on"] == "2001-07-01"
    [event] = events(org_db, "org.party_member.added", "id", added["id"])
    assert event["payload"]["person_id"] == member["id"]
    with pytest.raises(Conflict):
        call_as(worker, "org", "add_party_member", party_org_id=group["id"],
                person_id=member["id"])
    assert call_as(worker, "org", "get_party_org", id=group["id"])["member_count"] == 1

    neighbour = user("resident", k["path"])
    profile = call_as(neighbour, "org", "get_public_profile", person_id=member["id"])
    assert profile == {"id": member["id"], "name": "党员老李", "shows_party_identity": False,
                       "identity": None, "identity_en": None, "duties": []}
    # membership is a staff record: a resident cannot list it
    with pytest.raises(NotFound):
        call_as(neighbour, "org", "list_party_members", party_org_id=group["id"])

    # only the member (or staff) chooses; a neighbour cannot
    with pytest.raises(NotFound):
        call_as(user("resident", k["path"], person_id="someone-else"), "org",
                "set_show_identity", person_id=member["id"], show_identity=True)
    me = user("resident", k["path"], person_id=member["id"])
    shown = call_as(me, "org", "set_show_identity", person_id=member["id"], show_identity=True)
    assert shown["identity"] == "中共党员" and shown["shows_party_identity"]
    assert call_as(neighbour, "org", "get_public_profile",
                   person_id=member["id"])["identity"] == "中共党员"
    assert events(org_db, "org.party_member.updated", "id", added["id"])
    [row] = audit_rows(org_db, "party_member.show_identity", added["id"])
    assert row["detail"] == {"show_identity": True, "by_self": True}
    # a grid worker in scope sees but may not choose for the member
    with pytest.raises(Forbidden):
        call_as(user("grid_worker", k["path"]), "org", "set_show_identity",
                person_id=member["id"], show_identity=False)
    # residents of other compounds do not see the profile at all
    with pytest.raises(NotFound):
        call_as(user("resident", tree["unitB"]["path"]), "org", "get_public_profile",
                person_id=member["id"])

    listed = call_as(worker, "org", "list_party_members", party_org_id=group["id"])["items"]
    assert [(m["name"], m["show_identity"]) for m in listed] == [("党员老李", True)]
    removed = call_as(worker, "org", "remove_party_member", party_org_id=group["id"],
                      person_id=member["id"])
    assert removed["left_on"] == today().isoformat()
    assert events(org_db, "org.party_member.removed", "id", added["id"])
    assert call_as(neighbour, "org", "get_public_profile",
                   person_id=member["id"])["identity"] is None
    assert call_as(worker, "org", "list_party_members", party_org_id=group["id"])["items"] == []
    assert len(call_as(worker, "org", "list_party_members", party_org_id=group["id"],
                       include_former=True)["items"]) == 1
    with pytest.raises(NotFound):
        call_as(worker, "org", "remove_party_member", party_org_id=group["id"],
                person_id=member["id"])
    # rejoining reuses the membership; the choice to show starts again at "no"
    again = call_as(worker, "org", "add_party_member", party_org_id=group["id"],
                    person_id=member["id"])
    assert again["id"] == added["id"] and again["left_on"] is None
    assert not again["show_identity"]


def test_public_profile_shows_duties(compound, worker_a):
    ps = people(compound, ["female", "male", "male"])
    call_as(worker_a, "org", "set_up_mediation_committee", compound_id=compound["id"],
            term_start=today().isoformat(), members=members(ps))
    call_as(worker_a, "org", "assign_grid_worker", compound_id=compound["id"],
            person_id=ps[0]["id"])
    profile = call_as(user("resident", compound["path"]), "org", "get_public_profile",
                      person_id=ps[0]["id"])
    assert sorted(d["title"] for d in profile["duties"]) == [
        "调解小区人民调解委员会主任", "调解小区微网格网格员"]


# -- micro-grids ------------------------------------------------------------------------------
def test_one_grid_per_compound_and_its_workers(tree, compound, worker_a, org_db):
    grid = call_as(worker_a, "org", "ensure_grid", compound_id=compound["id"], name="一号微网格")
    assert grid["name"] == "一号微网格" and grid["workers"] == []
    assert call_as(worker_a, "org", "ensure_grid", compound_id=compound["id"])["id"] == grid["id"]
    assert len(events(org_db, "org.grid.created", "compound_id", compound["id"])) == 1

    w = person(compound, "网格员小张", "female")
    assigned = call_as(worker_a, "org", "assign_grid_worker", compound_id=compound["id"],
                       person_id=w["id"], since=(today() - 30 * DAY).isoformat())
    assert assigned["grid_id"] == grid["id"] and assigned["until"] is None
    assert events(org_db, "org.grid.worker_assigned", "id", assigned["id"])
    assert audit_rows(org_db, "grid.assign_worker", assigned["id"])
    with pytest.raises(Conflict):
        call_as(worker_a, "org", "assign_grid_worker", compound_id=compound["id"],
                person_id=w["id"])
    resident = user("resident", compound["path"])
    assert [x["name"] for x in call_as(resident, "org", "get_grid",
                                       compound_id=compound["id"])["workers"]] == ["网格员小张"]
    assert call_as(worker_a, "org", "get_five_haves",
                   compound_id=compound["id"])["grid_covered"] is True
    with pytest.raises(Forbidden):
        call_as(user("grid_worker", compound["path"]), "org", "assign_grid_worker",
                compound_id=compound["id"], person_id=w["id"])
    with pytest.raises(NotFound):
        call_as(user("community_worker", tree["communityB"]["path"]), "org", "get_grid",
                compound_id=compound["id"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker_a, "org", "unassign_grid_worker", compound_id=compound["id"],
                person_id=w["id"], until=(today() + DAY).isoformat())
    assert list(info.value.fields["zh"]) == ["until"]

    off = call_as(worker_a, "org", "unassign_grid_worker", compound_id=compound["id"],
                  person_id=w["id"])
    assert off["until"] == today().isoformat()
    assert events(org_db, "org.grid.worker_unassigned", "id", assigned["id"])
    assert call_as(resident, "org", "get_grid", compound_id=compound["id"])["workers"] == []
    yesterday = call_as(worker_a, "org", "get_five_haves", compound_id=compound["id"],
                        as_of=(today() - DAY).isoformat())
    assert yesterday["grid_covered"] is True
    assert call_as(worker_a, "org", "get_five_haves",
                   compound_id=compound["id"])["grid_covered"] is False
    with pytest.raises(NotFound):
        call_as(worker_a, "org", "unassign_grid_worker", compound_id=compound["id"],
                person_id=w["id"])
    # assign creates the grid when a compound has none
    other = unit(tree["communityA"], "compound", "新网格小区")
    call_as(worker_a, "org", "assign_grid_worker", compound_id=other["id"], person_id=w["id"])
    assert call_as(worker_a, "org", "get_grid",
                   compound_id=other["id"])["name"] == "新网格小区微网格"


# -- the five haves across a community and a street -----------------------------------------------
def give(compound, haves, admin, as_of=None):
    """Set up the given haves in ``compound``; returns what was made."""
    made = {}
    start = (as_of or today()) - 100 * DAY
    if "property_company" in haves:
        made["property_company"] = call_as(
            admin, "org", "set_up_property_company", compound_id=compound["id"],
            name=f"{compound['name']}物业", contract_start=start.isoformat(),
            contract_end=(start + 1000 * DAY).isoformat())
    if "owners_committee" in haves:
        made["owners_committee"] = call_as(
            admin, "org", "set_up_owners_committee", compound_id=compound["id"],
            term_start=start.isoformat(), term_end=(start + 5 * 365 * DAY).isoformat(),
            members=members(people(compound, ["male", "female", "male", "female", "male"])))
    if "party_group" in haves:
        group = call_as(admin, "org", "create_party_org", kind="compound_group",
                        name=f"{compound['name']}党小组", unit_id=compound["id"])
        call_as(admin, "org", "add_party_member", party_org_id=group["id"],
                person_id=person(compound, "党员")["id"], joined_on=start.isoformat())
        made["party_group"] = group
    if "mediation_committee" in haves:
        made["mediation_committee"] = call_as(
            admin, "org", "set_up_mediation_committee", compound_id=compound["id"],
            term_start=start.isoformat(),
            members=members(people(compound, ["female", "male", "male"])))
    if "deliberation_venue" in haves:
        made["deliberation_venue"] = call_as(
            admin, "org", "set_up_deliberation_venue", compound_id=compound["id"],
            name="援法议事厅", address="物业楼二楼", opening_hours="每月第一个周六上午",
            opened_on=start.isoformat())
    return made


@pytest.fixture(scope="module")
def five_haves_street(tree):
    """A street of its own, two communities, five compounds with known gaps."""
    street = unit(tree["city"], "street", "五有街道")
    east = unit(street, "community", "东社区")
    west = unit(street, "community", "西社区")
    admin = user("street_admin", street["path"])
    c = {name: unit(com, "compound", name) for com, name in [
        (east, "甲小区"), (east, "乙小区"), (east, "丙小区"), (west, "丁小区"),
        (west, "戊小区")]}
    give(c["甲小区"], FIVE, admin)
    call_as(admin, "org", "assign_grid_worker", compound_id=c["甲小区"]["id"],
            person_id=person(c["甲小区"], "网格员")["id"])
    # 乙: no mediation committee, no venue
    give(c["乙小区"], ["property_company", "owners_committee", "party_group"], admin)
    # 丙: nothing at all
    # 丁: the property contract ended yesterday; a contract ending today still counts (戊)
    made = give(c["丁小区"], FIVE[1:], admin)
    call_as(admin, "org", "set_up_property_company", compound_id=c["丁小区"]["id"],
            name="到期物业", contract_start="2023-01-01",
            contract_end=(today() - DAY).isoformat())
    assert made
    # 戊: a Party group with nobody in it, an owners' committee that was dissolved
    made = give(c["戊小区"], ["owners_committee", "mediation_committee", "deliberation_venue"],
                admin)
    call_as(admin, "org", "set_up_property_company", compound_id=c["戊小区"]["id"],
            name="今日到期物业", contract_start="2023-01-01", contract_end=today().isoformat())
    call_as(admin, "org", "create_party_org", kind="compound_group", name="空党小组",
            unit_id=c["戊小区"]["id"])
    call_as(admin, "org", "dissolve_body", id=made["owners_committee"]["id"], reason="集体辞职")
    return {"street": street, "east": east, "west": west, "compounds": c, "admin": admin}


def names(refs):
    return [r["name"] for r in refs]


def test_checklist_of_one_compound(five_haves_street):
    c = five_haves_street["compounds"]
    resident = user("resident", c["乙小区"]["path"])
    checklist = call_as(resident, "org", "get_five_haves", compound_id=c["乙小区"]["id"])
    assert checklist["lacking"] == ["mediation_committee", "deliberation_venue"]
    assert checklist["haves"] == {"property_company": True, "owners_committee": True,
                                  "party_group": True, "mediation_committee": False,
                                  "deliberation_venue": False}
    assert checklist["as_of"] == today().isoformat() and not checklist["complete"]
    with pytest.raises(NotFound):
        call_as(resident, "org", "get_five_haves", compound_id=c["甲小区"]["id"])
    full = call_as(resident, "org", "get_five_haves", compound_id=c["乙小区"]["id"],
                   as_of=(today() - 200 * DAY).isoformat())
    assert full["lacking"] == FIVE       # before anything began


def test_coverage_across_a_community(five_haves_street):
    east = five_haves_street["east"]
    worker = user("community_worker", east["path"])
    report = call_as(worker, "org", "five_haves_coverage", unit_id=east["id"])
    assert report["unit"]["id"] == east["id"] and report["unit"]["kind"] == "community"
    assert names(report["compounds"]) == ["丙小区", "乙小区", "甲小区"]   # by name
    assert {have: names(refs) for have, refs in report["lacking"].items()} == {
        "property_company": ["丙小区"],
        "owners_committee": ["丙小区"],
        "party_group": ["丙小区"],
        "mediation_committee": ["丙小区", "乙小区"],
        "deliberation_venue": ["丙小区", "乙小区"],
    }
    assert report["counts"]["mediation_committee"] == {"has": 1, "lacks": 2}
    assert report["compound_count"] == 3 and report["complete_count"] == 1
    assert names(report["lacking_grid_worker"]) == ["丙小区", "乙小区"]


def test_coverage_across_a_street(five_haves_street):
    s = five_haves_street
    report = call_as(s["admin"], "org", "five_haves_coverage", unit_id=s["street"]["id"])
    assert names(report["compounds"]) == ["丁小区", "丙小区", "乙小区", "戊小区", "甲小区"]
    assert {have: names(refs) for have, refs in report["lacking"].items()} == {
        "property_company": ["丁小区", "丙小区"],
        "owners_committee": ["丙小区", "戊小区"],
        "party_group": ["丙小区", "戊小区"],
        "mediation_committee": ["丙小区", "乙小区"],
        "deliberation_venue": ["丙小区", "乙小区"],
    }
    assert report["counts"] == {"property_company": {"has": 3, "lacks": 2},
                                "owners_committee": {"has": 3, "lacks": 2},
                                "party_group": {"has": 3, "lacks": 2},
                                "mediation_committee": {"has": 3, "lacks": 2},
                                "deliberation_venue": {"has": 3, "lacks": 2}}
    assert report["complete_count"] == 1
    by_name = {c["name"]: c for c in report["compounds"]}
    assert by_name["丁小区"]["lacking"] == ["property_company"]
    assert by_name["戊小区"]["lacking"] == ["owners_committee", "party_group"]
    assert [h["name"] for h in report["legend"]] == [
        "物业服务企业", "业主委员会", "党小组", "人民调解委员会", "援法议事场所"]
    # yesterday 丁's contract still ran and 戊's owners' committee was not yet dissolved
    before = call_as(s["admin"], "org", "five_haves_coverage", unit_id=s["street"]["id"],
                     as_of=(today() - DAY).isoformat())
    assert names(before["lacking"]["property_company"]) == ["丙小区"]
    assert names(before["lacking"]["owners_committee"]) == ["丙小区"]


def test_coverage_scope(tree, five_haves_street):
    s = five_haves_street
    for outsider in (user("street_admin", tree["streetA"]["path"]),
                     user("community_worker", s["west"]["path"]),
                     user("resident", s["compounds"]["甲小区"]["path"])):
        with pytest.raises(NotFound):
            call_as(outsider, "org", "five_haves_coverage", unit_id=s["street"]["id"])
    with pytest.raises(NotFound):
        call_as(user("community_worker", s["west"]["path"]), "org", "five_haves_coverage",
                unit_id=s["east"]["id"])
    with pytest.raises(ValidationFailed) as info:
        call_as(s["admin"], "org", "five_haves_coverage",
                unit_id=s["compounds"]["甲小区"]["id"])
    assert list(info.value.fields["zh"]) == ["unit_id"]
    # a city admin sees the street's compounds inside the city-wide report
    city = call_as(user("city_admin", tree["city"]["path"]), "org", "five_haves_coverage",
                   unit_id=tree["city"]["id"])
    assert {c["compound_id"] for c in city["compounds"]} >= {
        c["id"] for c in s["compounds"].values()}


def test_compound_organisation_at_a_glance(five_haves_street):
    k = five_haves_street["compounds"]["甲小区"]
    view = call_as(user("resident", k["path"]), "org", "get_compound_organisation",
                   compound_id=k["id"])
    assert view["property_company"]["name"] == "甲小区物业"
    assert len(view["owners_committee"]["members"]) == 5
    assert len(view["mediation_committee"]["members"]) == 3
    assert view["deliberation_venue"]["opening_hours"] == "每月第一个周六上午"
    assert [g["member_count"] for g in view["party_groups"]] == [1]
    assert len(view["grid"]["workers"]) == 1
    empty = call_as(five_haves_street["admin"], "org", "get_compound_organisation",
                    compound_id=five_haves_street["compounds"]["丙小区"]["id"])
    assert empty["party_groups"] == [] and empty["grid"] is None
    assert all(empty[k] is None for k in FIVE if k != "party_group")


def test_dates_in_events_are_iso(five_haves_street, org_db):
    k = five_haves_street["compounds"]["甲小区"]
    [event] = events(org_db, "org.body.set_up", "compound_id", k["id"])[:1]
    date.fromisoformat(event["payload"]["term_start"])
