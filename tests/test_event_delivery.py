"""Event delivery without gaps, on the real broker, org and consumer processes:

- a message that cannot be decoded is dead-lettered, never acked away, and its body is
  not written to the log;
- a failing handler is retried with growing delays (one retry queue per delay), then
  dead-lettered;
- operators list, show and replay dead letters (``python -m
  fazhi_shared.service.deadletters``); a replayed event takes effect once, because
  processed ids are kept longer than a dead letter may be replayed;
- ``processed_events`` is pruned after ``FAZHI_PROCESSED_EVENTS_DAYS``;
- a consumer added later catches up by a replay from org's outbox.
"""
import copy
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from kombu import Connection, Producer
from sqlalchemy import text

from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.events import queue_name
from fazhi_shared.service.tables import create_platform_tables
from fazhi_shared.service.testing import (TEST_PG, ServiceProcess, call_as, queue_depth,
                                          wait_for_ping, wait_until)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = Principal.system()
FAST = "0.2,0.4"


@pytest.fixture
def consumer(vhost_uri, logs_dir):
    """``consumer(name, **env)`` → a started consumer process with a database of its own."""
    made = []

    def start(name, **env):
        url = f"{TEST_PG.get()}/fazhi_{name}_test_{uuid.uuid4().hex[:8]}"
        ensure_database(url)
        create_platform_tables(engine_for(url), only=("processed_events",))
        env = {"CONSUMER_NAME": name, "CONSUMER_DATABASE_URL": url,
               "FAZHI_EVENT_RETRY_DELAYS": FAST, **env}
        log_path = os.path.join(logs_dir, f"{name}.log")
        proc = ServiceProcess(name, [sys.executable, os.path.join(ROOT, "tests",
                                                                  "consumer_service.py")],
                              env=env, log_path=log_path).start()
        proc.db, proc.log_path = url, log_path
        made.append(proc)
        wait_for_ping(name)
        return proc

    yield start
    for proc in made:
        proc.stop()
        engine_for(proc.db).dispose()
        drop_database(proc.db)


def scalar(url, sql, **params):
    with engine_for(url).connect() as conn:
        return conn.execute(text(sql), params).scalar()


def execute(url, sql, **params):
    with engine_for(url).begin() as conn:
        conn.execute(text(sql), params)


def building(name):
    node = call_as(SYSTEM, "org", "create_unit", parent_id=None, kind="city", name=name)
    for kind in ("street", "community", "compound", "building"):
        node = call_as(SYSTEM, "org", "create_unit", parent_id=node["id"], kind=kind,
                       name=f"{name}{kind}")
    return node


def publish_raw(uri, queue, body: bytes, content_type: str, headers=None):
    with Connection(uri) as conn:
        Producer(conn.default_channel).publish(
            body, exchange="", routing_key=queue, content_type=content_type,
            content_encoding="utf-8", headers=headers or {}, delivery_mode=2)


def publish_envelope(uri, queue, envelope):
    publish_raw(uri, queue, json.dumps(envelope).encode(), "application/json")


def org_envelope(org_db, event_type, unit_id, name=None):
    with engine_for(org_db).connect() as conn:
        rows = conn.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = :t "
            "AND envelope->'payload'->>'id' = :i ORDER BY created_at"),
            {"t": event_type, "i": unit_id}).scalars().all()
    return [e for e in rows if name is None or e["payload"]["name"] == name][-1]


def deadletters(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "fazhi_shared.service.deadletters", *args],
                          capture_output=True, text=True, timeout=60)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_undecodable_messages_are_dead_lettered_without_logging_their_body(
        org_process, consumer, vhost_uri):
    c = consumer("undecodable")
    q = queue_name("org", "unit.created", "undecodable", "on_unit_created")
    publish_raw(vhost_uri, q, b'{"broken json SECRET-BODY-1', "application/json")
    publish_raw(vhost_uri, q, b"SECRET-BODY-2 as plain text", "text/plain")
    publish_raw(vhost_uri, q, b"[1]", "application/json")      # JSON, but no envelope
    wait_until(lambda: queue_depth(vhost_uri, q + ".dlq") == 3, timeout=15,
               what="three undecodable messages in the dead-letter queue")
    # and the consumer still works
    b = building("解码市")
    wait_until(lambda: scalar(c.db, "SELECT path FROM unit_tree WHERE id = :i",
                              i=b["id"]) == b["path"], timeout=30, what="the next event")
    c.stop()
    log = open(c.log_path, encoding="utf-8").read()
    assert "SECRET-BODY" not in log
    assert "dead-letter" in log


