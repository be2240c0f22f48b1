"""Searching units by name (issue 9, point 4): ``q`` on the unit list matches part of a
name once both are normalised ("９" finds "9", spaces make no difference), only among the
units the caller may see, with the other filters, a page at a time."""
import uuid

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.service.testing import call_as


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


@pytest.fixture(scope="module")
def named(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    tag = uuid.uuid4().hex[:6]
    cpd = call_as(admin, "org", "create_unit", parent_id=tree["communityA"]["id"],
                  kind="compound", name=f"搜索{tag}花园")
    made = {n: call_as(admin, "org", "create_unit", parent_id=cpd["id"], kind="building",
                       name=n) for n in ("阳光9幢", "阳光 10幢", "月亮1幢", "100%幢")}
    other = call_as(user("street_admin", tree["streetB"]["path"]), "org", "create_unit",
                    parent_id=tree["communityB"]["id"], kind="compound",
                    name=f"搜索{tag}家园")
    return {"tag": tag, "compound": cpd, "buildings": made, "other": other}


def names(principal, **kw):
    out, cursor = [], None
    while True:
        page = call_as(principal, "org", "list_units", cursor=cursor, **kw)
        out += [u["name"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def test_search_matches_part_of_a_normalised_name(named, tree):
    worker = user("community_worker", tree["communityA"]["path"])
    pid = named["compound"]["id"]
    assert names(worker, parent_id=pid, q="阳光") == ["阳光 10幢", "阳光9幢"]
    assert names(worker, parent_id=pid, q="光1 0") == ["阳光 10幢"]
    assert names(worker, parent_id=pid, q="９幢") == ["阳光9幢"]
    assert names(worker, parent_id=pid, q="幢", limit=1) == [
        "100%幢", "月亮1幢", "阳光 10幢", "阳光9幢"]
    # LIKE's wildcards are plain characters in a search
    assert names(worker, parent_id=pid, q="%") == ["100%幢"]
    assert names(worker, parent_id=pid, q="_") == []


def test_search_stays_within_scope_and_other_filters(named, tree):
    tag = named["tag"]
    worker_a = user("community_worker", tree["communityA"]["path"])
    city = user("city_admin", tree["city"]["path"])
    assert names(worker_a, kind="compound", q=tag) == [f"搜索{tag}花园"]
    assert sorted(names(city, kind="compound", q=tag)) == sorted([f"搜索{tag}家园",
                                                                  f"搜索{tag}花园"])
    assert names(city, kind="building", q=f"搜索{tag}") == []


def test_a_search_is_a_short_text(named, tree):
    worker = user("community_worker", tree["communityA"]["path"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "list_units", q="长" * 101)
    assert "q" in info.value.fields["zh"]
