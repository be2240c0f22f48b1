"""Alembic glue shared by every package: one ``env.py`` body and one upgrade call.

Each package keeps its own ``migrations/`` (versions are its own); its ``env.py`` calls
:func:`run_env` with the package's metadata. The start command of a service runs
:func:`upgrade` before serving, so a fresh database is ready without a manual step.
"""
from __future__ import annotations

import os

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
    """Create the database if needed and migrate it to ``revision``."""
    ensure_database(url)
    command.upgrade(alembic_config(migrations_dir, url), revision)


def run_env(target_metadata) -> None:
    """The body of every package's ``migrations/env.py``."""
    from alembic import context
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


__all__ = ["alembic_config", "upgrade", "run_env", "engine_for"]
