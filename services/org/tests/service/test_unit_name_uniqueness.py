"""Sibling names are unique after normalisation (issue 9, point 2): a second "9幢" — or
"９幢", or "9 幢" — under the same parent is a 409 naming ``name``, whether created,
renamed or moved there, even when two requests race; the workbook import matches
buildings and units by the same normalised names."""
import threading
import time
import uuid

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Conflict
from fazhi_shared.service.testing import call_as

from org.samples import xlsx
from fazhi_shared import files
from fazhi_org_contract.vocabulary import XLSX


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


@pytest.fixture
def compound(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    cpd = call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"重名小区{uuid.uuid4().hex[:6]}")
    b9 = call_as(admin, "org", "create_unit", parent_id=cpd["id"], kind="building", name="9幢")
    u101 = call_as(admin, "org", "create_unit", parent_id=b9["id"], kind="unit", name="101室")
    return {"admin": admin, "compound": cpd, "b9": b9, "u101": u101}


def _refused_naming(field, fn, *args, **kwargs):
    with pytest.raises(Conflict) as info:
        fn(*args, **kwargs)
    fields_zh = info.value.fields["zh"]
    assert list(fields_zh) == [field], fields_zh
    assert "重名" in fields_zh[field][0] and "重名" in info.value.message_zh
    assert info.value.fields["en"][field][0].startswith("Another")
    return info.value


@pytest.mark.parametrize("spelling", ["9幢", "９幢", "9 幢", " 9幢 "])
def test_a_second_building_of_the_same_name_is_refused(compound, spelling):
    c = compound
    err = _refused_naming("name", call_as, c["admin"], "org", "create_unit",
                          parent_id=c["compound"]["id"], kind="building", name=spelling)
    assert "9幢" in err.message_zh


def test_a_second_unit_of_the_same_name_is_refused(compound):
    c = compound
    _refused_naming("name", call_as, c["admin"], "org", "create_unit",
                    parent_id=c["b9"]["id"], kind="unit", name="１０１室")


def test_renaming_to_a_siblings_name_is_refused_but_respelling_ones_own_is_not(compound):
    c = compound
    b10 = call_as(c["admin"], "org", "create_unit", parent_id=c["compound"]["id"],
                  kind="building", name="10幢")
    _refused_naming("name", call_as, c["admin"], "org", "rename_unit", id=b10["id"],
                    name="9 幢")
    assert call_as(c["admin"], "org", "rename_unit", id=c["b9"]["id"],
                   name="９幢")["name"] == "９幢"
    # the same name under another parent is no conflict
    u = call_as(c["admin"], "org", "create_unit", parent_id=b10["id"], kind="unit",
                name="101室")
    assert u["name"] == "101室"


def test_moving_under_a_parent_holding_the_name_is_refused(compound):
    c = compound
    b10 = call_as(c["admin"], "org", "create_unit", parent_id=c["compound"]["id"],
                  kind="building", name="10幢")
    u = call_as(c["admin"], "org", "create_unit", parent_id=b10["id"], kind="unit",
                name="101 室")
    _refused_naming("new_parent_id", call_as, c["admin"], "org", "move_unit", id=u["id"],
                    new_parent_id=c["b9"]["id"])


def test_two_requests_racing_for_one_name_make_one_unit(compound):
    c = compound
    outcomes, start = [], threading.Event()

    def create():
        start.wait()
        try:
            call_as(c["admin"], "org", "create_unit", parent_id=c["compound"]["id"],
                    kind="building", name="并发幢")
            outcomes.append("created")
        except Conflict as exc:
            outcomes.append(("conflict", tuple(exc.fields.get("zh", {}))))
        except Exception as exc:       # noqa: BLE001 - the test reports what it got
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    start.set()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == sorted(
        ["created"] + [("conflict", ("name",))] * 3, key=str), outcomes


def _walk(principal, parent_id):
    return call_as(principal, "org", "list_units", parent_id=parent_id, limit=200)["items"]


def _run_import(principal, compound_id, rows):
    job = call_as(principal, "org", "start_import", compound_id=compound_id,
                  file=files.put_bytes(xlsx(rows), XLSX, "重名.xlsx"))
    end = time.monotonic() + 60
    while job["status"] == "running":
        assert time.monotonic() < end
        time.sleep(0.05)
        job = call_as(principal, "org", "get_import", job_id=job["id"])
    return job


def test_the_workbook_matches_buildings_and_units_by_normalised_name(compound):
    c = compound
    rows = [{"building": "９幢", "unit": "１０１室", "registered_area": "88.5"},
            {"building": "9 幢", "unit": "102室", "registered_area": "70"},
            {"building": "11幢", "unit": "1101", "registered_area": "60"},
            {"building": "11 幢", "unit": "1102", "registered_area": "61"}]
    job = _run_import(c["admin"], c["compound"]["id"], rows)
    assert job["status"] == "done" and job["errors"] == [], job["errors"]
    buildings = {b["name"]: b for b in _walk(c["admin"], c["compound"]["id"])}
    assert sorted(buildings) == ["11幢", "9幢"]
    units = {u["name"]: u for u in _walk(c["admin"], buildings["9幢"]["id"])}
    assert sorted(units) == ["101室", "102室"]
    assert units["101室"]["id"] == c["u101"]["id"]
    assert sorted(u["name"] for u in _walk(c["admin"], buildings["11幢"]["id"])) == [
        "1101", "1102"]
