"""The unit-tree read model every service that needs unit paths keeps.

Fed by the org service's events (``org.unit.created`` / ``renamed`` / ``moved``) and
bootstrapped on first start from org's ``export_units`` RPC, page by page. Payload
fields are those of org's event schemas (``fazhi_org_contract.schemas``): created ``{id, parent_id,
kind, name, path}``, renamed ``{id, name, path}``, moved ``{id, old_path, new_path,
new_parent_id}``. A row's ``version`` is the time of the last event applied to it, so an
older event arriving late does not overwrite a newer state.
"""
from __future__ import annotations

import logging

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy import func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from .. import clock
from ..context import Principal, sign
from .db import engine_for

log = logging.getLogger(__name__)

UNIT_EVENTS = ("unit.created", "unit.renamed", "unit.moved")


class UnitTreeReadModel:
    def __init__(self, table):
        self.t = table

    def upsert(self, session, row: dict, version) -> None:
        t = self.t
        stmt = insert(t).values(id=row["id"], parent_id=row.get("parent_id"), kind=row["kind"],
                                name=row["name"], path=row["path"], version=version)
        session.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.id],
            set_={"parent_id": stmt.excluded.parent_id, "kind": stmt.excluded.kind,
                  "name": stmt.excluded.name, "path": stmt.excluded.path,
                  "version": stmt.excluded.version},
            where=t.c.version <= stmt.excluded.version))

    def apply(self, session, envelope: dict) -> None:
        """Apply one org unit event (inside the handler's idempotent transaction)."""
        kind = envelope["type"].split(".", 1)[1]
        p = envelope["payload"]
        version = clock.parse_time(envelope["occurred_at"])
        t = self.t
        if kind == "unit.created":
            self.upsert(session, p, version)
        elif kind == "unit.renamed":
            session.execute(update(t).where(t.c.id == p["id"], t.c.version <= version)
                            .values(name=p["name"], version=version))
        elif kind == "unit.moved":
            self.move(session, p["old_path"], p["new_path"], p.get("new_parent_id"), p["id"],
                      version)

    def move(self, session, old_path, new_path, new_parent_id, unit_id, version) -> int:
        t = self.t
        under = or_(t.c.path == old_path, t.c.path.like(old_path + "/%"))
        res = session.execute(update(t).where(under).values(
            path=literal(new_path) + func.substr(t.c.path, len(old_path) + 1)))
        session.execute(update(t).where(t.c.id == unit_id)
                        .values(parent_id=new_parent_id, version=version))
        return res.rowcount

    def is_empty(self, session) -> bool:
        return session.execute(select(self.t.c.id).limit(1)).first() is None

    def path_of(self, session, unit_id: str) -> str | None:
        return session.execute(select(self.t.c.path).where(self.t.c.id == unit_id)).scalar()

    def bootstrap(self, session, rpc_client, page_size: int = 2000) -> int:
        """Copy the whole tree from org, page by page; returns the number of units."""
        ctx = {"fazhi_caller": sign(Principal.system())}
        cursor, total = None, 0
        now = clock.now()
        while True:
            page = rpc_client.call("org", "export_units",
                                   {"cursor": cursor, "limit": page_size},
                                   context=ctx, timeout=30)
            for row in page["items"]:
                self.upsert(session, row, now)
            total += len(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return total



class UnitTree(DependencyProvider):
    """nameko dependency: ``self.unit_tree`` is the read model; on start, an empty read
    model is bootstrapped from org in the background (retrying until org answers).

    Events published before this service's queues existed are covered by the bootstrap;
    those after are applied by the service's handlers (``model.apply``); both upsert with
    versions, so overlap is harmless.
    """

    def __init__(self, table, database_setting, retry_seconds: float = 2.0):
        self.table = table
        self.database_setting = database_setting
        self.retry_seconds = retry_seconds
        self.bootstrapped = None

    def setup(self):
        self.model = UnitTreeReadModel(self.table)
        self.engine = engine_for(self.database_setting.get())
        self.bootstrapped = eventlet.event.Event()

    def start(self):
        self.container.spawn_managed_thread(self._bootstrap, identifier="unit-tree-bootstrap")

    def _bootstrap(self):
        from .rpc_client import RpcClient

        with Session(self.engine) as session:
            if not self.model.is_empty(session):
                self.bootstrapped.send(0)
                return
        client = RpcClient(self.container.config.get("AMQP_URI"))
        try:
            while True:
                try:
                    with Session(self.engine) as session, session.begin():
                        count = self.model.bootstrap(session, client)
                    log.info("unit tree bootstrapped from org: %d units", count)
                    self.bootstrapped.send(count)
                    return
                except Exception as exc:   # org not up yet: try again
                    log.warning("unit tree bootstrap failed (%s); retrying", exc)
                    eventlet.sleep(self.retry_seconds)
        finally:
            client.close()

    def get_dependency(self, worker_ctx):
        return self.model
