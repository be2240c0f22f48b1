"""The outbox relay under failure, on the real broker and database.

- the broker fails in the middle of a batch: nothing is lost, and what the broker took
  is not sent again;
- the relay crashes between publishing and marking: the batch goes out again, and the
  duplicate has one effect downstream (idempotent handlers);
- two relays (replicas) at once: each event is published once (``FOR UPDATE SKIP
  LOCKED``);
- ordering: none is promised beyond outbox-id order inside one relay's batch; consumers
  keep state with versions (``events.apply_newer``) and converge whatever the order.
"""
import os
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import datetime, timezone

import pytest
from kombu import Connection, Queue
from kombu.exceptions import OperationalError
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, text
from sqlalchemy.dialects.postgresql import insert

from fazhi_shared.config import database_setting
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.defaults import Database
from fazhi_shared.service.events import apply_newer, handle_event, idempotent
from fazhi_shared.service.outbox import OutboxRelay, event_exchange
from fazhi_shared.service.rpc import ServiceBase
from fazhi_shared.service.tables import platform_tables
from fazhi_shared.service.testing import TEST_PG, running_services, wait_until

SOURCE = "relaytest"
metadata = MetaData()
tables = platform_tables(metadata)
effects = Table("effects", metadata, Column("event_id", String(36), primary_key=True),
                Column("times", Integer, nullable=False))
things = Table("things", metadata, Column("id", String(36), primary_key=True),
               Column("value", String(50), nullable=False),
               Column("version", BigInteger, nullable=False))
DB = database_setting("relaytest")


class ThingConsumer(ServiceBase):
    """Downstream of the relay: counts effects, keeps things by version."""
    name = "thingconsumer"
    tables = tables
    db = Database(DB)

    @handle_event(SOURCE, "thing.changed")
    @idempotent
    def on_thing_changed(self, session, envelope, principal):
        stmt = insert(effects).values(event_id=envelope["event_id"], times=1)
        session.execute(stmt.on_conflict_do_update(index_elements=[effects.c.event_id],
                                                   set_={"times": effects.c.times + 1}))
        apply_newer(session, things, envelope["payload"])


@pytest.fixture(scope="module")
def outbox_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_relaytest_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    mp = pytest.MonkeyPatch()
    mp.setenv(DB.name, url)
    yield url
    mp.undo()
    engine_for(url).dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def consumer(outbox_db):
    with running_services(ThingConsumer, config={"max_workers": 4}):
        yield


@pytest.fixture
def probe(vhost_uri, outbox_db):
    """A queue that sees every event the relay publishes; ``probe()`` drains it."""
    with engine_for(outbox_db).begin() as conn:
        conn.execute(text("DELETE FROM outbox"))
    queue = Queue(f"probe-{uuid.uuid4().hex[:8]}", exchange=event_exchange(SOURCE),
                  routing_key="#", durable=False, auto_delete=False)
    with Connection(vhost_uri) as conn:
        queue.bind(conn.default_channel).declare()

    def drain(expect=None, timeout=10):
        got = []
        end = time.monotonic() + timeout
        with Connection(vhost_uri) as conn:
            channel = conn.default_channel
            while time.monotonic() < end:
                message = channel.basic_get(queue.name, no_ack=True)
                if message is None:
                    if expect is None or len(got) >= expect:
                        break
                    time.sleep(0.05)
                    continue
                got.append(channel.message_to_python(message).payload)
        return got

    yield drain
    with Connection(vhost_uri) as conn:
        queue.bind(conn.default_channel).delete()


def make_relay(url, batch=200):
    """The relay org runs, outside a nameko container."""
    return OutboxRelay.standalone(tables.outbox, url, SOURCE, os.environ["AMQP_URI"], batch)


def fill(url, n, thing_id=None, versions=None):
    """``n`` unpublished events; with ``versions``, changes of one thing whose outbox ids
    run in the given order of versions."""
    from fazhi_shared.ids import new_id

    rows = []
    for i in range(n):
        event_id = new_id()
        version = versions[i] if versions else 1
        tid = thing_id or str(uuid.uuid4())
        rows.append({"id": event_id, "event_type": f"{SOURCE}.thing.changed", "envelope": {
            "event_id": event_id, "type": f"{SOURCE}.thing.changed",
            "occurred_at": datetime.now(timezone.utc).isoformat(), "path": None,
            "request_id": None,
            "payload": {"id": tid, "value": f"v{version}", "version": version}}})
    with engine_for(url).begin() as conn:
        conn.execute(tables.outbox.insert(), rows)
    return [r["id"] for r in rows]


