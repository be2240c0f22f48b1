"""The unit tree over the real broker and database: scope, moves, events in the outbox."""
import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


def outbox(org_db, event_type, unit_id):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = :t AND envelope->'payload'->>'id' = :i"
        ), {"t": event_type, "i": unit_id}).scalars().all()


def test_street_admin_builds_a_compound(tree, org_db):
    admin = user("street_admin", tree["streetA"]["path"])
    com = call_as(admin, "org", "create_unit", parent_id=tree["streetA"]["id"],
                  kind="community", name="新社区")
    cpd = call_as(admin, "org", "create_unit", parent_id=com["id"], kind="compound",
                  name="法治小区")
    assert cpd["path"] == f"{com['path']}/{cpd['id']}"
    assert cpd["parent_id"] == com["id"] and cpd["kind"] == "compound"
    [event] = outbox(org_db, "org.unit.created", cpd["id"])
    assert event["path"] == cpd["path"] and event["payload"]["name"] == "法治小区"


def test_other_street_sees_404_and_lists_nothing_of_it(tree):
    worker_b = user("community_worker", tree["communityB"]["path"])
    with pytest.raises(NotFound):
        call_as(worker_b, "org", "get_unit", id=tree["compoundA"]["id"])
    page = call_as(worker_b, "org", "list_units", kind="compound", limit=200)
    ids = {u["id"] for u in page["items"]}
    assert tree["compoundB"]["id"] in ids and tree["compoundA"]["id"] not in ids
    with pytest.raises(NotFound):
        call_as(worker_b, "org", "create_unit", parent_id=tree["compoundA"]["id"],
                kind="building", name="x")


def test_role_that_may_not_write_gets_403_inside_scope(tree):
    grid = user("grid_worker", tree["communityA"]["path"])
    with pytest.raises(Forbidden):
        call_as(grid, "org", "create_unit", parent_id=tree["compoundA"]["id"],
                kind="building", name="2幢")
    # and the wrong level is a validation error naming the field
    admin = user("street_admin", tree["streetA"]["path"])
    with pytest.raises(ValidationFailed) as info:
        call_as(admin, "org", "create_unit", parent_id=tree["compoundA"]["id"], kind="unit",
                name="x")
    assert "kind" in info.value.fields["zh"]


def test_resident_sees_own_compound_only(tree):
    resident = user("resident", tree["unitA"]["path"])
    assert call_as(resident, "org", "get_unit", id=tree["buildingA"]["id"])["name"] == "1幢"
    with pytest.raises(NotFound):
        call_as(resident, "org", "get_unit", id=tree["communityA"]["id"])
    with pytest.raises(NotFound):
        call_as(resident, "org", "get_unit", id=tree["buildingB"]["id"])


def test_rename_keeps_paths(tree, org_db):
    admin = user("street_admin", tree["streetA"]["path"])
    b = call_as(admin, "org", "create_unit", parent_id=tree["compoundA"]["id"],
                kind="building", name="3幢")
    r = call_as(admin, "org", "rename_unit", id=b["id"], name="三幢")
    assert r["name"] == "三幢" and r["path"] == b["path"]
    assert outbox(org_db, "org.unit.renamed", b["id"])[0]["payload"]["name"] == "三幢"


def test_move_compound_rewrites_subtree_and_emits(tree, org_db):
    city_admin = user("city_admin", tree["city"]["path"])
    cpd = call_as(city_admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name="搬迁小区")
    bld = call_as(city_admin, "org", "create_unit", parent_id=cpd["id"], kind="building",
                  name="1幢")
    unit = call_as(city_admin, "org", "create_unit", parent_id=bld["id"], kind="unit",
                   name="101")
    person = call_as(city_admin, "org", "create_person", name="随迁居民", unit_id=unit["id"])
    moved = call_as(city_admin, "org", "move_unit", id=cpd["id"],
                    new_parent_id=tree["communityB"]["id"])
    assert moved["path"] == f"{tree['communityB']['path']}/{cpd['id']}"
    assert moved["parent_id"] == tree["communityB"]["id"]
    unit_now = call_as(city_admin, "org", "get_unit", id=unit["id"])
    assert unit_now["path"] == f"{moved['path']}/{bld['id']}/{unit['id']}"
    [event] = outbox(org_db, "org.unit.moved", cpd["id"])
    assert event["payload"]["old_path"] == cpd["path"]
    assert event["payload"]["new_path"] == moved["path"]
    # street A's admin no longer sees it; street B's worker does
    with pytest.raises(NotFound):
        call_as(user("street_admin", tree["streetA"]["path"]), "org", "get_unit", id=unit["id"])
    worker_b = user("community_worker", tree["communityB"]["path"])
    assert call_as(worker_b, "org", "get_unit", id=unit["id"])["id"] == unit["id"]
    # records kept under the unit follow it
    assert call_as(worker_b, "org", "get_person", id=person["id"])["path"] == unit_now["path"]


def test_move_needs_rights_on_both_sides_and_right_level(tree):
    admin_a = user("street_admin", tree["streetA"]["path"])
    with pytest.raises(NotFound):
        call_as(admin_a, "org", "move_unit", id=tree["compoundA"]["id"],
                new_parent_id=tree["communityB"]["id"])
    with pytest.raises(ValidationFailed):
        call_as(admin_a, "org", "move_unit", id=tree["buildingA"]["id"],
                new_parent_id=tree["communityA"]["id"])


def test_pagination_walks_every_child_once(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    com = call_as(admin, "org", "create_unit", parent_id=tree["streetA"]["id"],
                  kind="community", name="分页社区")
    made = {call_as(admin, "org", "create_unit", parent_id=com["id"], kind="compound",
                    name=f"小区{i:02d}")["id"] for i in range(7)}
    seen, cursor, pages = [], None, 0
    while True:
        page = call_as(admin, "org", "list_units", parent_id=com["id"], limit=3, cursor=cursor)
        seen += [u["id"] for u in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == 7 and set(seen) == made


def test_export_is_for_system_and_city_admins(tree):
    page = call_as(SYSTEM, "org", "export_units", limit=5000)
    assert {tree["unitA"]["id"], tree["unitB"]["id"]} <= {u["id"] for u in page["items"]}
    with pytest.raises(Forbidden):
        call_as(user("street_admin", tree["streetA"]["path"]), "org", "export_units")


def test_relay_prunes_only_old_published_events(org_db):
    """Published events leave the outbox after the retention period; unpublished never."""
    from datetime import datetime, timedelta, timezone

    from fazhi_shared.config import database_setting
    from fazhi_shared.ids import new_id
    from fazhi_shared.service.outbox import OutboxRelay
    from org.models import tables

    old = datetime.now(timezone.utc) - timedelta(days=30)
    ids = {"old_published": new_id(), "recent_published": new_id(), "old_unpublished": new_id()}
    with engine_for(org_db).begin() as conn:
        for name, event_id in ids.items():
            conn.execute(tables.outbox.insert().values(
                id=event_id, event_type="org.test.pruned", envelope={"event_id": event_id},
                created_at=old,
                published_at=None if name == "old_unpublished" else (
                    old if name == "old_published" else datetime.now(timezone.utc))))
    relay = OutboxRelay(tables.outbox, database_setting("org"))
    relay.engine = engine_for(org_db)
    assert relay.prune_once() >= 1
    with engine_for(org_db).connect() as conn:
        left = set(conn.execute(text("SELECT id FROM outbox WHERE event_type = 'org.test.pruned'"))
                   .scalars())
    assert left == {ids["recent_published"], ids["old_unpublished"]}
