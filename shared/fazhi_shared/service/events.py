"""Consuming events: durable queues, a dead-letter queue, idempotent handlers.

``@handle_event("org", "unit.moved")`` is nameko's service-pool event handler with two
changes: its queue dead-letters to ``fazhi.dlx`` (a queue ``<queue>.dlq`` per handler
keeps what failed), and a handler that raises has its message *rejected* into that
queue instead of nameko's default of acking it away.

``@idempotent`` wraps the handler in one database transaction that also records the
event id as processed for this consumer; a redelivered event is skipped, so each event
takes effect exactly once even when the consumer restarts mid-stream. Transient
failures are retried a few times in place before the message is dead-lettered.
"""
from __future__ import annotations

import functools
import logging

import eventlet
from kombu import Exchange, Queue
from marshmallow import Schema, ValidationError, fields
from nameko.events import SERVICE_POOL, EventHandler
from nameko.messaging import Consumer
from sqlalchemy.dialects.postgresql import insert

from ..context import Principal
from .outbox import event_exchange

log = logging.getLogger(__name__)

DLX = Exchange("fazhi.dlx", type="direct", durable=True)
RETRY_DELAYS = (0.2, 1.0)   # seconds between in-place attempts; then dead-letter


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


class DurableEventHandler(EventHandler):

    def __init__(self, source_service, event_type, **kwargs):
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
        # The DLQ must exist before the first rejection, or the message is dropped.
        self.dlq = dead_letter_queue(name)
        from kombu import Connection
        with Connection(self.container.config["AMQP_URI"]) as conn:
            self.dlq.bind(conn.default_channel).declare()
        Consumer.setup(self)

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        log.error("event handler %s failed; message dead-lettered", self.method_name,
                  exc_info=exc_info)
        if message.channel.connection:
            message.reject(requeue=False)


handle_event = DurableEventHandler.decorator


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


def idempotent(handler):
    """Run ``handler(self, session, envelope, principal)`` once per event id.

    The service must have ``self.db`` (a :class:`fazhi_shared.db.Database`) and a
    ``processed_events`` table in its metadata, reached as ``type(self).tables``.
    """
    consumer = None

    @functools.wraps(handler)
    def wrapper(self, body):
        nonlocal consumer
        try:
            envelope = EventEnvelope().load(body, unknown="include")
        except ValidationError as exc:
            raise ValueError(f"malformed event envelope: {exc.messages}") from None
        consumer = consumer or f"{self.name}.{handler.__name__}"
        processed = type(self).tables.processed_events
        principal = Principal.system(envelope.get("request_id"))
        attempts = len(RETRY_DELAYS) + 1
        for attempt in range(attempts):
            session = self.db
            try:
                inserted = session.execute(
                    insert(processed).values(consumer=consumer, event_id=envelope["event_id"])
                    .on_conflict_do_nothing().returning(processed.c.event_id)).first()
                if inserted is None:
                    session.rollback()
                    return "duplicate"
                result = handler(self, session, envelope, principal)
                session.commit()
                log.info("event %s %s handled by %s", envelope["type"], envelope["event_id"],
                         consumer)
                return result
            except Exception:
                session.rollback()
                if attempt + 1 == attempts:
                    raise
                log.warning("handler %s failed (attempt %d), retrying", consumer, attempt + 1,
                            exc_info=True)
                eventlet.sleep(RETRY_DELAYS[attempt])

    return wrapper