def unpublished(url):
    with engine_for(url).connect() as conn:
        return conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                            ).scalar()


def test_broker_failure_mid_batch_loses_nothing_and_resends_nothing(outbox_db, probe):
    ids = fill(outbox_db, 10)
    relay = make_relay(outbox_db)
    publish, calls = relay.publisher.publish, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:        # the broker goes away after taking three
            raise OperationalError("connection to the broker lost")
        return publish(*args, **kwargs)

    relay.publisher.publish = failing
    with pytest.raises(OperationalError):
        relay.relay_once()
    assert unpublished(outbox_db) == 7           # the three taken are marked
    relay.publisher.publish = publish
    assert relay.relay_once() == 7
    got = [e["event_id"] for e in probe(expect=10)]
    assert sorted(got) == sorted(ids)            # each once: none lost, none twice


CRASHING_RELAY = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {tests!r})
    from sqlalchemy.orm import Session
    from test_outbox_relay import make_relay

    execute = Session.execute

    def crash_before_marking(self, statement, *args, **kwargs):
        if str(statement).lstrip().upper().startswith("UPDATE OUTBOX"):
            os._exit(3)           # published, not yet marked: the process dies
        return execute(self, statement, *args, **kwargs)

    Session.execute = crash_before_marking
    make_relay({url!r}).relay_once()
""")


def test_crash_between_publish_and_mark_has_one_effect_downstream(outbox_db, consumer,
                                                                  probe):
    ids = fill(outbox_db, 20)
    script = CRASHING_RELAY.format(tests=os.path.dirname(__file__), url=outbox_db)
    crashed = subprocess.run([sys.executable, "-c", script], env=os.environ, timeout=60,
                             capture_output=True, text=True)
    assert crashed.returncode == 3, crashed.stderr
    assert unpublished(outbox_db) == 20           # the marks died with the process
    assert len(probe(expect=20)) == 20            # but the events went out
    make_relay(outbox_db).relay_once()            # the relay comes back: all again
    assert sorted(e["event_id"] for e in probe(expect=20)) == sorted(ids)

    def effects_of():
        with engine_for(outbox_db).connect() as conn:
            return dict(conn.execute(text("SELECT event_id, times FROM effects "
                                          "WHERE event_id = ANY(:i)"), {"i": ids}).all())

    wait_until(lambda: len(effects_of()) == 20, timeout=20, what="every event's effect")
    time.sleep(0.5)                               # the duplicates have arrived too
    assert set(effects_of().values()) == {1}


TWO_RELAYS = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from test_outbox_relay import make_relay

    relay = make_relay({url!r}, batch=25)
    time.sleep(max(0, {start} - time.time()))
    sent = 0
    while True:
        n = relay.relay_once()
        sent += n
        if n == 0:
            break
    print(sent)
""")


def test_two_relays_at_once_publish_each_event_once(outbox_db, probe):
    ids = fill(outbox_db, 1000)
    script = TWO_RELAYS.format(tests=os.path.dirname(__file__), url=outbox_db,
                               start=time.time() + 3)
    relays = [subprocess.Popen([sys.executable, "-c", script], env=os.environ,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    outs = [r.communicate(timeout=120) for r in relays]
    assert all(r.returncode == 0 for r in relays), [o[1] for o in outs]
    sent = [int(o[0].strip()) for o in outs]
    assert sum(sent) == 1000 and min(sent) > 0, sent     # both worked, none twice
    got = [e["event_id"] for e in probe(expect=1000)]
    assert len(got) == 1000 and sorted(got) == sorted(ids)
    assert unpublished(outbox_db) == 0


def test_no_order_is_promised_and_versioned_consumers_converge(outbox_db, consumer, probe):
    """The relay publishes in outbox-id order, which need not be the order of the changes
    (ids are drawn before commit; replicas, retries and queues reorder further): here
    the newest change has the smallest id. The consumer keeps the newest version."""
    thing = str(uuid.uuid4())
    fill(outbox_db, 5, thing_id=thing, versions=[5, 3, 4, 1, 2])
    make_relay(outbox_db).relay_once()
    assert [e["payload"]["version"] for e in probe(expect=5)] == [5, 3, 4, 1, 2]

    def value():
        with engine_for(outbox_db).connect() as conn:
            return conn.execute(text("SELECT value FROM things WHERE id = :i"),
                                {"i": thing}).scalar()

    wait_until(lambda: value() == "v5", timeout=20, what="the consumer to hold version 5")
    time.sleep(0.5)
    assert value() == "v5"
