"""Database sessions for services and the gateway.

The driver is pg8000 (pure Python): under eventlet's monkey-patched sockets a slow query
yields to other greenthreads instead of blocking the whole nameko process, which a C
driver such as psycopg2 would do (see ``shared/tests/test_db.py``, two slow queries
overlap). Each service owns one database; a nameko worker gets its own session
(``fazhi_shared.service.defaults.Database``). This module imports no nameko, so the
gateway's HTTP workers use it too.
"""
from __future__ import annotations

from contextlib import contextmanager

import io
import json
import socket
from datetime import date, datetime

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..config import DB_POOL_SIZE as POOL_SIZE, DB_POOL_TIMEOUT as POOL_TIMEOUT, MAX_WORKERS

_engines: dict = {}


def engine_for(url: str):
    """The one engine (connection pool) of this process for ``url``.

    Its size is ``FAZHI_DB_POOL_SIZE`` (default: the nameko workers plus 2 for the outbox
    relay and background threads) with **no overflow**, so a process never holds more
    than its budget (deploy/README.md, "Connection budget"); a checkout waits at most
    ``FAZHI_DB_POOL_TIMEOUT`` seconds, then ``@endpoint`` answers 503.

    Statement parameters never appear in its errors or logs (``hide_parameters``): they
    are names, phones, blind indexes, password hashes.
    """
    engine = _engines.get(url)
    if engine is None:
        engine = create_engine(url, pool_size=POOL_SIZE.get() or MAX_WORKERS.get() + 2,
                               max_overflow=0, pool_timeout=POOL_TIMEOUT.get(),
                               pool_pre_ping=True, pool_recycle=1800, hide_parameters=True)
        event.listen(engine, "connect", _no_delay)
        event.listen(engine, "before_cursor_execute", _autocommit_reads)
        event.listen(engine, "checkin", _transactions_again)
        _engines[url] = engine
    return engine


def read_engine_for(url: str):
    """The same pool, for reads that need no transaction (a lookup on every request, a
    read-only RPC): autocommit, so no BEGIN/ROLLBACK round trips — about half the cost of
    a transactional checkout (measured: 376 µs against 677 µs for one lookup). Nothing is
    set on the connection's session, so it is safe behind a transaction pooler; sessions
    for read-only endpoints refuse writes themselves (:func:`refuse_writes`)."""
    return engine_for(url).execution_options(fazhi_read=True)


def _autocommit_reads(conn, cursor, statement, parameters, context, executemany) -> None:
    """A read through :func:`read_engine_for` runs without BEGIN/ROLLBACK: pg8000's
    autocommit is a client-side flag (no statement, nothing left on the server session),
    so switching it costs no round trip — unlike SQLAlchemy's isolation-level switch,
    which sends SET SESSION CHARACTERISTICS and COMMIT around every checkout."""
    if conn.get_execution_options().get("fazhi_read"):
        raw = conn.connection.dbapi_connection
        if not getattr(raw, "autocommit", True):
            raw.autocommit = True


def _transactions_again(dbapi_connection, _record) -> None:
    """A connection goes back to the pool transactional, whoever used it."""
    if getattr(dbapi_connection, "autocommit", False):
        dbapi_connection.autocommit = False


READS = ("SELECT", "WITH", "SHOW", "VALUES", "EXPLAIN")


class ReadOnlyViolation(RuntimeError):
    """A read-only session was asked to run a statement that is not a read."""


def refuse_writes(session) -> None:
    """Make ``session`` refuse any statement but a read (a write by mistake fails loudly)."""
    @event.listens_for(session, "do_orm_execute")
    def _check(state):
        statement = state.statement
        if state.is_select:
            return
        sql = getattr(statement, "text", None)
        if isinstance(sql, str) and sql.lstrip().upper().startswith(READS):
            return
        raise ReadOnlyViolation(f"read-only session refused: {type(statement).__name__}")


def _no_delay(dbapi_connection, _record) -> None:
    """pg8000 leaves Nagle's algorithm on: a statement sent in two writes then waits ~40 ms
    for the server's delayed ACK. Turn it off (guarded: ``_usock`` is pg8000's own)."""
    sock = getattr(dbapi_connection, "_usock", None)
    if isinstance(sock, socket.socket) and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def after_commit(session, fn) -> None:
    """Run ``fn()`` once the session's current transaction has committed (never if it rolls
    back): work that must see the committed rows, such as a background job or a wake-up."""
    event.listen(session, "after_commit", lambda _s: fn(), once=True)


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
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          hide_parameters=True)
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
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          hide_parameters=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


# -- bulk loading ---------------------------------------------------------------------
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (bytes, memoryview)):
        return "\\\\x" + bytes(value).hex()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime, date)):
        value = value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def bulk_insert(session, table, rows: list) -> None:
    """Insert ``rows`` (dicts with the same keys) with ``COPY … FROM STDIN`` in the session's
    transaction. Through pg8000 a multi-row INSERT costs about 1 ms a row (SQL compiling and
    per-value encoding in Python); COPY costs a few µs, so an import of thousands of units
    takes seconds. Constraints and foreign keys are checked as for any insert."""
    columns = list(rows[0])
    lines = "".join("\t".join(_copy_field(r[c]) for c in columns) + "\n" for r in rows)
    quoted = ", ".join(f'"{c}"' for c in columns)
    dbapi = session.connection().connection.dbapi_connection
    cursor = dbapi.cursor()
    try:
        cursor.execute(f'COPY "{table.name}" ({quoted}) FROM STDIN', stream=io.StringIO(lines))
    finally:
        cursor.close()
