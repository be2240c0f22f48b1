"""Notes over the real broker and database: scope, visibility, pages, the event in the
outbox, the audit row, and org's unit events arriving through the broker."""
import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as, wait_until

from fazhi_disputes_contract.schemas import NoteCreatedEvent

pytestmark = pytest.mark.usefixtures("service")
SYSTEM = Principal.system()


def user(role, path, account_id=None, person_id=None):
    """A signed-in person holding ``role`` on ``path``."""
    return Principal(kind="user", account_id=account_id, person_id=person_id,
                     grants=(Grant(role, path),))


def rows(db_url, sql, **params):
    with engine_for(db_url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def test_a_worker_writes_a_note_with_its_event_and_audit_row(tree, service_db):
    worker = user("community_worker", tree["communityA"]["path"], account_id=new_id(),
                  person_id=new_id())
    note = call_as(worker, "disputes", "create_note", unit_id=tree["unitA"]["id"],
                   kind="visit", text="  走访 101 室，\r\n家中无人。  ")
    assert note["path"] == tree["unitA"]["path"] and note["visibility"] == "staff"
    assert note["text"] == "走访 101 室，\n家中无人。"
    assert note["author_person_id"] == worker.person_id
    [event] = rows(service_db, "SELECT envelope FROM outbox WHERE event_type = :t "
                   "AND envelope->'payload'->>'id' = :i", t="disputes.note.created", i=note["id"])
    envelope = event["envelope"]
    assert envelope["path"] == note["path"]
    assert NoteCreatedEvent().load(envelope["payload"])["kind"] == "visit"
    assert "text" not in envelope["payload"]
    [audit] = rows(service_db, "SELECT * FROM audit_log WHERE entity = 'note' AND entity_id = :i",
                   i=note["id"])
    assert audit["action"] == "note.create" and audit["actor_person_id"] == worker.person_id


def test_outside_scope_is_404_and_a_reader_role_is_403(tree):
    other = user("community_worker", tree["communityB"]["path"])
    with pytest.raises(NotFound):
        call_as(other, "disputes", "create_note", unit_id=tree["unitA"]["id"], kind="visit",
                text="x")
    with pytest.raises(NotFound):
        call_as(SYSTEM, "disputes", "create_note", unit_id=new_id(), kind="visit", text="x")
    resident = user("resident", tree["unitA"]["path"])      # sees the unit, may not write
    with pytest.raises(Forbidden):
        call_as(resident, "disputes", "create_note", unit_id=tree["unitA"]["id"],
                kind="notice", text="x")


def test_bad_input_names_the_field(tree):
    worker = user("community_worker", tree["communityA"]["path"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "disputes", "create_note", unit_id=tree["unitA"]["id"], kind="gossip",
                text="x")
    assert "kind" in info.value.fields["zh"]
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "disputes", "create_note", unit_id=tree["unitA"]["id"], kind="visit",
                text=" \n ")
    assert info.value.fields["zh"]["text"] == ["内容不能为空。"]


def test_lists_are_scoped_by_grant_and_visibility_and_paginated(tree):
    worker = user("grid_worker", tree["compoundA"]["path"])
    made = [call_as(worker, "disputes", "create_note", unit_id=tree[u]["id"], kind=k, text=k)
            for u, k in (("buildingA", "visit"), ("unitA", "reminder"), ("compoundA", "notice"))]
    ids = [n["id"] for n in made]
    seen, cursor = [], None
    while True:
        page = call_as(worker, "disputes", "list_notes", unit_id=tree["compoundA"]["id"],
                       limit=2, cursor=cursor)
        assert len(page["items"]) <= 2
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [i for i in seen if i in ids] == ids            # all of them, in creation order
    only_unit = call_as(worker, "disputes", "list_notes", unit_id=tree["unitA"]["id"])
    assert {n["id"] for n in only_unit["items"]} >= {ids[1]}
    assert ids[0] not in {n["id"] for n in only_unit["items"]}
    other = call_as(user("street_admin", tree["streetB"]["path"]), "disputes", "list_notes")
    assert not set(ids) & {n["id"] for n in other["items"]}
    resident = call_as(user("resident", tree["unitA"]["path"]), "disputes", "list_notes")
    assert {n["kind"] for n in resident["items"]} == {"notice"}
    assert ids[2] in {n["id"] for n in resident["items"]}
    with pytest.raises(NotFound):
        call_as(user("resident", tree["unitA"]["path"]), "disputes", "list_notes",
                unit_id=tree["compoundB"]["id"])


def test_org_unit_events_feed_the_read_model_and_notes_follow_moves(tree, new_unit,
                                                                   publish_org_event):
    building = new_unit(tree["compoundA"], "building", "新楼")
    publish_org_event("unit.created", building, building["path"])
    admin = user("city_admin", tree["city"]["path"])
    note = wait_until(lambda: _try_create(admin, building["id"]), timeout=15,
                      what="the new building to reach the read model")
    assert note["path"] == building["path"]
    new_path = f"{tree['compoundB']['path']}/{building['id']}"
    publish_org_event("unit.moved", {
        **building, "parent_id": tree["compoundB"]["id"], "path": new_path, "version": 2,
        "old_path": building["path"], "new_path": new_path,
        "old_parent_id": tree["compoundA"]["id"], "new_parent_id": tree["compoundB"]["id"]},
        new_path)
    worker_b = user("community_worker", tree["communityB"]["path"])

    def moved():
        page = call_as(worker_b, "disputes", "list_notes", unit_id=building["id"])
        return [n for n in page["items"] if n["id"] == note["id"]]

    [after] = wait_until(moved, timeout=15, what="the note to follow the move")
    assert after["path"] == new_path


def _try_create(principal, unit_id):
    try:
        return call_as(principal, "disputes", "create_note", unit_id=unit_id, kind="notice",
                       text="新楼启用")
    except NotFound:
        return None
