"""One service calling another, within the caller's deadline.

nameko's ``RpcProxy`` waits for an answer forever and its request never expires, so a
nested call outlives the request that made it. Here the nested call gets what the
gateway's calls get (``service.rpc_client``): a timeout and a message TTL, both equal to
the time the *caller* has left::

    class DisputesService(Service):
        calls = ServiceCalls()                   # self.calls in every worker

        @endpoint(...)
        def open_case(self, caller, data):
            unit = self.calls.call("org", "get_unit", id=data["unit_id"])

In an RPC worker the call forwards the worker's own signed caller context and request id
(a service verifies contexts, it cannot mint a user's), so the callee sees the same user,
the same request id and the same deadline, and refuses the call once it has passed. With
0.3 s left the call waits at most 0.3 s (``DeadlineExceeded``), and its message leaves
the callee's queue after 0.3 s if nobody took it. Past the deadline the call is not sent.

A worker with no caller (an event handler), and code outside a worker (a bootstrap, a
command: :func:`service_context`), call as the service itself: a service principal
signed with its own key (``<SERVICE>_SIGNING_KEY``), with a deadline of its choosing. The
callee accepts it only on methods its contract opens to services.
"""
from __future__ import annotations

import queue
import time
from contextlib import contextmanager

from nameko.extensions import DependencyProvider

from ..config import AMQP_URI, RPC_TIMEOUT
from ..context import CONTEXT_DATA_KEY, REQUEST_ID_KEY, Principal, sign, verify
from ..errors import DeadlineExceeded, ServiceUnavailable
from .rpc_client import RpcClient

_pools: dict = {}


@contextmanager
def pooled_client(amqp_uri: str | None = None):
    """A long-lived :class:`RpcClient` for one call at a time (clients are not shareable
    between greenthreads; opening one per call costs a connection)."""
    uri = amqp_uri or AMQP_URI.get()
    pool = _pools.setdefault(uri, queue.LifoQueue())
    try:
        client = pool.get_nowait()
    except queue.Empty:
        client = RpcClient(uri)
    try:
        yield client
    finally:
        pool.put(client)


def service_context(service: str, seconds: float, request_id: str | None = None) -> dict:
    """Context data for ``service`` acting on its own, with ``seconds`` to finish: a
    service principal signed with its own key."""
    principal = Principal.of_service(service, request_id, deadline=time.time() + seconds)
    return {CONTEXT_DATA_KEY: sign(principal), REQUEST_ID_KEY: request_id}


def remaining(context: dict) -> float | None:
    """Seconds the caller of ``context`` has left (None: it set no deadline)."""
    deadline = verify(context.get(CONTEXT_DATA_KEY)).deadline
    return None if deadline is None else deadline - time.time()


def call(service: str, method: str, kwargs: dict | None = None, *, context: dict,
         client: RpcClient | None = None, amqp_uri: str | None = None):
    """Call ``service.method(**kwargs)`` on behalf of the caller of ``context`` (nameko
    context data: the signed caller and the request id), within its remaining deadline.

    Raises the callee's typed error; ``DeadlineExceeded`` when the deadline passes before
    an answer (or has passed already: nothing is sent); ``ServiceUnavailable`` when a
    caller without a deadline waits ``FAZHI_RPC_TIMEOUT`` in vain.
    """
    left = remaining(context)
    if left is not None and left <= 0:
        raise DeadlineExceeded()
    timeout = RPC_TIMEOUT.get() if left is None else left
    forwarded = {CONTEXT_DATA_KEY: context.get(CONTEXT_DATA_KEY),
                 REQUEST_ID_KEY: context.get(REQUEST_ID_KEY)}
    try:
        if client is not None:
            return client.call(service, method, kwargs or {}, forwarded, timeout)
        with pooled_client(amqp_uri) as pooled:
            return pooled.call(service, method, kwargs or {}, forwarded, timeout)
    except ServiceUnavailable:
        if left is not None and remaining(context) <= 0:
            raise DeadlineExceeded() from None
        raise


class BoundCalls:
    """``self.calls`` inside one worker: calls on behalf of that worker's caller."""

    def __init__(self, context: dict, amqp_uri: str | None):
        self.context = context
        self.amqp_uri = amqp_uri

    def call(self, service: str, method: str, **kwargs):
        return call(service, method, kwargs, context=self.context, amqp_uri=self.amqp_uri)


class ServiceCalls(DependencyProvider):
    """nameko dependency: ``self.calls.call(service, method, **kwargs)`` — on behalf of the
    worker's caller, or, in a worker without one (an event handler), as the service."""

    def get_dependency(self, worker_ctx):
        context = worker_ctx.data
        if not context.get(CONTEXT_DATA_KEY):
            from .rpc import identity_of

            context = service_context(identity_of(self.container.service_cls),
                                      RPC_TIMEOUT.get(), context.get(REQUEST_ID_KEY))
        return BoundCalls(context, self.container.config.get("AMQP_URI"))
