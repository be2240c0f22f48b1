"""Idempotency keys: a write retried by its client takes effect once.

The gateway passes a write's ``Idempotency-Key`` header, a hash of the request and its
route in the signed caller context; ``@endpoint`` then, in the write's own transaction:

1. takes a transaction-scoped advisory lock on (account, key) — if another request with
   the same key holds it, the first is still running: ``409``;
2. looks for a stored answer younger than ``FAZHI_IDEMPOTENCY_HOURS``: the same request
   gets it back without running again; another request under the same key is a ``422``
   naming ``Idempotency-Key``;
3. runs the write and stores its answer with it, so both commit together or not at all —
   an error stores nothing, and neither does a write refused at its deadline.

Keys are per account (anonymous callers share one scope; their requests also differ by
hash). The table is the platform table ``idempotency_keys``; old rows are pruned.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from .. import clock
from ..config import IDEMPOTENCY_HOURS
from ..context import Principal
from ..errors import Conflict, ValidationFailed

STILL_RUNNING = ("相同的请求仍在处理中，请稍后重试。",
                 "The same request is still being processed; retry shortly.")
KEY_REUSED = ("该幂等键已用于另一个请求。", "This Idempotency-Key was used for another request.")


def scope_of(principal: Principal) -> str:
    return principal.account_id or f"{principal.kind}"


def _cutoff():
    return clock.now() - timedelta(hours=IDEMPOTENCY_HOURS.get())


def replay(session, table, principal: Principal):
    """``(True, answer)`` when this request already ran; ``(False, None)`` when it is to
    run now (the lock is then held until the transaction ends)."""
    scope, key = scope_of(principal), principal.idempotency_key
    locked = session.execute(select(func.pg_try_advisory_xact_lock(
        func.hashtextextended(f"{scope}\x1f{key}", 0)))).scalar()
    if not locked:
        raise Conflict(*STILL_RUNNING)
    row = session.execute(select(table.c.route, table.c.request_hash, table.c.response).where(
        table.c.scope == scope, table.c.key == key, table.c.created_at > _cutoff())).first()
    if row is None:
        return False, None
    if row.route != principal.route or row.request_hash != principal.request_hash:
        raise ValidationFailed.for_field("Idempotency-Key", *KEY_REUSED)
    return True, row.response


def store(session, table, principal: Principal, answer) -> None:
    """Keep ``answer`` for retries, in the write's transaction (an expired row is replaced)."""
    values = {"scope": scope_of(principal), "key": principal.idempotency_key,
              "route": principal.route or "", "request_hash": principal.request_hash or "",
              "response": answer, "created_at": clock.now()}
    stmt = insert(table).values(**values)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.key],
        set_={k: stmt.excluded[k] for k in ("route", "request_hash", "response", "created_at")}))


def prune(session, table) -> int:
    """Delete stored answers past their lifetime; returns how many."""
    return session.execute(delete(table).where(table.c.created_at < _cutoff())).rowcount