def test_failing_handler_retries_with_growing_delays_then_dead_letters(
        org_process, consumer, vhost_uri):
    c = consumer("delays", FAZHI_EVENT_RETRY_DELAYS="0.5,1,2")
    q = queue_name("org", "unit.renamed", "delays", "on_unit_renamed")
    b = building("延迟市")
    u = call_as(SYSTEM, "org", "create_unit", parent_id=b["id"], kind="unit", name="室")
    started = time.monotonic()
    call_as(SYSTEM, "org", "rename_unit", id=u["id"], name="POISON 延迟室")
    wait_until(lambda: queue_depth(vhost_uri, q + ".dlq") == 1, timeout=30,
               what="the poisoned rename in the dead-letter queue")
    assert time.monotonic() - started >= 3.5      # 0.5 + 1 + 2 seconds of retries
    for ms in (500, 1000, 2000):
        assert queue_depth(vhost_uri, f"{q}.retry.{ms}ms") == 0, f"retry queue {ms} ms"
    # a handler that fails three times succeeds on its fourth attempt (third retry)
    call_as(SYSTEM, "org", "rename_unit", id=u["id"], name="FLAKY3 室")
    wait_until(lambda: scalar(c.db, "SELECT name FROM unit_tree WHERE id = :i",
                              i=u["id"]) == "FLAKY3 室", timeout=30,
               what="the flaky rename to succeed after three retries")
    assert scalar(c.db, "SELECT max(count) FROM failures") == 4
    assert scalar(c.db, "SELECT max(times) FROM applied") == 1
    assert queue_depth(vhost_uri, q + ".dlq") == 1


def test_operator_lists_shows_and_replays_dead_letters_taking_effect_once(
        org_process, org_db, consumer, vhost_uri):
    c = consumer("dlqtest")
    q = queue_name("org", "unit.renamed", "dlqtest", "on_unit_renamed")
    dlq = q + ".dlq"
    b = building("死信市")
    u = call_as(SYSTEM, "org", "create_unit", parent_id=b["id"], kind="unit", name="室")
    execute(c.db, "INSERT INTO poison (name) VALUES ('CURABLE 甲')")   # a bug in the handler
    call_as(SYSTEM, "org", "rename_unit", id=u["id"], name="CURABLE 甲")
    envelope = org_envelope(org_db, "org.unit.renamed", u["id"], "CURABLE 甲")
    publish_envelope(vhost_uri, q, envelope)        # the same event twice on the wire
    stale = copy.deepcopy(envelope)                  # and one older than the retention
    stale["event_id"] = new_id()
    stale["occurred_at"] = (datetime.now(timezone.utc) - timedelta(days=40)).isoformat()
    publish_envelope(vhost_uri, q, stale)
    wait_until(lambda: queue_depth(vhost_uri, dlq) == 3, timeout=30,
               what="three dead letters")

    listed = [json.loads(line) for line in
              deadletters("list", q, "--json").stdout.splitlines() if line.strip()]
    assert sorted(e["event_id"] for e in listed) == sorted(
        [envelope["event_id"], envelope["event_id"], stale["event_id"]])
    assert {e["type"] for e in listed} == {"org.unit.renamed"}
    assert all(e["attempts"] == 3 for e in listed)       # first try and two retries
    shown = deadletters("show", dlq, envelope["event_id"]).stdout
    assert "CURABLE 甲" in shown and envelope["event_id"] in shown
    assert queue_depth(vhost_uri, dlq) == 3              # looking takes nothing away

    execute(c.db, "DELETE FROM poison")              # the bug is fixed
    refused = deadletters("replay", q, stale["event_id"], check=False)
    assert refused.returncode != 0 and "FAZHI_PROCESSED_EVENTS_DAYS" in refused.stderr
    assert queue_depth(vhost_uri, dlq) == 3
    out = deadletters("replay", q, "--all").stdout
    assert "2 replayed" in out and "1 refused" in out
    wait_until(lambda: scalar(c.db, "SELECT times FROM applied WHERE event_id = :e",
                              e=envelope["event_id"]) == 1, timeout=30,
               what="the replayed event to take effect")
    wait_until(lambda: queue_depth(vhost_uri, q) == 0, timeout=10, what="the replays")
    time.sleep(0.5)
    assert scalar(c.db, "SELECT times FROM applied WHERE event_id = :e",
                  e=envelope["event_id"]) == 1          # two copies, one effect
    assert scalar(c.db, "SELECT name FROM unit_tree WHERE id = :i", i=u["id"]) == "CURABLE 甲"
    assert queue_depth(vhost_uri, dlq) == 1
    deadletters("replay", dlq, stale["event_id"], "--force")
    wait_until(lambda: scalar(c.db, "SELECT times FROM applied WHERE event_id = :e",
                              e=stale["event_id"]) == 1, timeout=30,
               what="the forced replay")
    assert queue_depth(vhost_uri, dlq) == 0


