"""An RPC client for nameko services with a per-call caller context, timeout and deadline.

It imports no nameko (the gateway's HTTP workers are plain threads): it speaks nameko's wire protocol (exchange ``nameko-rpc``, routing key
``<service>.<method>``, ``reply_to`` + ``correlation_id``, context in ``nameko.*``
headers) over one long-lived kombu connection, because the gateway needs what nameko's
standalone proxy does not give per call: a different signed caller context each request,
a timeout on every call, a message TTL so a request to a stopped service expires in the
queue, and a reconnect when the broker connection drops.

A client is not thread-safe; :func:`client` gives each thread its own.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
import uuid

from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.exceptions import ChannelError, OperationalError

from ..config import AMQP_URI, RPC_TIMEOUT
from ..context import CONTEXT_DATA_KEY, REQUEST_ID_KEY
from ..errors import FazhiError, ServiceUnavailable, from_wire, unavailable

log = logging.getLogger(__name__)

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)
# kombu raises OperationalError when it cannot connect at all (broker down).
CONNECTION_ERRORS = (OSError, OperationalError, *Connection("amqp://").connection_errors)


class RpcClient:
    def __init__(self, amqp_uri: str | None = None, timeout: float | None = None):
        self.amqp_uri = amqp_uri or AMQP_URI.get()
        self.timeout = timeout or RPC_TIMEOUT.get()
        self._conn = None
        self._replies: dict = {}

    # -- connection -------------------------------------------------------------------
    def _connect(self):
        conn = Connection(self.amqp_uri, connect_timeout=2,
                          transport_options={"confirm_publish": True})
        conn.ensure_connection(max_retries=0)   # fail fast: the caller answers 503
        channel = conn.channel()
        self._reply_key = str(uuid.uuid4())
        queue = Queue(f"rpc.reply-client-{self._reply_key}", exchange=RPC_EXCHANGE,
                      routing_key=self._reply_key, exclusive=True, auto_delete=True)
        self._consumer = Consumer(channel, [queue], callbacks=[self._on_reply],
                                  no_ack=True, accept=["json"])
        self._consumer.consume()
        self._producer = Producer(channel, exchange=RPC_EXCHANGE, serializer="json")
        self._conn = conn

    def close(self):
        if self._conn is not None:
            try:
                self._conn.release()
            except Exception:  # already broken
                pass
        self._conn = None

    def _on_reply(self, body, message):
        cid = message.properties.get("correlation_id")
        if cid in self._replies:
            self._replies[cid] = body

    # -- calls ------------------------------------------------------------------------
    def send(self, service: str, method: str, kwargs: dict, context: dict,
             timeout: float) -> str:
        """Publish one request; returns its correlation id."""
        cid = None
        for attempt in (1, 2):
            try:
                if self._conn is None:
                    self._connect()
                cid = str(uuid.uuid4())
                self._replies[cid] = None
                headers = {f"nameko.{k}": v for k, v in context.items() if v is not None}
                headers["nameko.call_id_stack"] = [f"client.{context.get(REQUEST_ID_KEY) or cid}"]
                self._producer.publish(
                    {"args": [], "kwargs": kwargs}, routing_key=f"{service}.{method}",
                    mandatory=True, reply_to=self._reply_key, correlation_id=cid,
                    headers=headers, expiration=timeout, retry=False)
                return cid
            except ChannelError as exc:
                self._replies.pop(cid, None)
                self.close()
                if "NO_ROUTE" in str(exc):
                    raise unavailable(service) from None   # the service never started
                if attempt == 2:
                    raise unavailable(service) from None
            except CONNECTION_ERRORS:
                self.close()   # broker connection dropped: rebuild once, then give up
                if attempt == 2:
                    raise ServiceUnavailable("消息服务不可用。", "Message broker unavailable.") from None
        raise unavailable(service)

    def wait(self, cids: list[str], deadline: float) -> dict:
        """Replies received for ``cids`` by ``deadline`` (missing ones are absent)."""
        try:
            while any(self._replies.get(c) is None for c in cids):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    self._conn.drain_events(timeout=remaining)
                except socket.timeout:
                    break
        except CONNECTION_ERRORS:
            self.close()
        out = {}
        for c in cids:
            body = self._replies.pop(c, None)
            if body is not None:
                out[c] = body
        return out

    def call(self, service: str, method: str, kwargs: dict | None = None,
             context: dict | None = None, timeout: float | None = None):
        """Call ``service.method(**kwargs)``; raises the service's typed error, or
        ``ServiceUnavailable`` when no answer comes within ``timeout`` seconds."""
        timeout = timeout or self.timeout
        start = time.monotonic()
        cid = self.send(service, method, kwargs or {}, context or {}, timeout)
        replies = self.wait([cid], start + timeout)
        if cid not in replies:
            raise unavailable(service)
        return unpack(replies[cid])

    def call_many(self, calls: list[tuple], context: dict | None = None,
                  timeout: float | None = None) -> list:
        """Send several calls at once and wait for all; each result is a value or an error."""
        timeout = timeout or self.timeout
        start = time.monotonic()
        cids = []
        for service, method, kwargs in calls:
            try:
                cids.append(self.send(service, method, kwargs, context or {}, timeout))
            except FazhiError as exc:
                cids.append(exc)
        replies = self.wait([c for c in cids if isinstance(c, str)], start + timeout)
        results = []
        for (service, _, _), c in zip(calls, cids):
            if isinstance(c, FazhiError):
                results.append(c)
            elif c in replies:
                try:
                    results.append(unpack(replies[c]))
                except FazhiError as exc:
                    results.append(exc)
            else:
                results.append(unavailable(service))
        return results


def unpack(body: dict):
    """The result of a reply, or its typed error raised (see ``errors.from_wire``)."""
    error = body.get("error")
    if error is None:
        return body.get("result")
    exc = from_wire(error)
    if type(exc) is FazhiError:
        log.error("untyped remote error: %s", error.get("exc_type"))
    raise exc


_local = threading.local()


def client() -> RpcClient:
    """This thread's long-lived client (one per gunicorn worker thread)."""
    c = getattr(_local, "client", None)
    if c is None:
        c = _local.client = RpcClient()
    return c


def reset() -> None:
    """Close and forget this thread's client; the next ``client()`` reads ``AMQP_URI`` anew
    (tests switch vhosts; production processes never need this)."""
    c = getattr(_local, "client", None)
    if c is not None:
        c.close()
    _local.client = None


def context_for(token: str, request_id: str | None) -> dict:
    return {CONTEXT_DATA_KEY: token, REQUEST_ID_KEY: request_id}
