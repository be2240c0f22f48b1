"""The unit-tree read model every service that needs unit paths keeps.

Fed by the org service's events (``org.unit.created`` / ``renamed`` / ``moved``) and
bootstrapped on first start from org's ``export_units`` RPC, page by page, called as the
service itself (a service principal, signed with its own key).

Events arrive in any order (one queue per event type, concurrent workers, retries,
replicas of org's relay), so the model does not replay history, it keeps **state**:

- every unit event and every export row carries the unit's whole state (``id, parent_id,
  kind, name, path``) and its ``version``, drawn from a sequence in org's database and
  bumped on every change of the unit (fields of ``fazhi_org_contract.schemas``);
- a unit's row is replaced only by a newer version (:func:`events.apply_newer`, the
  mechanism every read model of another service's data uses); an older event arriving
  late changes nothing, and a move arriving before the unit's creation records the unit,
  so the later creation (an older version) does not overwrite it;
- paths are **derived** from parent links: after a unit's state is applied its path is its
  parent's path plus its id (the event's own path only while the parent is unknown), and
  the paths of everything below it are rebuilt from the links. So a child created under a
  parent that has since moved gets the parent's current path, and a parent arriving after
  its children fixes theirs;
- writers of one read model are serialised by a transaction-level advisory lock, so two
  events applied concurrently never build a path from each other's stale state.
"""
from __future__ import annotations

import logging

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy import Column, MetaData, String, Table, func, literal, select, text, update
from sqlalchemy.orm import Session

from ..paths import LEVELS, child_path
from .db import bulk_insert, engine_for
from .events import apply_newer, handle_event, idempotent

log = logging.getLogger(__name__)

UNIT_EVENTS = ("unit.created", "unit.renamed", "unit.moved")
STATE = ("id", "parent_id", "kind", "name", "path", "version")
LOCK_KEY = 0x66617A686975   # serialises the unit-tree writers of one database
MAX_DEPTH = len(LEVELS) + 2  # a transient cycle of out-of-order moves stops here


class UnitTreeReadModel:
    def __init__(self, table):
        self.t = table

    # -- events -----------------------------------------------------------------------
    @staticmethod
    def state_of(envelope: dict) -> dict:
        """The unit's state an org unit event carries (``ValueError`` when it has none)."""
        kind = envelope["type"].split(".", 1)[1]
        if kind not in UNIT_EVENTS:
            raise ValueError(f"not a unit event: {envelope['type']}")
        p = envelope["payload"]
        version = p.get("version")
        if version is None:
            if kind != "unit.created":
                raise ValueError(f"{envelope['type']} {p.get('id')} carries no version")
            version = 0          # creation is a unit's first state: any later one wins
        try:
            return {"id": p["id"], "parent_id": p.get("new_parent_id", p.get("parent_id")),
                    "kind": p["kind"], "name": p["name"],
                    "path": p.get("new_path") or p["path"], "version": version}
        except KeyError as exc:
            raise ValueError(f"{envelope['type']} without {exc}") from None

    def apply(self, session, envelope: dict) -> bool:
        """Apply one org unit event inside the handler's transaction; True when it was
        newer than what the model held (an older one changes nothing)."""
        state = self.state_of(envelope)
        self.lock(session)
        if not apply_newer(session, self.t, state):
            return False
        self._rebuild_from(session, state)
        return True

    def lock(self, session) -> None:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})

    def _rebuild_from(self, session, state: dict) -> None:
        parent_path = None
        if state["parent_id"] is not None:
            parent_path = self.path_of(session, state["parent_id"])
        if state["parent_id"] is None or parent_path is not None:
            path = child_path(parent_path, state["id"])
        else:
            path = state["path"]   # parent unknown yet: org's path, until the parent arrives
        session.execute(text(f"""
            WITH RECURSIVE sub(id, path, depth) AS (
                SELECT CAST(:id AS VARCHAR), CAST(:path AS TEXT), 0
              UNION ALL
                SELECT c.id, sub.path || '/' || c.id, sub.depth + 1
                FROM {self.t.name} c JOIN sub ON c.parent_id = sub.id
                WHERE sub.depth < :max_depth)
            UPDATE {self.t.name} t SET path = sub.path FROM sub
            WHERE t.id = sub.id AND t.path <> sub.path"""),
            {"id": state["id"], "path": path, "max_depth": MAX_DEPTH})

    def rebuild_all(self, session) -> None:
        """Derive every path from the parent links (after a bootstrap)."""
        session.execute(text(f"""
            WITH RECURSIVE sub(id, path, depth) AS (
                SELECT t.id, CASE WHEN t.parent_id IS NULL THEN '/' || t.id ELSE t.path END, 0
                FROM {self.t.name} t LEFT JOIN {self.t.name} p ON p.id = t.parent_id
                WHERE p.id IS NULL
              UNION ALL
                SELECT c.id, sub.path || '/' || c.id, sub.depth + 1
                FROM {self.t.name} c JOIN sub ON c.parent_id = sub.id
                WHERE sub.depth < :max_depth)
            UPDATE {self.t.name} t SET path = sub.path FROM sub
            WHERE t.id = sub.id AND t.path <> sub.path"""), {"max_depth": MAX_DEPTH})

    # -- reads ------------------------------------------------------------------------
    def is_empty(self, session) -> bool:
        return session.execute(select(self.t.c.id).limit(1)).first() is None

    def path_of(self, session, unit_id: str) -> str | None:
        return session.execute(select(self.t.c.path).where(self.t.c.id == unit_id)).scalar()

    # -- bootstrap --------------------------------------------------------------------
    def bootstrap(self, session, fetch_page, page_size: int = 2000) -> int:
        """Copy the whole tree from org, page by page, keeping newer state already held;
        returns the number of units. ``fetch_page(cursor, limit)`` is one ``export_units``
        call (see :class:`UnitTree`)."""
        self.lock(session)
        incoming = Table(f"{self.t.name}_incoming", MetaData(),
                         *(Column(c, String) for c in STATE))
        session.execute(text(f"CREATE TEMP TABLE {incoming.name} "
                             f"(LIKE {self.t.name} INCLUDING DEFAULTS) ON COMMIT DROP"))
        columns = ", ".join(STATE)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in STATE if c != "id")
        cursor, total = None, 0
        while True:
            page = fetch_page(cursor, page_size)
            rows = [{c: (r.get(c) or 0) if c == "version" else r.get(c) for c in STATE}
                    for r in page["items"]]
            if rows:
                bulk_insert(session, incoming, rows)
                session.execute(text(
                    f"INSERT INTO {self.t.name} ({columns}) SELECT {columns} FROM "
                    f"{incoming.name} ON CONFLICT (id) DO UPDATE SET {updates} "
                    f"WHERE {self.t.name}.version < EXCLUDED.version"))
                session.execute(text(f"DELETE FROM {incoming.name}"))
            total += len(rows)
            cursor = page.get("next_cursor")
            if not cursor:
                break
        self.rebuild_all(session)
        return total


