"""Calls from the gateway to the services, each with a signed caller context.

Every call carries a context signed for this request only, with the gateway's own key
(``GATEWAY_SIGNING_KEY``; the gateway is the one signer of user contexts): who calls (the
user of the access token, ``anonymous`` for login, or the gateway itself — a service
principal — for token refresh), the request id, the language and the deadline after
which the gateway has given up (the service then refuses to run it). Each gunicorn thread keeps one long-lived client
(``fazhi_shared.service.rpc_client.client()``).
"""
from __future__ import annotations

import time
from datetime import date, datetime
from dataclasses import replace

from flask import g, has_request_context

from fazhi_shared.config import RPC_TIMEOUT
from fazhi_shared.context import Principal, sign
from fazhi_shared.service.rpc_client import client, context_for



def _request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _lang() -> str:
    return g.get("lang", "zh") if has_request_context() else "zh"


def wire(value):
    """Loaded data back in its JSON form: schemas load times and dates into
    ``datetime``/``date`` objects, but the contract on the wire is ISO strings."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire(v) for v in value]
    return value


def call(service: str, method: str, timeout: float | None = None, idempotency=None,
         **kwargs):
    """Call ``service.method(**kwargs)`` as the signed-in user of this request.
    ``idempotency``: ``(key, request_hash, route)`` of a write the client may retry."""
    user = g.user
    timeout = timeout or RPC_TIMEOUT.get()
    principal = Principal(kind="user", account_id=user.account_id, person_id=user.person_id,
                          grants=user.grants, request_id=_request_id(),
                          deadline=time.time() + timeout, lang=_lang())
    return call_as(_keyed(principal, idempotency), service, method, timeout, kwargs)


def call_anonymous(service: str, method: str, timeout: float | None = None,
                   idempotency=None, **kwargs):
    """Call as nobody in particular (login: the service checks the credentials)."""
    timeout = timeout or RPC_TIMEOUT.get()
    principal = Principal.anonymous(_request_id(), deadline=time.time() + timeout)
    return call_as(_keyed(principal, idempotency), service, method, timeout, kwargs)


def _keyed(principal: Principal, idempotency) -> Principal:
    if not idempotency:
        return principal
    key, request_hash, route = idempotency
    return replace(principal, idempotency_key=key, request_hash=request_hash, route=route)


def call_as_gateway(service: str, method: str, timeout: float | None = None, **kwargs):
    """Call as the gateway itself (token refresh re-reads the account this way); the
    service accepts it only where its contract opens the method to the gateway."""
    timeout = timeout or RPC_TIMEOUT.get()
    principal = Principal.of_service("gateway", _request_id(), deadline=time.time() + timeout)
    return call_as(principal, service, method, timeout, kwargs)


def call_as(principal: Principal, service: str, method: str, timeout: float, kwargs: dict):
    """One call with ``principal`` signed as the caller context."""
    context = context_for(sign(principal), principal.request_id)
    return client().call(service, method, wire(kwargs), context=context, timeout=timeout)


def ping_all(services: list[str], timeout: float) -> dict:
    """``{service: "ok" | "unavailable"}``, all pinged at once (for ``/readyz``)."""
    principal = Principal.anonymous(_request_id(), deadline=time.time() + timeout)
    context = context_for(sign(principal), principal.request_id)
    results = client().call_many([(s, "ping", {}) for s in services], context, timeout)
    return {s: "unavailable" if isinstance(r, Exception) else "ok"
            for s, r in zip(services, results)}


__all__ = ["call", "call_anonymous", "call_as_gateway", "call_as", "ping_all"]
