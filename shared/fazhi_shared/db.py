"""Database sessions for services and the gateway.

The driver is pg8000 (pure Python): under eventlet's monkey-patched sockets a slow query
yields to other greenthreads instead of blocking the whole nameko process, which a C
driver such as psycopg2 would do (see ``shared/tests/test_db.py``, two slow queries
overlap). Each service owns one database; a nameko worker gets its own session.
"""
from __future__ import annotations

from contextlib import contextmanager

from nameko.extensions import DependencyProvider
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .config import MAX_WORKERS, Setting

_engines: dict = {}


def engine_for(url: str):
    """One engine (connection pool) per URL and process."""
    engine = _engines.get(url)
    if engine is None:
        workers = MAX_WORKERS.get()
        engine = create_engine(url, pool_size=workers + 2, max_overflow=10,
                               pool_pre_ping=True, pool_recycle=1800)
        _engines[url] = engine
    return engine


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def transaction(url_or_engine):
    """A session that commits on success and rolls back on error (scripts and tests)."""
    engine = engine_for(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` if it does not exist. True when created."""
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": u.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{u.database}"'))
                return True
            return False
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


class Database(DependencyProvider):
    """nameko dependency: ``self.db`` is a SQLAlchemy session for the current worker.

    The session is closed when the worker ends; the method commits what it wants kept
    (an uncommitted change is rolled back).
    """

    def __init__(self, setting: Setting):
        self.setting = setting
        self.url = None
        self.sessions: dict = {}

    def setup(self):
        self.url = self.setting.get()
        self.engine = engine_for(self.url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

    def get_dependency(self, worker_ctx):
        session = self.Session()
        self.sessions[worker_ctx] = session
        return session

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()
