"""Consuming events: durable queues, retries with growing delays, a dead-letter queue,
idempotent handlers.

``@handle_event("org", "unit.moved")`` is nameko's service-pool event handler, durable
queue ``evt-<source>-<type>--<service>.<method>``, with what nameko lacks:

- **retries with growing delays**: a handler that raises has its message published to
  the retry queue of the next delay (``FAZHI_EVENT_RETRY_DELAYS``, default 1 s, 10 s,
  60 s), one queue per delay (``<queue>.retry.<ms>ms``: a queue-wide TTL, because a
  per-message TTL only expires at the head of a queue), which dead-letters it back into
  the handler's queue when the delay is over; the retry is published with confirms
  before the original is acked, so nothing is lost in between;
- **a dead-letter queue** ``<queue>.dlq`` (through the exchange ``fazhi.dlx``): after the
  last retry, and at once for a message no retry can help (not decodable, or not an
  event envelope). kombu's default would log an undecodable body and ack it away; here
  the raw message is dead-lettered and only its size, type and queue are logged. Headers
  ``x-fazhi-attempts`` (failures so far), ``x-fazhi-error`` (the exception's type) and
  ``x-fazhi-failed-at`` say what happened; ``python -m fazhi_shared.service.deadletters``
  lists, shows and replays dead letters.

**The publisher** (``@handle_event("org", "account.credentials_changed", publisher="org")``):
every service connects to the broker as its own user ``fazhi-<service>``, may publish
only to its own exchange, and its outbox relay stamps each event with that user (the AMQP
``user_id`` property, which RabbitMQ checks against the connection). A handler declared
with ``publisher`` runs only for events that user published: anything else — an event on
the exchange from another client, or a message put straight into the handler's queue by
another service — is dead-lettered at once with a warning naming who published it. A
delayed retry is republished by the handler's own user with the original publisher in
``x-fazhi-publisher``, which is believed only on a message stamped with that own user.
Use it on handlers of security-relevant events (credentials, grants).

``@idempotent`` wraps the handler in one database transaction that also records the
event id in ``processed_events`` for this consumer; a redelivered or replayed event is
skipped, so each event takes effect once. Processed ids are kept
``FAZHI_PROCESSED_EVENTS_DAYS`` (default 30, pruned by the handlers themselves about
hourly), longer than a dead letter may be replayed.

Read models of another service's data keep state, not history: :func:`apply_newer`.
"""
from __future__ import annotations

import functools
import logging
import time
from datetime import datetime, timezone

from kombu import Connection, Exchange, Queue
from marshmallow import Schema, ValidationError, fields
from nameko.amqp.publish import Publisher
from nameko.events import SERVICE_POOL, EventHandler
from nameko.messaging import Consumer, QueueConsumer
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from ..config import EVENT_RETRY_DELAYS, PROCESSED_EVENTS_DAYS
from ..context import Principal
from ..keys import broker_user
from .outbox import event_exchange

log = logging.getLogger(__name__)

DLX = Exchange("fazhi.dlx", type="direct", durable=True)
ATTEMPTS_HEADER = "x-fazhi-attempts"       # how many times the handler failed
ERROR_HEADER = "x-fazhi-error"             # the type of the last failure
FAILED_AT_HEADER = "x-fazhi-failed-at"     # when it last failed (UTC ISO)
PUBLISHER_HEADER = "x-fazhi-publisher"     # broker user that published a retried event
PRUNE_EVERY = 3600.0                       # seconds between prunes of processed ids


class PoisonMessage(ValueError):
    """A message no retry can help (not an event envelope): dead-lettered at once."""


class EventEnvelope(Schema):
    """The envelope every event carries (payload schemas live with the emitting service)."""
    event_id = fields.String(required=True)
    type = fields.String(required=True)
    occurred_at = fields.String(required=True)
    path = fields.String(allow_none=True, load_default=None)
    request_id = fields.String(allow_none=True, load_default=None)
    payload = fields.Dict(required=True)


def queue_name(source: str, event_type: str, service: str, method: str) -> str:
    return f"evt-{source}-{event_type}--{service}.{method}"


def dead_letter_queue(name: str) -> Queue:
    return Queue(f"{name}.dlq", exchange=DLX, routing_key=name, durable=True)


def retry_queue_name(name: str, delay: float) -> str:
    return f"{name}.retry.{round(delay * 1000)}ms"


