"""The transactional outbox and its relay.

A state change and its event are written in one transaction (:meth:`Outbox.emit`); the
relay, running inside the emitting service, publishes unpublished rows with publisher
confirms to the nameko-compatible exchange ``<service>.events`` (routing key
``<entity>.<verb>``) and marks them published. Several replicas share the work with
``FOR UPDATE SKIP LOCKED``: a row is published by one relay at a time.

Delivery is **at least once**: a broker failure in the middle of a batch keeps the rows
the broker did not take (and marks those it took); a crash between a confirm and the
commit of the marks sends those events again, which consumers absorb (idempotent by
event id). **No order is promised**: one relay publishes a batch in outbox-id order, but
ids are drawn before commit, replicas publish batches side by side, and consumers read
one queue per event type with concurrent workers and delayed retries. Consumers keep
state with the source's versions (``events.apply_newer``, ``unittree``), never replay
history. ``tests/test_outbox_relay.py`` shows each of these.

Each event is stamped with the relay's broker user (the AMQP ``user_id`` property;
RabbitMQ refuses a publish whose ``user_id`` is not the connection's user), so consumers
know which service published it (``events.handle_event(..., publisher=...)``): a
service's user ``fazhi-<service>`` may publish only to its own exchange.

Published rows are kept ``FAZHI_OUTBOX_RETENTION_DAYS``; until then ``python -m
fazhi_shared.service.outbox replay`` can send them to a consumer added later.

Event envelope (the body of every event)::

    {"event_id": <uuid7>, "type": "org.unit.moved", "occurred_at": <UTC ISO>,
     "path": <unit path or null>, "request_id": <id or null>, "payload": {...}}
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

import eventlet
from kombu import Connection, Exchange
from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT
from nameko.extensions import DependencyProvider
from sqlalchemy import delete, event as sa_event, select, update
from sqlalchemy.orm import Session

from .. import clock
from ..config import AMQP_URI, OUTBOX_RETENTION_DAYS
from ..context import REQUEST_ID_KEY
from .db import bulk_insert, engine_for
from ..ids import new_id

log = logging.getLogger(__name__)


def event_exchange(service: str) -> Exchange:
    # Same declaration as nameko's own event exchange, so nameko handlers can bind.
    return Exchange(f"{service}.events", type="topic", durable=True, delivery_mode=PERSISTENT)


def stamp(amqp_uri: str) -> dict:
    """``{"user_id": <the URI's user>}``: publish properties that tell consumers who
    published (RabbitMQ checks the claim against the connection)."""
    user = Connection(amqp_uri).userid
    return {"user_id": user} if user else {}


def make_envelope(event_type: str, payload: dict, path: str | None = None,
                  request_id: str | None = None) -> dict:
    return {"event_id": new_id(), "type": event_type, "occurred_at": clock.isoformat(clock.now()),
            "path": path, "request_id": request_id, "payload": payload}


class Outbox:
    """What a worker sees as ``self.outbox``: ``emit`` writes an event in the session."""

    def __init__(self, service: str, table, wake=None, request_id=None):
        self.service = service
        self.table = table
        self._wake = wake
        self.request_id = request_id

    def row(self, event_type: str, payload: dict, path: str | None = None) -> dict:
        """The outbox row of event ``<service>.<event_type>`` (``id``, ``event_type``,
        ``envelope``), not yet written: :meth:`emit` writes one, :meth:`emit_rows` many."""
        full_type = f"{self.service}.{event_type}"
        envelope = make_envelope(full_type, payload, path, self.request_id)
        return {"id": envelope["event_id"], "event_type": full_type, "envelope": envelope}

    def emit(self, session: Session, event_type: str, payload: dict,
             path: str | None = None) -> dict:
        """Add ``<service>.<event_type>`` to the session's transaction; returns the envelope."""
        row = self.row(event_type, payload, path)
        session.execute(self.table.insert().values(**row))
        self._wake_after_commit(session)
        return row["envelope"]

    def emit_rows(self, session: Session, rows: list) -> None:
        """Add many events made by :meth:`row` with one ``COPY`` (a bulk import's events)."""
        if rows:
            bulk_insert(session, self.table, rows)
            self._wake_after_commit(session)

    def _wake_after_commit(self, session: Session) -> None:
        if self._wake is not None:
            sa_event.listen(session, "after_commit", lambda s: self._wake(), once=True)


class OutboxRelay(DependencyProvider):
    """nameko dependency that gives workers an :class:`Outbox` and runs the relay."""

    batch = 200
    prune_every = 600          # seconds between prunes of old published rows

    def __init__(self, table, database_setting, poll_seconds: float = 0.5):
        self.table = table
        self.database_setting = database_setting
        self.poll_seconds = poll_seconds
        self._wakeup = None
        self._running = False
        self._gt = None

    def setup(self):
        self.service = self.container.service_name
        self.exchange = event_exchange(self.service)
        self.amqp_uri = self.container.config.get("AMQP_URI") or AMQP_URI.get()
        self.publisher = Publisher(self.amqp_uri, exchange=self.exchange,
                                   declare=[self.exchange], use_confirms=True,
                                   retry=True, retry_policy={"max_retries": 3})
        self.stamp = stamp(self.amqp_uri)
        self.engine = engine_for(self.database_setting.get())
        self._wakeup = eventlet.event.Event()

    def start(self):
        self._running = True
        self._gt = self.container.spawn_managed_thread(self._run, identifier="outbox-relay")

    def stop(self):
        self._running = False
        self.wake()
        if self._gt is not None:
            self._gt.wait()

    def kill(self):
        self._running = False
        if self._gt is not None:
            self._gt.kill()

    def wake(self):
        if self._wakeup is not None and not self._wakeup.ready():
            self._wakeup.send(True)

    def get_dependency(self, worker_ctx):
        return Outbox(self.service, self.table, self.wake,
                      worker_ctx.data.get(REQUEST_ID_KEY))

    def _run(self):
        backoff = 0.5
        next_prune = time.monotonic()
        while self._running:
            try:
                if time.monotonic() >= next_prune:
                    self.prune_once()
                    next_prune = time.monotonic() + self.prune_every
                sent = self.relay_once()
                backoff = 0.5
            except Exception:  # broker or database down: keep the rows, try again later
                log.exception("outbox relay failed; retrying in %.1fs", backoff)
                eventlet.sleep(backoff)
                backoff = min(backoff * 2, 10)
                continue
            if sent < self.batch:
                with eventlet.Timeout(self.poll_seconds, False):
                    self._wakeup.wait()
                self._wakeup = eventlet.event.Event()

    def prune_once(self) -> int:
        """Delete published rows older than the retention period; returns how many."""
        t = self.table
        cutoff = clock.now() - timedelta(days=OUTBOX_RETENTION_DAYS.get())
        with Session(self.engine) as session, session.begin():
            return session.execute(delete(t).where(t.c.published_at.is_not(None),
                                                   t.c.published_at < cutoff)).rowcount

    def relay_once(self) -> int:
        """Publish one batch of unpublished events; returns how many went out.

        Each event is published with confirms, in outbox-id order. If the broker fails in
        the middle of the batch, the events it already took are marked published all the
        same (in the same transaction that locked them), and the error is raised: nothing
        is lost and nothing the broker confirmed goes out again. Only a crash between a
        confirm and the commit of the marks sends events twice (consumers are idempotent).
        """
        t = self.table
        failure = None
        with Session(self.engine) as session, session.begin():
            rows = session.execute(
                select(t.c.id, t.c.event_type, t.c.envelope)
                .where(t.c.published_at.is_(None)).order_by(t.c.id)
                .limit(self.batch).with_for_update(skip_locked=True)).all()
            sent = []
            for row in rows:
                routing_key = row.event_type.split(".", 1)[1]
                headers = {}
                if row.envelope.get("request_id"):
                    headers[f"nameko.{REQUEST_ID_KEY}"] = row.envelope["request_id"]
                try:
                    # Confirms: returns only once the broker has taken the message.
                    self.publisher.publish(row.envelope, routing_key=routing_key,
                                           headers=headers, message_id=row.id, **self.stamp)
                except Exception as exc:
                    failure = exc
                    break
                sent.append(row.id)
            if sent:
                session.execute(update(t).where(t.c.id.in_(sent))
                                .values(published_at=clock.now(), attempts=t.c.attempts + 1))
        if failure is not None:
            raise failure
        return len(sent)

    @classmethod
    def standalone(cls, table, database_url: str, service: str, amqp_uri: str | None = None,
                   batch: int | None = None) -> "OutboxRelay":
        """A relay outside a nameko container (commands, tests): ``relay_once``,
        ``prune_once``."""
        relay = cls(table, None)
        relay.service = service
        relay.exchange = event_exchange(service)
        relay.amqp_uri = amqp_uri or AMQP_URI.get()
        relay.publisher = Publisher(relay.amqp_uri, exchange=relay.exchange,
                                    declare=[relay.exchange], use_confirms=True,
                                    retry=True, retry_policy={"max_retries": 3})
        relay.stamp = stamp(relay.amqp_uri)
        relay.engine = engine_for(database_url)
        if batch:
            relay.batch = batch
        return relay


# -- catching up a consumer added later -------------------------------------------------
def replay(database_url: str, queue: str, event_types=(), since=None,
           amqp_uri: str | None = None) -> int:
    """Publish the events still kept in an outbox — published or not, for
    ``FAZHI_OUTBOX_RETENTION_DAYS`` — straight to one consumer's ``queue`` (through the
    default exchange, so no other consumer gets them again); returns how many.

    Events published while no queue was bound to the exchange went nowhere: this is how
    a consumer added later gets them (the unit tree has its own bootstrap). Its handlers
    are idempotent, so events it already has take no effect twice. They are stamped with
    the user of ``amqp_uri``: a handler that checks its publisher takes them only from
    the emitting service's own broker user (run the replay with its credentials).
    """
    from kombu import Producer
    from sqlalchemy import MetaData

    from .tables import platform_tables

    t = platform_tables(MetaData()).outbox
    stmt = select(t.c.id, t.c.envelope).order_by(t.c.id)
    if event_types:
        stmt = stmt.where(t.c.event_type.in_(list(event_types)))
    if since is not None:
        stmt = stmt.where(t.c.created_at >= since)
    sent = 0
    stamped = stamp(amqp_uri or AMQP_URI.get())
    with Connection(amqp_uri or AMQP_URI.get(), connect_timeout=5,
                    transport_options={"confirm_publish": True}) as conn:
        channel = conn.channel()
        channel.queue_declare(queue, passive=True)       # the consumer's queue must exist
        producer = Producer(channel)
        with Session(engine_for(database_url)) as session:
            for row in session.execute(stmt).yield_per(500):
                headers = {}
                if row.envelope.get("request_id"):
                    headers[f"nameko.{REQUEST_ID_KEY}"] = row.envelope["request_id"]
                producer.publish(row.envelope, exchange="", routing_key=queue,
                                 serializer="json", headers=headers, message_id=row.id,
                                 delivery_mode=2, mandatory=True, **stamped)
                sent += 1
    return sent


def main(argv=None) -> int:
    """``python -m fazhi_shared.service.outbox replay --service org --queue Q ...``"""
    import argparse
    from datetime import datetime, timezone

    from ..config import database_setting

    parser = argparse.ArgumentParser(prog="python -m fazhi_shared.service.outbox")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("replay", help="publish a service's kept events to one consumer's "
                                      "queue (a consumer added later catches up)")
    p.add_argument("--service", required=True, help="the emitting service (org)")
    p.add_argument("--queue", required=True,
                   help="the consumer's queue, evt-<service>-<type>--<consumer>.<method>")
    p.add_argument("--type", action="append", default=[], dest="types",
                   help="event type, e.g. unit.created (repeatable; default: all)")
    p.add_argument("--since", type=datetime.fromisoformat, default=None,
                   help="only events written at or after this time (ISO-8601)")
    p.add_argument("--database-url", default=None, help="default: <SERVICE>_DATABASE_URL")
    args = parser.parse_args(argv)
    types = [t if t.startswith(f"{args.service}.") else f"{args.service}.{t}"
             for t in args.types]
    if args.since is not None and args.since.tzinfo is None:
        args.since = args.since.replace(tzinfo=timezone.utc)
    url = args.database_url or database_setting(args.service).get()
    oldest = clock.now() - timedelta(days=OUTBOX_RETENTION_DAYS.get())
    if args.since is None or args.since < oldest:
        print(f"note: published events older than FAZHI_OUTBOX_RETENTION_DAYS="
              f"{OUTBOX_RETENTION_DAYS.get()} days are pruned and cannot be replayed")
    sent = replay(url, args.queue, types, args.since)
    print(f"{sent} event(s) replayed from {args.service}'s outbox to {args.queue}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