class UnitTree(DependencyProvider):
    """nameko dependency: ``self.unit_tree`` is the read model; on start, an empty read
    model is bootstrapped from org in the background (retrying until org answers).

    Events published before this service's queues existed are covered by the bootstrap;
    those after are applied by the service's handlers (``model.apply``); both keep the
    newer version of each unit, so overlap is harmless.
    """

    page_timeout = 30.0      # seconds for one export page

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
        from .calls import call, service_context
        from .rpc import identity_of
        from .rpc_client import RpcClient

        with Session(self.engine) as session:
            if not self.model.is_empty(session):
                self.bootstrapped.send(0)
                return
        client = RpcClient(self.container.config.get("AMQP_URI"))
        me = identity_of(self.container.service_cls)

        def fetch_page(cursor, limit):
            # As this service itself (org's contract opens export_units to every service);
            # org's own refusal and the message's TTL follow this page's deadline.
            return call("org", "export_units", {"cursor": cursor, "limit": limit},
                        context=service_context(me, self.page_timeout), client=client)

        try:
            while True:
                try:
                    with Session(self.engine) as session, session.begin():
                        count = self.model.bootstrap(session, fetch_page)
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


# -- org's unit events, handled the same way by every service ---------------------------------

def rebased(column, old_path: str, new_path: str):
    """SQL: ``column``'s path, on or below ``old_path``, moved to lie under ``new_path``."""
    return literal(new_path) + func.substr(column, len(old_path) + 1)


def move_paths(session, columns, old_path: str, new_path: str) -> None:
    """org moved a unit: every path in ``columns`` (path columns of this service's records)
    on it or below follows, in the handler's transaction."""
    from .scope import under

    for column in columns:
        session.execute(update(column.table).where(under(column, old_path)).values(
            {column.name: rebased(column, old_path, new_path)}))


class UnitTreeHandlers:
    """org's unit events keep the service's unit-tree read model (``self.unit_tree``) up to
    date, taken from org only (``publisher="org"``: an event org's broker user did not
    publish is dead-lettered, never applied), each once (``idempotent``). On a move, the
    service's own records follow: :meth:`units_moved` rewrites the path columns listed in
    ``moved_paths``; a service whose records keep more than paths (counters, a compound
    column) overrides it. Mixed into a service that has ``db`` and ``unit_tree``."""

    moved_paths: tuple = ()

    @handle_event("org", "unit.created", publisher="org")
    @idempotent
    def on_unit_created(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.renamed", publisher="org")
    @idempotent
    def on_unit_renamed(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.moved", publisher="org")
    @idempotent
    def on_unit_moved(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)
        payload = envelope["payload"]
        self.units_moved(session, payload["old_path"], payload["new_path"])

    def units_moved(self, session, old_path: str, new_path: str) -> None:
        move_paths(session, self.moved_paths, old_path, new_path)