def declare_retry_queue(channel, name: str, delay: float) -> str:
    """The queue where a message waits ``delay`` seconds before going back to ``name``."""
    retry = retry_queue_name(name, delay)
    channel.queue_declare(queue=retry, durable=True, auto_delete=False, arguments={
        "x-message-ttl": round(delay * 1000),
        "x-dead-letter-exchange": "",            # the default exchange: straight to `name`
        "x-dead-letter-routing-key": name})
    return retry


def _describe(message) -> str:
    """What may be logged about a message: never its body."""
    info = message.delivery_info or {}
    props = message.properties or {}
    return (f"routing key {info.get('routing_key')!r}, message id {props.get('message_id')!r}, "
            f"{props.get('content_type')!r}, {len(message.body or b'')} bytes")


def publisher_of(message, own_user: str | None) -> str | None:
    """The broker user that published ``message``: its ``user_id`` (RabbitMQ checks it
    against the publishing connection), or — on a copy this consumer's own user
    republished for a delayed retry — the original publisher it recorded."""
    user = (message.properties or {}).get("user_id")
    if user is not None and user == own_user:
        return (message.headers or {}).get(PUBLISHER_HEADER, user)
    return user


class DeadLetteringQueueConsumer(QueueConsumer):
    """nameko's queue consumer for event handlers (a shared extension of its own), except
    that a message that cannot be decoded is rejected into its queue's dead-letter queue;
    kombu's default logs the body and acks the message away."""

    def on_decode_error(self, message, exc):
        log.error("undecodable message dead-lettered (%s): %s", _describe(message),
                  type(exc).__name__)
        try:
            message.reject(requeue=False)
        except Exception:   # connection gone: the broker redelivers it, to be refused again
            log.warning("could not dead-letter an undecodable message", exc_info=True)


class DurableEventHandler(EventHandler):

    queue_consumer = DeadLetteringQueueConsumer()

    def __init__(self, source_service, event_type, publisher: str | None = None, **kwargs):
        # publisher: the service whose broker user must have published the event
        self.trusted_publisher = publisher
        super().__init__(source_service, event_type, handler_type=SERVICE_POOL,
                         reliable_delivery=True, requeue_on_error=False, **kwargs)

    def setup(self):
        name = queue_name(self.source_service, self.event_type,
                          self.container.service_name, self.method_name)
        self.queue = Queue(
            name, exchange=event_exchange(self.source_service), routing_key=self.event_type,
            durable=True, auto_delete=False,
            queue_arguments={"x-dead-letter-exchange": DLX.name,
                             "x-dead-letter-routing-key": name})
        self.delays = EVENT_RETRY_DELAYS.get()
        amqp_uri = self.container.config["AMQP_URI"]
        # The DLQ and retry queues must exist before the first failure, or it is dropped.
        self.dlq = dead_letter_queue(name)
        with Connection(amqp_uri) as conn:
            channel = conn.default_channel
            self.dlq.bind(channel).declare()
            self.retry_queues = [declare_retry_queue(channel, name, d) for d in self.delays]
        self.publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True, retry=True,
                                   retry_policy={"max_retries": 3})
        self.own_user = Connection(amqp_uri).userid
        Consumer.setup(self)

    def handle_message(self, body, message):
        if self.trusted_publisher is not None:
            published_by = publisher_of(message, self.own_user)
            if published_by != broker_user(self.trusted_publisher):
                log.warning("event handler %s refused a message published by %r, not by "
                            "%s (%s); dead-lettered", self.method_name, published_by,
                            broker_user(self.trusted_publisher), _describe(message))
                if message.channel.connection:
                    message.reject(requeue=False)
                return
        super().handle_message(body, message)

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        exc = exc_info[1]
        failures = int((message.headers or {}).get(ATTEMPTS_HEADER) or 0) + 1
        if not isinstance(exc, PoisonMessage) and failures <= len(self.delays):
            delay = self.delays[failures - 1]
            if self._republish(message, failures, exc, exchange="",
                               routing_key=self.retry_queues[failures - 1]):
                log.warning("event handler %s failed (attempt %d); retrying in %gs",
                            self.method_name, failures, delay, exc_info=exc_info)
                self.queue_consumer.ack_message(message)
                return
        if isinstance(exc, PoisonMessage):
            log.error("event handler %s refused a message (%s): %s; dead-lettered",
                      self.method_name, _describe(message), exc)
        else:
            log.error("event handler %s failed %d times; message dead-lettered",
                      self.method_name, failures, exc_info=exc_info)
        if self._republish(message, failures, exc, exchange=DLX.name,
                           routing_key=self.queue.name):
            self.queue_consumer.ack_message(message)
        elif message.channel.connection:
            message.reject(requeue=False)      # into the DLQ all the same, headers as they were

    def _republish(self, message, failures: int, exc, exchange: str, routing_key: str) -> bool:
        """Publish a copy of ``message`` (raw body, headers with the failure count) with
        confirms; False when the broker did not take it."""
        headers = {k: v for k, v in (message.headers or {}).items()
                   if k not in ("x-death", "x-first-death-exchange", "x-first-death-queue",
                                "x-first-death-reason")}
        headers.update({ATTEMPTS_HEADER: failures, ERROR_HEADER: type(exc).__name__,
                        FAILED_AT_HEADER: datetime.now(timezone.utc).isoformat()})
        props = message.properties or {}
        # The copy is published by this consumer's own user: it carries who published
        # the original, believed because the broker vouches for the copy's user_id.
        headers.pop(PUBLISHER_HEADER, None)
        original = publisher_of(message, self.own_user)
        if original is not None:
            headers[PUBLISHER_HEADER] = original
        stamp = {"user_id": self.own_user} if self.own_user else {}
        try:
            self.publisher.publish(
                message.body, exchange=exchange, routing_key=routing_key, headers=headers,
                content_type=props.get("content_type") or "application/json",
                content_encoding=props.get("content_encoding") or "utf-8",
                message_id=props.get("message_id"), delivery_mode=2, **stamp)
            return True
        except Exception:
            log.warning("could not republish a failed event to %s", routing_key or exchange,
                        exc_info=True)
            return False


