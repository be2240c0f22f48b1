"""Retiring units (issue 9, point 3): a building or a dwelling with no current owner,
resident or pending claim can be retired, by those who may write that kind of unit, with
a reason. It keeps its row and path, says when and why, leaves its name free, is hidden
from lists, the electorate and workbooks, takes no new records, and ``org.unit.retired``
(the unit's state with a new version) lets other services refuse new records on it."""
import time
import uuid

import pytest
from sqlalchemy import text

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.schemas import EVENTS
from fazhi_org_contract.vocabulary import XLSX
from org.samples import id_number, xlsx

SYSTEM = Principal.system()


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


def rows(org_db, sql, **params):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


@pytest.fixture
def c(tree):
    """A fresh compound: building 1幢 with units 101, 102, 103; a community worker."""
    admin = user("street_admin", tree["streetA"]["path"])
    cpd = call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"停用小区{uuid.uuid4().hex[:6]}")
    b = call_as(admin, "org", "create_unit", parent_id=cpd["id"], kind="building", name="1幢")
    units = {n: call_as(admin, "org", "create_unit", parent_id=b["id"], kind="unit", name=n)
             for n in ("101", "102", "103")}
    return {"admin": admin, "compound": cpd, "building": b, "units": units,
            "worker": user("community_worker", tree["communityA"]["path"])}


def _children(principal, parent_id, **kw):
    return {u["name"]: u for u in call_as(principal, "org", "list_units", parent_id=parent_id,
                                          limit=200, **kw)["items"]}


def test_an_empty_unit_is_retired_hidden_and_its_name_freed(c, org_db):
    u = c["units"]["103"]
    done = call_as(c["worker"], "org", "retire_unit", id=u["id"], reason="合并为102室")
    assert done["retired_at"] and done["retired_reason"] == "合并为102室"
    assert done["version"] > u["version"] and done["path"] == u["path"]
    # still readable by id (history), hidden from lists unless asked for
    assert call_as(c["worker"], "org", "get_unit", id=u["id"])["retired_at"] == done["retired_at"]
    assert set(_children(c["worker"], c["building"]["id"])) == {"101", "102"}
    assert set(_children(c["worker"], c["building"]["id"], include_retired=True)) == {
        "101", "102", "103"}
    # the event other services act on: the unit's whole state with its new version
    [event] = rows(org_db, "SELECT envelope FROM outbox WHERE event_type = 'org.unit.retired' "
                           "AND envelope->'payload'->>'id' = :i", i=u["id"])
    payload = event["envelope"]["payload"]
    assert EVENTS["unit.retired"]().load(payload)
    assert payload["version"] == done["version"] and payload["retired_at"]
    assert payload["path"] == u["path"] and payload["kind"] == "unit"
    [entry] = rows(org_db, "SELECT detail FROM audit_log WHERE action = 'unit.retire' "
                           "AND entity_id = :i", i=u["id"])
    assert entry["detail"]["reason"] == "合并为102室"
    # its name is free again; retiring it twice is a conflict
    again = call_as(c["worker"], "org", "create_unit", parent_id=c["building"]["id"],
                    kind="unit", name="103")
    assert again["id"] != u["id"]
    with pytest.raises(Conflict) as info:
        call_as(c["worker"], "org", "retire_unit", id=u["id"], reason="再次")
    assert "已停用" in info.value.message_zh


def test_a_unit_with_an_owner_a_resident_or_a_pending_claim_is_not_retired(c):
    worker, u1, u2, u3 = c["worker"], c["units"]["101"], c["units"]["102"], c["units"]["103"]
    owner = call_as(worker, "org", "create_owner", compound_id=c["compound"]["id"],
                    kind="person", name="业主甲",
                    id_number=id_number(f"3212831970{uuid.uuid4().int % 10**7:07d}"))
    call_as(worker, "org", "transfer_unit", unit_id=u1["id"],
            owners=[{"owner_id": owner["id"]}])
    call_as(worker, "org", "move_in", unit_id=u2["id"], name="租客乙", relation="tenant")
    call_as(worker, "org", "register_resident_for", name="申请丙", unit_id=u3["id"],
            relation="tenant")
    for unit, word in ((u1, "业主"), (u2, "住户"), (u3, "申请")):
        with pytest.raises(Conflict) as info:
            call_as(worker, "org", "retire_unit", id=unit["id"], reason="拆除")
        assert word in info.value.message_zh, info.value.message_zh
        assert "停用" in info.value.message_zh
    # the building cannot go while any of its units is in use
    with pytest.raises(Conflict):
        call_as(c["admin"], "org", "retire_unit", id=c["building"]["id"], reason="拆除")
    assert all(not u["retired_at"] for u in _children(worker, c["building"]["id"]).values())


