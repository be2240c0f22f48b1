"""The unit-tree read model converges to org's paths whatever order org's events arrive in.

Events reach a consumer out of order: one queue per event type, concurrent workers,
retries, replicas of the relay. Each unit carries a version from org's database (a
sequence), every unit event and export row carries it, and the read model applies only
newer state per unit and derives paths from parent links (so "moved before created" and
"a child created under a parent that has since moved" converge).
"""
import itertools
import threading
import uuid

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.orm import Session

from fazhi_shared.context import Principal
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.tables import platform_tables
from fazhi_shared.service.testing import TEST_PG, call_as, wait_for_ping, wait_until
from fazhi_shared.service.unittree import UnitTreeReadModel

SYSTEM = Principal.system()


def org_rows(org_db, ids):
    with engine_for(org_db).connect() as conn:
        return {r.id: r for r in conn.execute(
            text("SELECT id, parent_id, name, path FROM units WHERE id = ANY(:ids)"),
            {"ids": list(ids)})}


def org_events(org_db, ids):
    """Org's unit events about ``ids``, in the order org wrote them."""
    with engine_for(org_db).connect() as conn:
        return conn.execute(text(
            "SELECT envelope FROM outbox WHERE event_type LIKE 'org.unit.%' "
            "AND event_type <> 'org.unit.area_changed' "
            "AND envelope->'payload'->>'id' = ANY(:ids) ORDER BY created_at, id"),
            {"ids": list(ids)}).scalars().all()


def compound(name):
    node = call_as(SYSTEM, "org", "create_unit", parent_id=None, kind="city", name=name)
    chain = [node]
    for kind in ("street", "community", "compound"):
        node = call_as(SYSTEM, "org", "create_unit", parent_id=node["id"], kind=kind,
                       name=f"{name}{kind}")
        chain.append(node)
    return chain


def unit(parent, kind, name):
    return call_as(SYSTEM, "org", "create_unit", parent_id=parent["id"], kind=kind, name=name)


def move(u, parent):
    return call_as(SYSTEM, "org", "move_unit", id=u["id"], new_parent_id=parent["id"])


# -- org gives versions ----------------------------------------------------------------
def test_org_versions_grow_with_every_change_and_reach_events_and_export(org_process,
                                                                          org_db):
    chain = compound("版本市")
    cpd = chain[-1]
    other = unit(chain[-2], "compound", "另一小区")
    b = unit(cpd, "building", "1幢")
    u = unit(b, "unit", "101室")
    v_created = org_rows_version(org_db, u["id"])
    call_as(SYSTEM, "org", "rename_unit", id=u["id"], name="102室")
    v_renamed = org_rows_version(org_db, u["id"])
    assert v_renamed > v_created
    move(b, other)                       # the unit's path changes: its version too
    v_moved = org_rows_version(org_db, u["id"])
    assert v_moved > v_renamed
    events = [e for e in org_events(org_db, [u["id"], b["id"]])]
    assert all(isinstance(e["payload"].get("version"), int) for e in events)
    [moved] = [e for e in events if e["type"] == "org.unit.moved"]
    assert moved["payload"]["version"] == org_rows_version(org_db, b["id"])
    page = call_as(SYSTEM, "org", "export_units", limit=5000)
    exported = {r["id"]: r for r in page["items"]}
    while page["next_cursor"]:
        page = call_as(SYSTEM, "org", "export_units", limit=5000, cursor=page["next_cursor"])
        exported.update({r["id"]: r for r in page["items"]})
    assert exported[u["id"]]["version"] == v_moved


def org_rows_version(org_db, unit_id):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text("SELECT version FROM units WHERE id = :i"),
                            {"i": unit_id}).scalar()


# -- the read model, fed every order ---------------------------------------------------
@pytest.fixture(scope="module")
def tree_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_tree_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    md = MetaData()
    tables = platform_tables(md, unit_tree=True)
    md.create_all(engine_for(url))
    yield url, tables
    engine_for(url).dispose()
    drop_database(url)


def apply_one(url, model, envelope):
    with Session(engine_for(url)) as session, session.begin():
        model.apply(session, envelope)


def read_model(url, ids):
    with engine_for(url).connect() as conn:
        return {r.id: r for r in conn.execute(
            text("SELECT id, parent_id, name, path FROM unit_tree WHERE id = ANY(:ids)"),
            {"ids": list(ids)})}


def forget(url, ids):
    with engine_for(url).begin() as conn:
        conn.execute(text("DELETE FROM unit_tree WHERE id = ANY(:ids)"), {"ids": list(ids)})


def assert_converged(url, org_db, ids, order):
    want = org_rows(org_db, ids)
    got = read_model(url, ids)
    wrong = [i for i in ids if i not in got or got[i].path != want[i].path
             or got[i].parent_id != want[i].parent_id or got[i].name != want[i].name]
    assert not wrong, f"order {order}: {len(wrong)} of {len(ids)} units differ from org"