handle_event = DurableEventHandler.decorator


_next_prune: dict = {}


def prune_processed(session, table, days: int, batch: int = 10000) -> int:
    """Delete processed ids older than ``days`` in batches, each committed; how many.
    (``processed_at`` is the database's time, so is the cut-off.)"""
    total = 0
    while True:
        n = session.execute(text(
            f"DELETE FROM {table.name} WHERE ctid IN (SELECT ctid FROM {table.name} "
            f"WHERE processed_at < now() - make_interval(days => :days) LIMIT :batch)"),
            {"days": days, "batch": batch}).rowcount
        session.commit()
        total += n
        if n < batch:
            return total


def _maybe_prune(session, table) -> None:
    key = (id(table), str(session.get_bind().url))
    now = time.monotonic()
    if _next_prune.get(key, 0) > now:
        return
    _next_prune[key] = now + PRUNE_EVERY
    try:
        pruned = prune_processed(session, table, PROCESSED_EVENTS_DAYS.get())
        if pruned:
            log.info("pruned %d processed event ids older than %d days", pruned,
                     PROCESSED_EVENTS_DAYS.get())
    except Exception:
        session.rollback()
        log.warning("could not prune processed event ids", exc_info=True)


def idempotent(handler):
    """Run ``handler(self, session, envelope, principal)`` once per event id.

    The service must have ``self.db`` (a :class:`fazhi_shared.db.Database`) and a
    ``processed_events`` table in its metadata, reached as ``type(self).tables``.
    A body that is not an event envelope raises :class:`PoisonMessage` (dead-lettered at
    once); any other failure rolls everything back and is retried later.
    """
    consumer = None

    @functools.wraps(handler)
    def wrapper(self, body):
        nonlocal consumer
        try:
            envelope = EventEnvelope().load(body, unknown="include")
        except ValidationError as exc:
            raise PoisonMessage(f"not an event envelope: {sorted(exc.messages)}") from None
        consumer = consumer or f"{self.name}.{handler.__name__}"
        processed = type(self).tables.processed_events
        principal = Principal.system(envelope.get("request_id"))
        session = self.db
        _maybe_prune(session, processed)
        try:
            inserted = session.execute(
                insert(processed).values(consumer=consumer, event_id=envelope["event_id"])
                .on_conflict_do_nothing().returning(processed.c.event_id)).first()
            if inserted is None:
                session.rollback()
                return "duplicate"
            result = handler(self, session, envelope, principal)
            session.commit()
        except Exception:
            session.rollback()
            raise
        log.info("event %s %s handled by %s", envelope["type"], envelope["event_id"], consumer)
        return result

    return wrapper


def apply_newer(session, table, state: dict, key: str = "id", version: str = "version") -> bool:
    """Store ``state`` (one entity of another service, whole, with the source's version)
    unless the table already holds that entity at the same or a newer version; True when
    stored. The one mechanism of every read model of another service's data: events may
    arrive in any order (see ``service.unittree``), so apply state, never history."""
    stmt = insert(table).values(**state)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={c: stmt.excluded[c] for c in state if c != key},
        where=table.c[version] < stmt.excluded[version]).returning(table.c[key])
    return session.execute(stmt).first() is not None