def test_a_building_retires_with_its_units(c, org_db):
    done = call_as(c["worker"], "org", "retire_unit", id=c["building"]["id"], reason="整栋拆除")
    assert done["retired_at"]
    assert _children(c["worker"], c["compound"]["id"]) == {}
    assert {u["name"] for u in _children(c["worker"], c["building"]["id"],
                                        include_retired=True).values()
            if u["retired_at"]} == {"101", "102", "103"}
    ids = {c["building"]["id"], *(u["id"] for u in c["units"].values())}
    sent = rows(org_db, "SELECT envelope->'payload'->>'id' AS id FROM outbox "
                        "WHERE event_type = 'org.unit.retired'")
    assert ids <= {r["id"] for r in sent}


def test_a_retired_unit_takes_no_new_records(c):
    worker, u = c["worker"], c["units"]["103"]
    call_as(worker, "org", "retire_unit", id=u["id"], reason="合并")
    attempts = [
        ("set_unit_area", {"unit_id": u["id"], "registered_area": 8000}),
        ("move_in", {"unit_id": u["id"], "name": "新住户", "relation": "tenant"}),
        ("register_resident_for", {"name": "代办人", "unit_id": u["id"], "relation": "tenant"}),
        ("rename_unit", {"id": u["id"], "name": "103-旧"}),
    ]
    for method, kwargs in attempts:
        with pytest.raises(Conflict) as info:
            call_as(worker, "org", method, **kwargs)
        assert "已停用" in info.value.message_zh, method
    call_as(c["admin"], "org", "retire_unit", id=c["building"]["id"], reason="拆除")
    with pytest.raises(Conflict):
        call_as(worker, "org", "create_unit", parent_id=c["building"]["id"], kind="unit",
                name="104")
    other = call_as(c["admin"], "org", "create_unit", parent_id=c["compound"]["id"],
                    kind="building", name="2幢")
    unit = call_as(c["admin"], "org", "create_unit", parent_id=other["id"], kind="unit",
                   name="201")
    with pytest.raises(Conflict):
        call_as(c["admin"], "org", "move_unit", id=unit["id"],
                new_parent_id=c["building"]["id"])


def test_who_may_retire_what(c, tree):
    with pytest.raises(Forbidden):
        call_as(user("grid_worker", tree["communityA"]["path"]), "org", "retire_unit",
                id=c["units"]["101"]["id"], reason="拆除")
    with pytest.raises(NotFound):
        call_as(user("community_worker", tree["communityB"]["path"]), "org", "retire_unit",
                id=c["units"]["101"]["id"], reason="拆除")
    with pytest.raises(ValidationFailed) as info:
        call_as(c["admin"], "org", "retire_unit", id=c["compound"]["id"], reason="拆除")
    assert "id" in info.value.fields["zh"]
    with pytest.raises(ValidationFailed) as info:
        call_as(c["worker"], "org", "retire_unit", id=c["units"]["101"]["id"], reason="")
    assert "reason" in info.value.fields["zh"]


def _import(principal, compound_id, rows_):
    job = call_as(principal, "org", "start_import", compound_id=compound_id,
                  file=files.put_bytes(xlsx(rows_), XLSX, "停用.xlsx"))
    end = time.monotonic() + 60
    while job["status"] == "running":
        assert time.monotonic() < end
        time.sleep(0.05)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


def test_retired_units_are_left_out_of_the_electorate_and_workbooks(c):
    worker, u = c["worker"], c["units"]["103"]
    call_as(worker, "org", "retire_unit", id=u["id"], reason="合并")
    e = call_as(worker, "org", "electorate", compound_id=c["compound"]["id"])
    assert u["id"] not in e["units_without_owner"] and len(e["units_without_owner"]) == 2
    exported = call_as(c["admin"], "org", "export_workbook", compound_id=c["compound"]["id"])
    assert exported["rows"] == 2
    # an import naming the retired unit's name makes a new unit beside it
    job = _import(worker, c["compound"]["id"],
                  [{"building": "1幢", "unit": "103", "registered_area": "66"}])
    assert job["status"] == "done" and job["errors"] == []
    live = _children(worker, c["building"]["id"])
    assert live["103"]["id"] != u["id"]
