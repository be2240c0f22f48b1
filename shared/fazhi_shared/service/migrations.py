"""Alembic glue shared by every package: one ``env.py`` body and one upgrade call.

Each package keeps its own ``migrations/`` (versions are its own); its ``env.py`` calls
:func:`run_env` with the package's metadata. The start command of a service runs
:func:`upgrade` before serving, so a fresh database is ready without a manual step.
"""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import pool

from .db import engine_for, ensure_database


def alembic_config(migrations_dir: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", migrations_dir)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(migrations_dir: str, url: str, revision: str = "head") -> None:
    """Create the database if needed and migrate it to ``revision``.

    Replicas starting together take turns on a PostgreSQL advisory lock, so a first
    deploy does not race on the same DDL.
    """
    from sqlalchemy import create_engine, text

    ensure_database(url)
    cfg = alembic_config(migrations_dir, url)
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext('fazhi.migrations'))"))
            conn.commit()
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext('fazhi.migrations'))"))
                conn.commit()
    finally:
        engine.dispose()


def run_env(target_metadata) -> None:
    """The body of every package's ``migrations/env.py``."""
    from alembic import context
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url")
    connection = context.config.attributes.get("connection")
    if connection is not None:      # given by upgrade(), holding the advisory lock
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


__all__ = ["alembic_config", "upgrade", "run_env", "engine_for"]