def test_processed_ids_are_pruned_after_the_retention_days(org_process, consumer):
    c = consumer("pruner", FAZHI_PROCESSED_EVENTS_DAYS="30")
    for event_id, days in (("old-1", 31), ("old-2", 400), ("young-1", 29)):
        execute(c.db, "INSERT INTO processed_events (consumer, event_id, processed_at) "
                      "VALUES ('pruner.gone', :e, now() - make_interval(days => :d))",
                e=event_id, d=days)
    building("修剪市")                                   # events to handle
    wait_until(lambda: scalar(c.db, "SELECT count(*) FROM processed_events "
                                    "WHERE event_id LIKE 'old-%'") == 0, timeout=30,
               what="processed ids older than 30 days to be pruned")
    assert scalar(c.db, "SELECT count(*) FROM processed_events WHERE event_id = 'young-1'") == 1


def test_consumer_added_later_catches_up_from_the_outbox(org_process, org_db, consumer,
                                                         vhost_uri):
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    b = building("后来市")
    made = [call_as(SYSTEM, "org", "create_unit", parent_id=b["id"], kind="unit",
                    name=f"{i}室") for i in range(3)]
    event_ids = [org_envelope(org_db, "org.unit.created", u["id"])["event_id"] for u in made]
    late = consumer("latecomer")          # its queues did not exist: the events went nowhere
    # the unit tree has its bootstrap; the events themselves never reached it
    wait_until(lambda: scalar(late.db, "SELECT count(*) FROM unit_tree WHERE parent_id = :b",
                              b=b["id"]) == 3, timeout=30, what="the bootstrap")
    assert scalar(late.db, "SELECT count(*) FROM applied WHERE event_id = ANY(:e)",
                  e=event_ids) == 0
    q = queue_name("org", "unit.created", "latecomer", "on_unit_created")

    def replay():
        proc = subprocess.run(
            [sys.executable, "-m", "fazhi_shared.service.outbox", "replay", "--service", "org",
             "--queue", q, "--type", "unit.created", "--since", since.isoformat()],
            capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert "replayed" in replay()
    wait_until(lambda: scalar(late.db, "SELECT count(*) FROM applied WHERE event_id = ANY(:e)",
                              e=event_ids) == 3, timeout=30, what="the replayed events")
    replay()                                  # again: nothing takes effect twice
    wait_until(lambda: queue_depth(vhost_uri, q) == 0, timeout=10, what="the second replay")
    time.sleep(0.5)
    assert scalar(late.db, "SELECT max(times) FROM applied WHERE event_id = ANY(:e)",
                  e=event_ids) == 1
