"""The audit log: every change and every unmasked read of sensitive data (PIPL)."""
from __future__ import annotations

from .. import clock
from ..context import Principal
from ..ids import new_id


def entry(principal: Principal, action: str, entity: str, entity_id: str | None = None,
          path: str | None = None, detail: dict | None = None,
          on_behalf_of: str | None = None, at=None) -> dict:
    """The columns of one audit row (``at`` defaults to now). :func:`record` inserts one;
    a bulk writer collects many and inserts them with ``db.bulk_insert``."""
    return {"id": new_id(), "at": at or clock.now(), "actor_kind": principal.kind,
            "actor_account_id": principal.account_id, "actor_person_id": principal.person_id,
            "on_behalf_of": on_behalf_of, "action": action, "entity": entity,
            "entity_id": entity_id, "path": path, "detail": detail or {},
            "request_id": principal.request_id}


def record(session, audit_table, principal: Principal, action: str, entity: str,
           entity_id: str | None = None, path: str | None = None,
           detail: dict | None = None, on_behalf_of: str | None = None) -> None:
    """Write one audit row in the caller's transaction (so it commits with the change)."""
    session.execute(audit_table.insert().values(
        **entry(principal, action, entity, entity_id, path, detail, on_behalf_of)))