def feed_every_order(url, model, org_db, base_events, events, ids, concurrently):
    for e in base_events:               # the ancestors, known to the read model
        apply_one(url, model, e)
    for order in itertools.permutations(range(len(events))):
        forget(url, ids)
        if concurrently:
            start = threading.Barrier(len(order))
            errors = []

            def run(e):
                start.wait()
                try:
                    apply_one(url, model, e)
                except Exception as exc:   # pragma: no cover - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=run, args=(events[i],)) for i in order]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert not errors, errors
        else:
            for i in order:
                apply_one(url, model, events[i])
        assert_converged(url, org_db, ids, order)


@pytest.fixture(scope="module")
def one_unit_history(org_process, org_db):
    """A unit created, moved, moved again: three events."""
    chain = compound("乱序市")
    cpd = chain[-1]
    b1, b2, b3 = (unit(cpd, "building", f"{i}幢") for i in (1, 2, 3))
    u = unit(b1, "unit", "101室")
    move(u, b2)
    move(u, b3)
    base = org_events(org_db, [n["id"] for n in chain] + [b1["id"], b2["id"], b3["id"]])
    events = org_events(org_db, [u["id"]])
    assert [e["type"] for e in events] == ["org.unit.created", "org.unit.moved",
                                           "org.unit.moved"]
    return base, events, [u["id"]]


@pytest.fixture(scope="module")
def subtree_history(org_process, org_db):
    """A building created, moved with its unit, a unit created under it at its new place,
    moved again: the child's creation carries a parent path that has since changed."""
    chain = compound("子树市")
    community = chain[-2]
    c1 = chain[-1]
    c2, c3 = unit(community, "compound", "二小区"), unit(community, "compound", "三小区")
    b = unit(c1, "building", "楼")
    x = unit(b, "unit", "X室")
    move(b, c2)
    y = unit(b, "unit", "Y室")
    move(b, c3)
    base = org_events(org_db, [n["id"] for n in chain] + [c2["id"], c3["id"]])
    events = org_events(org_db, [b["id"], x["id"], y["id"]])
    assert [e["type"].rsplit(".", 1)[1] for e in events] == [
        "created", "created", "moved", "created", "moved"]
    return base, events, [b["id"], x["id"], y["id"]]


@pytest.mark.parametrize("concurrently", [False, True], ids=["serially", "concurrently"])
def test_one_unit_every_order_converges(tree_db, org_db, one_unit_history, concurrently):
    url, tables = tree_db
    base, events, ids = one_unit_history
    feed_every_order(url, UnitTreeReadModel(tables.unit_tree), org_db, base, events, ids,
                     concurrently)


@pytest.mark.parametrize("concurrently", [False, True], ids=["serially", "concurrently"])
def test_subtree_every_order_converges(tree_db, org_db, subtree_history, concurrently):
    url, tables = tree_db
    base, events, ids = subtree_history
    feed_every_order(url, UnitTreeReadModel(tables.unit_tree), org_db, base, events, ids,
                     concurrently)


def test_unknown_ancestors_still_converge_once_they_arrive(tree_db, org_db, subtree_history):
    """Children before their ancestors: paths are rebuilt when the ancestors arrive."""
    url, tables = tree_db
    base, events, ids = subtree_history
    model = UnitTreeReadModel(tables.unit_tree)
    everything = list(base) + list(events)
    all_ids = [e["payload"]["id"] for e in everything]
    forget(url, all_ids)
    for e in reversed(everything):
        apply_one(url, model, e)
    assert_converged(url, org_db, list(dict.fromkeys(all_ids)), "reversed with ancestors")


# -- the real consumer, down while org works -------------------------------------------
def test_consumer_down_while_units_are_created_and_moved_converges(org_process, org_db,
                                                                   make_consumer,
                                                                   consumer_db):
    consumer = make_consumer().start()
    wait_for_ping("consumer")
    chain = compound("停机市")
    community, cpd = chain[-2], chain[-1]
    b1, b2, b3 = (unit(cpd, "building", f"{i}幢") for i in (1, 2, 3))
    wait_until(lambda: consumer_path(consumer_db, b3["id"]) == b3["path"], timeout=30,
               what="the consumer to know the buildings")
    consumer.stop()                      # down: org's events wait in its queues
    made = [unit(b1, "unit", f"{i:02d}室") for i in range(30)]
    for i, u in enumerate(made):
        if i % 3:
            move(u, b2)
        if i % 3 == 2:
            move(u, b3)
    # a subtree moves, gains a unit, moves again
    other = unit(community, "compound", "外小区")
    move(b1, other)
    late = unit(b1, "unit", "后来室")
    move(b1, cpd)
    ids = [u["id"] for u in made] + [b1["id"], late["id"], other["id"]]
    restarted = make_consumer().start()
    wait_for_ping("consumer")
    want = org_rows(org_db, ids)

    def converged():
        got = read_model(consumer_db, ids)
        wrong = [i for i in ids if i not in got or got[i].path != want[i].path]
        return not wrong or (len(wrong), len(ids))

    try:
        result = None
        result = wait_until(lambda: converged() is True, timeout=30,
                            what="the read model to converge to org's paths")
    except AssertionError:
        result = converged()
    finally:
        restarted.stop()
    assert result is True, f"{result[0]} of {result[1]} paths differ from org's"


def consumer_path(url, unit_id):
    with engine_for(url).connect() as conn:
        return conn.execute(text("SELECT path FROM unit_tree WHERE id = :i"),
                            {"i": unit_id}).scalar()
