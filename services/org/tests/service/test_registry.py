"""The registry over the real broker and database: areas, owners, dated ownership and the
electorate as of a time, residents in and out; scope, audit and outbox."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()
UTC = timezone.utc


def user(role, path, account_id=None):
    return Principal(kind="user", account_id=account_id, grants=(Grant(role, path),))


def rows(org_db, sql, **params):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


def events(org_db, event_type, key, value):
    return [r["envelope"] for r in rows(
        org_db, f"SELECT envelope FROM outbox WHERE event_type = :t "
                f"AND envelope->'payload'->>'{key}' = :v ORDER BY id", t=event_type, v=value)]


def iso(dt):
    return dt.astimezone(UTC).isoformat()


@pytest.fixture
def compound(tree):
    """A fresh compound in community A with one building of six units."""
    admin = user("street_admin", tree["streetA"]["path"])
    cpd = call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"登记小区{uuid.uuid4().hex[:6]}")
    bld = call_as(admin, "org", "create_unit", parent_id=cpd["id"], kind="building", name="1幢")
    units = [call_as(admin, "org", "create_unit", parent_id=bld["id"], kind="unit",
                     name=f"10{i}") for i in range(1, 7)]
    return {"compound": cpd, "building": bld, "units": units,
            "worker": user("community_worker", tree["communityA"]["path"], "acc-worker")}


def person_owner(c, name, id_number, **kw):
    return call_as(c["worker"], "org", "create_owner", compound_id=c["compound"]["id"],
                   kind="person", name=name, id_number=id_number, **kw)


# -- areas --------------------------------------------------------------------------------
def test_unit_area_precedence_events_and_audit(compound, org_db):
    c, unit = compound, compound["units"][0]
    r = call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], contract_area=9012)
    assert (r["exclusive_area"], r["area_source"]) == (9012, "contract")
    r = call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], surveyed_area=8960)
    assert (r["exclusive_area"], r["area_source"]) == (8960, "surveyed")
    r = call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], registered_area=8935)
    assert (r["exclusive_area"], r["area_source"]) == (8935, "registered")
    assert r["contract_area"] == 9012 and r["surveyed_area"] == 8960
    # clearing the registered area falls back to the surveyed one
    r = call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], registered_area=None)
    assert (r["exclusive_area"], r["area_source"]) == (8960, "surveyed")
    sent = events(org_db, "org.unit.area_changed", "id", unit["id"])
    assert len(sent) == 4 and sent[-1]["payload"]["exclusive_area"] == 8960
    # saying the same again changes nothing: no event, no audit row
    audits = len(rows(org_db, "SELECT id FROM audit_log WHERE entity_id = :i", i=unit["id"]))
    call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], surveyed_area=8960)
    assert len(events(org_db, "org.unit.area_changed", "id", unit["id"])) == 4
    assert len(rows(org_db, "SELECT id FROM audit_log WHERE entity_id = :i",
                    i=unit["id"])) == audits
    [a] = rows(org_db, "SELECT * FROM audit_log WHERE action = 'unit.set_area' AND entity_id = :i"
               " ORDER BY at, id LIMIT 1", i=unit["id"])
    assert a["actor_account_id"] == "acc-worker"


def test_unit_area_input_is_checked(compound):
    c = compound
    with pytest.raises(ValidationFailed) as info:
        call_as(c["worker"], "org", "set_unit_area", unit_id=c["units"][0]["id"],
                registered_area=89.35)
    assert "registered_area" in info.value.fields["zh"]
    with pytest.raises(ValidationFailed):
        call_as(c["worker"], "org", "set_unit_area", unit_id=c["units"][0]["id"],
                registered_area=0)
    with pytest.raises(ValidationFailed):
        call_as(c["worker"], "org", "set_unit_area", unit_id=c["units"][0]["id"])
    with pytest.raises(ValidationFailed) as info:     # a compound has no exclusive area
        call_as(c["worker"], "org", "set_unit_area", unit_id=c["compound"]["id"],
                registered_area=100)
    assert "unit_id" in info.value.fields["zh"]


def test_registry_scope(compound, tree):
    c = compound
    other = user("community_worker", tree["communityB"]["path"])
    with pytest.raises(NotFound):
        call_as(other, "org", "set_unit_area", unit_id=c["units"][0]["id"], registered_area=1)
    with pytest.raises(NotFound):
        call_as(other, "org", "electorate", compound_id=c["compound"]["id"])
    with pytest.raises(Forbidden):    # in scope, but the grid worker may not write
        call_as(user("grid_worker", tree["communityA"]["path"]), "org", "set_unit_area",
                unit_id=c["units"][0]["id"], registered_area=1)
    # a resident of the compound sees the units but not the registry
    resident = user("resident", c["units"][0]["path"])
    with pytest.raises(Forbidden):
        call_as(resident, "org", "set_unit_area", unit_id=c["units"][0]["id"],
                registered_area=1)
    with pytest.raises(NotFound):
        call_as(resident, "org", "electorate", compound_id=c["compound"]["id"])
    with pytest.raises(NotFound):
        call_as(resident, "org", "list_residents", unit_id=c["units"][0]["id"])
    # the owners' committee and property staff of the compound may write
    committee = user("owners_committee", c["compound"]["path"])
    assert call_as(committee, "org", "set_unit_area", unit_id=c["units"][0]["id"],
                   registered_area=7000)["exclusive_area"] == 7000
    # any staff role in scope may read the electorate
    assert call_as(user("mediator", tree["communityA"]["path"]), "org", "electorate",
                   compound_id=c["compound"]["id"])["total_owners"] == 0


# -- owners --------------------------------------------------------------------------------
def test_person_owner_reuses_people_and_protects_the_id_number(compound, org_db):
    c = compound
    o = person_owner(c, "王业主", "32128319800101111X", phone="13800000001")
    assert o["created"] is True and o["kind"] == "person" and o["name"] == "王业主"
    [p] = rows(org_db, "SELECT * FROM people WHERE id = :i", i=o["person_id"])
    assert p["id_number_masked"] == "3212**********111X"
    assert b"32128319800101111X" not in bytes(p["id_number_enc"])
    again = person_owner(c, "王业主", "32128319800101111X")
    assert again["id"] == o["id"] and again["created"] is False
    assert len(events(org_db, "org.owner.created", "id", o["id"])) == 1
    [audit] = rows(org_db, "SELECT * FROM audit_log WHERE action = 'person.create' "
                           "AND entity_id = :i", i=o["person_id"])
    assert "32128319800101111X" not in str(audit["detail"])
    with pytest.raises(Conflict):        # the same ID number under another name
        person_owner(c, "王某", "32128319800101111X")
    # the registered person, named by id
    by_id = call_as(c["worker"], "org", "create_owner", compound_id=c["compound"]["id"],
                    kind="person", person_id=o["person_id"])
    assert by_id["id"] == o["id"]


def test_organisation_and_developer_owners(compound, org_db):
    c, cid = compound, compound["compound"]["id"]
    org = call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="organisation",
                  name="某某物流有限公司", credit_code="91320000MA1XXXXX0A")
    assert org["created"] and org["credit_code"] == "91320000MA1XXXXX0A"
    assert call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="organisation",
                   name="某某物流有限公司",
                   credit_code="91320000MA1XXXXX0A")["id"] == org["id"]
    dev = call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="developer",
                  name="泰兴置业有限公司")
    assert call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="developer",
                   name="泰兴置业有限公司")["id"] == dev["id"]
    with pytest.raises(Conflict):        # one developer per compound
        call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="developer",
                name="另一开发商")
    with pytest.raises(ValidationFailed) as info:
        call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="organisation",
                name="无代码公司")
    assert "credit_code" in info.value.fields["zh"]
    with pytest.raises(ValidationFailed):
        call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="organisation",
                name="坏代码", credit_code="123")
    page = call_as(c["worker"], "org", "list_owners", compound_id=cid, kind="developer")
    assert [o["id"] for o in page["items"]] == [dev["id"]]


# -- dated ownership and the electorate ---------------------------------------------------
def test_electorate_counts_each_owner_once_and_answers_as_of_a_time(compound, org_db):
    c, cid = compound, compound["compound"]["id"]
    u = c["units"]
    for unit, area in zip(u, (8935, 10000, 12050, 9000, 7000, 6000)):
        call_as(c["worker"], "org", "set_unit_area", unit_id=unit["id"], registered_area=area)
    zhang = person_owner(c, "张三", "321283199001011237")
    li = person_owner(c, "李四", "321283199202022346")
    wife = person_owner(c, "赵妻", "321283199303033458")
    dev = call_as(c["worker"], "org", "create_owner", compound_id=cid, kind="developer",
                  name="泰兴置业有限公司")
    now = datetime.now(UTC)
    t_start, t0, t_sale = now - timedelta(days=60), now - timedelta(days=30), now - timedelta(days=1)
    # Zhang owns three units; Li and his wife co-own one (Li votes); the developer keeps two.
    for unit in u[:3]:
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": zhang["id"]}], at=iso(t_start))
    call_as(c["worker"], "org", "transfer_unit", unit_id=u[3]["id"], at=iso(t_start),
            owners=[{"owner_id": li["id"], "is_voter": True},
                    {"owner_id": wife["id"], "is_voter": False}])
    for unit in u[4:]:
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": dev["id"]}], at=iso(t_start))

    before = call_as(SYSTEM, "org", "electorate", compound_id=cid, as_of=iso(t0))
    assert before["total_owners"] == 3
    assert before["total_area"] == 8935 + 10000 + 12050 + 9000 + 7000 + 6000
    by_owner = {e["owner_id"]: e for e in before["owners"]}
    assert by_owner[zhang["id"]]["area"] == 8935 + 10000 + 12050
    assert sorted(by_owner[zhang["id"]]["unit_ids"]) == sorted(x["id"] for x in u[:3])
    assert by_owner[zhang["id"]]["heads"] == 1
    assert by_owner[li["id"]]["area"] == 9000 and wife["id"] not in by_owner
    assert by_owner[dev["id"]]["area"] == 13000 and len(by_owner[dev["id"]]["unit_ids"]) == 2

    # Zhang sells his third unit to Li's wife after t0.
    sold = call_as(c["worker"], "org", "transfer_unit", unit_id=u[2]["id"],
                   owners=[{"owner_id": wife["id"]}], at=iso(t_sale))
    assert [o["owner_id"] for o in sold["owners"]] == [wife["id"]]
    [event] = events(org_db, "org.ownership.changed", "unit_id", u[2]["id"])[-1:]
    assert event["payload"]["from_owner_ids"] == [zhang["id"]]
    assert event["payload"]["to_owner_ids"] == [wife["id"]]
    assert event["payload"]["voter_owner_id"] == wife["id"]
    assert event["payload"]["compound_id"] == cid

    # As of t0 nothing changed; from the sale on Zhang holds two units and the wife counts.
    assert call_as(SYSTEM, "org", "electorate", compound_id=cid, as_of=iso(t0)) == before
    after = call_as(SYSTEM, "org", "electorate", compound_id=cid)
    by_owner = {e["owner_id"]: e for e in after["owners"]}
    assert after["total_owners"] == 4 and after["total_area"] == before["total_area"]
    assert by_owner[zhang["id"]]["area"] == 8935 + 10000
    assert by_owner[wife["id"]]["area"] == 12050
    # the unit's owners as of times around the sale
    assert [o["owner_id"] for o in call_as(c["worker"], "org", "unit_owners", unit_id=u[2]["id"],
                                           as_of=iso(t0))["owners"]] == [zhang["id"]]
    at_sale = call_as(c["worker"], "org", "unit_owners", unit_id=u[2]["id"], as_of=iso(t_sale))
    assert [o["owner_id"] for o in at_sale["owners"]] == [wife["id"]]
    # before anyone owned anything
    empty = call_as(SYSTEM, "org", "electorate", compound_id=cid,
                    as_of=iso(now - timedelta(days=90)))
    assert empty["total_owners"] == 0 and empty["total_area"] == 0
    # owners of the compound as of t0 include the non-voting co-owner
    listed = call_as(c["worker"], "org", "compound_owners", compound_id=cid, as_of=iso(t0),
                     limit=2)
    seen, cursor = list(listed["items"]), listed["next_cursor"]
    while cursor:
        page = call_as(c["worker"], "org", "compound_owners", compound_id=cid, as_of=iso(t0),
                       limit=2, cursor=cursor)
        seen += page["items"]
        cursor = page["next_cursor"]
    held = {o["owner_id"]: o for o in seen}
    assert set(held) == {zhang["id"], li["id"], wife["id"], dev["id"]}
    assert held[wife["id"]]["unit_ids"] == [u[3]["id"]] and held[wife["id"]]["voter_for"] == []


def test_transfer_rules(compound):
    c, unit = compound, compound["units"][0]
    a = person_owner(c, "甲", "321283199001010015")
    b = person_owner(c, "乙", "321283199001010023")
    now = datetime.now(UTC)
    with pytest.raises(ValidationFailed) as info:      # co-owners without a voter
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": a["id"]}, {"owner_id": b["id"]}])
    assert info.value.fields["zh"]["owners"] == ["共有人须指定一名投票人。"]
    with pytest.raises(ValidationFailed):              # two voters
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": a["id"], "is_voter": True},
                        {"owner_id": b["id"], "is_voter": True}])
    with pytest.raises(ValidationFailed):              # in the future
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": a["id"]}], at=iso(now + timedelta(days=1)))
    other = call_as(SYSTEM, "org", "create_owner", compound_id=c["compound"]["id"],
                    kind="developer", name="开发商甲")
    first = call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                    owners=[{"owner_id": other["id"]}], at=iso(now - timedelta(days=10)))
    assert first["owners"][0]["is_voter"] is True
    # the same owners again: nothing changes
    again = call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                    owners=[{"owner_id": other["id"]}])
    assert again["owners"][0]["since"] == first["owners"][0]["since"]
    with pytest.raises(Conflict):                      # history is never rewritten
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": a["id"]}], at=iso(now - timedelta(days=20)))
    # an owner of another compound cannot take a unit here
    stranger_cpd = call_as(SYSTEM, "org", "create_unit", parent_id=c["compound"]["path"].split(
        "/")[3], kind="compound", name="别的小区")
    stranger = call_as(SYSTEM, "org", "create_owner", compound_id=stranger_cpd["id"],
                       kind="developer", name="别的开发商")
    with pytest.raises(ValidationFailed):
        call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
                owners=[{"owner_id": stranger["id"]}])


# -- residents ------------------------------------------------------------------------------
def test_residents_move_in_and_out_dated(compound, org_db):
    c, unit = compound, compound["units"][5]
    owner = person_owner(c, "孙业主", "321283198505055554")
    call_as(c["worker"], "org", "transfer_unit", unit_id=unit["id"],
            owners=[{"owner_id": owner["id"]}],
            at=iso(datetime.now(UTC) - timedelta(days=400)))
    me = call_as(c["worker"], "org", "move_in", unit_id=unit["id"], person_id=owner["person_id"],
                 relation="owner_occupier", date="2024-01-01")
    kid = call_as(c["worker"], "org", "move_in", unit_id=unit["id"], name="孙小小",
                  relation="family_member", date="2024-01-01")
    tenant = call_as(c["worker"], "org", "move_in", unit_id=unit["id"], name="周租客",
                     phone="13912345678", relation="tenant", date="2024-03-01")
    assert tenant["phone"] == "139****5678"
    with pytest.raises(ValidationFailed) as info:      # only an owner lives as owner-occupier
        call_as(c["worker"], "org", "move_in", unit_id=unit["id"], name="冒充业主",
                relation="owner_occupier", date="2024-01-01")
    assert "relation" in info.value.fields["zh"]
    with pytest.raises(Conflict):                      # already lives there
        call_as(c["worker"], "org", "move_in", unit_id=unit["id"], person_id=kid["person_id"],
                relation="family_member", date="2024-05-01")
    with pytest.raises(ValidationFailed):              # out before in
        call_as(c["worker"], "org", "move_out", residency_id=tenant["id"], date="2024-02-01")
    out = call_as(c["worker"], "org", "move_out", residency_id=tenant["id"], date="2024-09-01")
    assert out["moved_out"] == "2024-09-01"
    with pytest.raises(Conflict):
        call_as(c["worker"], "org", "move_out", residency_id=tenant["id"], date="2024-10-01")

    def names(on):
        return {r["name"] for r in call_as(c["worker"], "org", "list_residents",
                                           unit_id=unit["id"], on=on)["items"]}
    assert names("2023-12-31") == set()
    assert names("2024-01-01") == {"孙业主", "孙小小"}
    assert names("2024-03-01") == {"孙业主", "孙小小", "周租客"}
    assert names("2024-08-31") == {"孙业主", "孙小小", "周租客"}
    assert names("2024-09-01") == {"孙业主", "孙小小"}          # moved_out is the first day away
    assert names(date.today().isoformat()) == {"孙业主", "孙小小"}
    [moved_in] = events(org_db, "org.resident.moved_in", "id", tenant["id"])
    assert moved_in["payload"]["relation"] == "tenant"
    assert moved_in["payload"]["moved_in"] == "2024-03-01"
    [moved_out] = events(org_db, "org.resident.moved_out", "id", tenant["id"])
    assert moved_out["payload"]["moved_out"] == "2024-09-01"
    assert rows(org_db, "SELECT id FROM audit_log WHERE action = 'resident.move_out' "
                        "AND entity_id = :i", i=tenant["id"])
    # the tenant may move in again later
    back = call_as(c["worker"], "org", "move_in", unit_id=unit["id"],
                   person_id=tenant["person_id"], relation="tenant", date="2025-01-01")
    assert back["moved_in"] == "2025-01-01" and me["relation"] == "owner_occupier"
