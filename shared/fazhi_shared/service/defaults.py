"""Service defaults: a service declares its name, tables and database, and gets the rest.

Like eShop's ``AddServiceDefaults()``, one base class wires what every service needs::

    class OrgService(Service):
        name = "org"
        database = DATABASE_URL          # its Setting (ORG_DATABASE_URL)
        tables = tables                  # its metadata's platform tables
        contract = CONTRACT              # what other services may call as themselves

and the service has ``self.db`` (a session per worker, committed by ``@endpoint`` on
success), ``self.outbox`` (events written in the same transaction, published by the
relay), ``self.unit_tree`` (the unit-tree read model, bootstrapped from org) when its
tables hold one, the verified caller and ``ping``. :func:`main` is its ``python -m``
entry: logging, settings checked, migrations applied, then nameko until SIGTERM.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from nameko.extensions import DependencyProvider
from sqlalchemy.orm import sessionmaker

from ..config import Setting
from .db import engine_for, read_engine_for, refuse_writes
from .outbox import OutboxRelay
from .rpc import ServiceBase
from .unittree import UnitTree

log = logging.getLogger(__name__)


class Database(DependencyProvider):
    """nameko dependency: ``self.db`` is a SQLAlchemy session for the current worker.

    The session is closed when the worker ends; ``@endpoint`` commits it when a write
    succeeds (an uncommitted change is rolled back). An endpoint declared ``readonly``
    gets an autocommit session on the same pool (:func:`read_engine_for`): no
    transaction round trips, and the session refuses any statement but a read.
    """

    def __init__(self, setting: Setting):
        self.setting = setting
        self.url = None
        self.sessions: dict = {}

    def setup(self):
        self.url = self.setting.get()
        self.engine = engine_for(self.url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.ReadSession = sessionmaker(read_engine_for(self.url), expire_on_commit=False)

    def get_dependency(self, worker_ctx):
        method = getattr(self.container.service_cls, worker_ctx.entrypoint.method_name, None)
        if getattr(method, "readonly", False):
            session = self.ReadSession()
            refuse_writes(session)
        else:
            session = self.Session()
        self.sessions[worker_ctx] = session
        return session

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()


class IdempotencyPruner(DependencyProvider):
    """Deletes stored Idempotency-Key answers past their lifetime, every few minutes."""

    every = 600

    def __init__(self, table, database_setting):
        self.table = table
        self.database_setting = database_setting

    def start(self):
        self.container.spawn_managed_thread(self._run, identifier="idempotency-pruner")

    def _run(self):
        import eventlet
        from sqlalchemy.orm import Session

        from . import idempotency

        engine = engine_for(self.database_setting.get())
        while True:
            try:
                with Session(engine) as session, session.begin():
                    idempotency.prune(session, self.table)
            except Exception:   # database away: try again next time
                log.warning("pruning idempotency keys failed", exc_info=True)
            eventlet.sleep(self.every)


class Service(ServiceBase):
    """The base of every service: declare ``name``, ``database`` and ``tables``.

    Wiring happens once, on the class that declares ``database``; a dependency the class
    defines itself is left alone.
    """

    name: str
    database: Setting | None = None
    tables = None            # platform_tables(...) namespace: outbox, unit_tree, ...
    settings: list = []      # the package's config SETTINGS, checked at start
    contract = None          # its Contract: service_callable opens methods to services

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("contract") is not None:
            _check_contract(cls)
        if "database" not in cls.__dict__ or cls.database is None:
            return
        own = cls.__dict__
        if "db" not in own:
            cls.db = Database(cls.database)
        tables = cls.tables
        if tables is not None and getattr(tables, "outbox", None) is not None \
                and "outbox" not in own:
            cls.outbox = OutboxRelay(tables.outbox, cls.database)
        if tables is not None and getattr(tables, "idempotency_keys", None) is not None \
                and "idempotency_pruner" not in own:
            cls.idempotency_pruner = IdempotencyPruner(tables.idempotency_keys, cls.database)
        if tables is not None and getattr(tables, "unit_tree", None) is not None \
                and "unit_tree" not in own:
            cls.unit_tree = UnitTree(tables.unit_tree, cls.database)


def _check_contract(cls) -> None:
    """The contract a service names is its own, and opens only methods it has."""
    contract = cls.contract
    if contract.service != cls.name:
        raise TypeError(f"{cls.__name__}: contract of {contract.service!r}, service "
                        f"{cls.name!r}")
    missing = sorted(m for m in contract.service_callable if not callable(getattr(cls, m, None)))
    if missing:
        raise TypeError(f"{cls.__name__}: service_callable names methods it lacks: {missing}")


def migrations_dir(service_cls) -> str:
    """``services/<name>/migrations``: beside the service's package folder."""
    package_file = sys.modules[service_cls.__module__].__file__
    return str(Path(package_file).resolve().parents[1] / "migrations")


def main(service_cls, argv=None) -> None:
    """``python -m <service>``: check settings, migrate, serve (see ``runner.serve``)."""
    from .runner import serve

    serve(service_cls, migrations_dir(service_cls), service_cls.database, argv,
          settings=service_cls.settings)
