"""Names beside ids (issue 9, point 1): a unit read or listed carries the names of the
units above it, from the city down (breadcrumbs); the compound list carries each
compound's street and community; the electorate names the units it lists by id."""
import uuid

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


def crumbs(unit):
    return [(a["kind"], a["name"]) for a in unit["ancestors"]]


def fresh_compound(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    cpd = call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"面包屑小区{uuid.uuid4().hex[:6]}")
    bld = call_as(admin, "org", "create_unit", parent_id=cpd["id"], kind="building", name="9幢")
    unit = call_as(admin, "org", "create_unit", parent_id=bld["id"], kind="unit", name="901")
    return admin, cpd, bld, unit


def test_a_unit_read_names_its_ancestors_from_the_city_down(tree):
    admin, cpd, bld, unit = fresh_compound(tree)
    got = call_as(admin, "org", "get_unit", id=unit["id"])
    assert crumbs(got) == [("city", "泰兴市"), ("street", "街道A"), ("community", "社区A"),
                           ("compound", cpd["name"]), ("building", "9幢")]
    assert [a["id"] for a in got["ancestors"]] == got["path"].strip("/").split("/")[:-1]
    # the answers of writes carry them too
    assert crumbs(unit)[-1] == ("building", "9幢")
    renamed = call_as(admin, "org", "rename_unit", id=bld["id"], name="9号楼")
    assert crumbs(renamed)[-1] == ("compound", cpd["name"])
    assert crumbs(call_as(admin, "org", "get_unit", id=unit["id"]))[-1] == ("building", "9号楼")
    # a city has none
    assert call_as(SYSTEM, "org", "get_unit", id=tree["city"]["id"])["ancestors"] == []


def test_the_compound_list_carries_street_and_community_names(tree):
    _, cpd, _, _ = fresh_compound(tree)
    worker = user("community_worker", tree["communityA"]["path"])
    items, cursor = [], None
    while True:
        page = call_as(worker, "org", "list_units", kind="compound", limit=200, cursor=cursor)
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    [mine] = [u for u in items if u["id"] == cpd["id"]]
    assert crumbs(mine) == [("city", "泰兴市"), ("street", "街道A"), ("community", "社区A")]
    assert all(u["ancestors"] for u in items)
    # a resident sees the names above their own compound too (the path already holds the ids)
    resident = user("resident", tree["unitA"]["path"])
    [b] = call_as(resident, "org", "list_units", parent_id=tree["compoundA"]["id"])["items"]
    assert crumbs(b)[-2:] == [("community", "社区A"), ("compound", "小区A")]


def test_the_electorate_names_the_units_it_lists(tree):
    admin, cpd, bld, unit = fresh_compound(tree)
    other = call_as(admin, "org", "create_unit", parent_id=bld["id"], kind="unit", name="902")
    e = call_as(admin, "org", "electorate", compound_id=cpd["id"])
    assert sorted(e["units_without_owner"]) == sorted([unit["id"], other["id"]])
    names = {u["id"]: (u["building_name"], u["name"]) for u in e["unit_names"]}
    assert names == {unit["id"]: ("9幢", "901"), other["id"]: ("9幢", "902")}
    assert all(u["building_id"] == bld["id"] for u in e["unit_names"])
