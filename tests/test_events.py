"""Org events reach a consumer built with the shared helpers exactly once in effect,
across a consumer crash with hundreds of events in flight; a handler that keeps raising
leaves its message in the dead-letter queue after its retries."""
import json
import os
import threading

import pytest
from sqlalchemy import text

from fazhi_shared.context import Principal, sign
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.events import queue_name
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import call_as, queue_depth, wait_for_ping, wait_until

SYSTEM = Principal.system()
N_UNITS = 500


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """The consumers started here retry a failing handler after 0.2 s and 0.4 s."""
    monkeypatch.setenv("FAZHI_EVENT_RETRY_DELAYS", "0.2,0.4")


def scalar(url, sql, **params):
    with engine_for(url).connect() as conn:
        return conn.execute(text(sql), params).scalar()


def make_building():
    city = call_as(SYSTEM, "org", "create_unit", parent_id=None, kind="city", name="事件市")
    node = city
    for kind in ("street", "community", "compound", "building"):
        node = call_as(SYSTEM, "org", "create_unit", parent_id=node["id"], kind=kind,
                       name=f"事件{kind}")
    return node


def test_exactly_once_in_effect_across_a_consumer_crash(org_process, make_consumer,
                                                        consumer_db):
    # A unit made before the consumer ever ran reaches it through the bootstrap.
    earlier = make_building()
    consumer = make_consumer().start()
    wait_for_ping("consumer")
    wait_until(lambda: scalar(consumer_db, "SELECT path FROM unit_tree WHERE id = :i",
                              i=earlier["id"]) == earlier["path"], timeout=30,
               what="the bootstrap from org")
    building = make_building()
    ctx = context_for(sign(SYSTEM), "events-test")
    created = []

    def create_units():
        c = RpcClient()
        for i in range(0, N_UNITS, 25):
            batch = [("org", "create_unit", {"parent_id": building["id"], "kind": "unit",
                                             "name": f"{i + j:03d}室"}) for j in range(25)]
            created.extend(c.call_many(batch, ctx, timeout=10))
        c.close()

    writer = threading.Thread(target=create_units)
    writer.start()
    # Crash the consumer (SIGKILL: no clean shutdown, unacked messages come back) while
    # most of the 500 events are still to be delivered.
    wait_until(lambda: (scalar(consumer_db, "SELECT count(*) FROM applied") or 0) >= 50,
               timeout=60, what="the first events to be applied")
    consumer.kill()
    writer.join()
    assert len(created) == N_UNITS and all(isinstance(u, dict) for u in created)
    in_queue = queue_depth(os.environ["AMQP_URI"],
                           queue_name("org", "unit.created", "consumer", "on_unit_created"))
    assert in_queue > 0, "events should be waiting while the consumer is down"

    restarted = make_consumer().start()
    wait_for_ping("consumer")
    unit_ids = {u["id"] for u in created}
    wait_until(lambda: scalar(consumer_db, "SELECT count(*) FROM unit_tree WHERE parent_id = :b",
                              b=building["id"]) == N_UNITS, timeout=90,
               what="all 500 units in the read model")
    # each event took effect exactly once, none lost
    assert scalar(consumer_db, "SELECT max(times) FROM applied") == 1
    assert scalar(consumer_db, "SELECT count(*) FROM applied") >= N_UNITS + 5
    with engine_for(consumer_db).connect() as conn:
        rows = conn.execute(text("SELECT id, path FROM unit_tree WHERE parent_id = :b"),
                            {"b": building["id"]}).all()
    assert {r.id for r in rows} == unit_ids
    assert all(r.path == f"{building['path']}/{r.id}" for r in rows)
    restarted.stop()
    # the request id of the calls that made the units reached the consumer's log lines
    traced = [json.loads(line) for line in open(restarted.log_path, encoding="utf-8")
              if '"events-test"' in line]
    assert any(t["message"].startswith("event org.unit.created") and t["service"] == "consumer"
               for t in traced)


def test_failing_handler_dead_letters_and_others_flow(org_process, make_consumer, consumer_db):
    uri = os.environ["AMQP_URI"]
    consumer = make_consumer().start()
    wait_for_ping("consumer")
    building = make_building()
    unit = call_as(SYSTEM, "org", "create_unit", parent_id=building["id"], kind="unit",
                   name="毒丸室")
    call_as(SYSTEM, "org", "rename_unit", id=unit["id"], name="POISON 室")
    dlq = queue_name("org", "unit.renamed", "consumer", "on_unit_renamed") + ".dlq"
    wait_until(lambda: queue_depth(uri, dlq) == 1, timeout=30, what="the message in the DLQ")
    # nothing of the failed event took effect, and later events still flow
    assert scalar(consumer_db, "SELECT name FROM unit_tree WHERE id = :i", i=unit["id"]) == "毒丸室"
    call_as(SYSTEM, "org", "rename_unit", id=unit["id"], name="良药室")
    wait_until(lambda: scalar(consumer_db, "SELECT name FROM unit_tree WHERE id = :i",
                              i=unit["id"]) == "良药室", timeout=30, what="the next rename")
    assert queue_depth(uri, dlq) == 1
    # a move rewrites the consumer's paths for the whole subtree
    other = make_building()
    call_as(SYSTEM, "org", "move_unit", id=unit["id"], new_parent_id=other["id"])
    wait_until(lambda: scalar(consumer_db, "SELECT path FROM unit_tree WHERE id = :i",
                              i=unit["id"]) == f"{other['path']}/{unit['id']}", timeout=30,
               what="the move in the read model")
    consumer.stop()
