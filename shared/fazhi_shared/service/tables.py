"""Tables every service database holds: outbox, processed events, audit log and the
unit-tree read model. Each service adds them to its own metadata with
:func:`platform_tables` and creates them in its first migration with
:func:`create_platform_tables`.
"""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import (BigInteger, Column, DateTime, Index, Integer, MetaData,
                        PrimaryKeyConstraint, String, Table, Text, text)
from sqlalchemy.dialects.postgresql import JSONB


def _define(metadata: MetaData, unit_tree: bool) -> SimpleNamespace:
    outbox = Table(
        "outbox", metadata,
        Column("id", String(36), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False,
               server_default=text("now()")),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Index("outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )
    processed = Table(
        "processed_events", metadata,
        Column("consumer", String(200), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False,
               server_default=text("now()")),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    audit = Table(
        "audit_log", metadata,
        Column("id", String(36), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor_kind", String(20), nullable=False),
        Column("actor_account_id", String(36)),
        Column("actor_person_id", String(36)),
        Column("on_behalf_of", String(36)),
        Column("action", String(80), nullable=False),
        Column("entity", String(60), nullable=False),
        Column("entity_id", String(36)),
        Column("path", Text),
        Column("detail", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("request_id", String(64)),
        Index("audit_entity", "entity", "entity_id"),
    )
    # A write's answer, kept for a retry with the same Idempotency-Key (service.idempotency).
    idempotency = Table(
        "idempotency_keys", metadata,
        Column("scope", String(80), nullable=False),        # the account, or anonymous
        Column("key", String(100), nullable=False),
        Column("route", String(200), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("response", JSONB),
        Column("created_at", DateTime(timezone=True), nullable=False,
               server_default=text("now()")),
        PrimaryKeyConstraint("scope", "key"),
        Index("idempotency_keys_created", "created_at"),
    )
    ns = SimpleNamespace(outbox=outbox, processed_events=processed, audit_log=audit,
                         idempotency_keys=idempotency, unit_tree=None)
    if unit_tree:
        ns.unit_tree = Table(
            "unit_tree", metadata,
            Column("id", String(36), primary_key=True),
            Column("parent_id", String(36)),
            Column("kind", String(20), nullable=False),
            Column("name", String(200), nullable=False),
            Column("path", Text, nullable=False),
            # org's version of the unit (a sequence in org's database): only newer state is
            # applied; the path is derived from parent links (service.unittree).
            Column("version", BigInteger, nullable=False),
            Index("unit_tree_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
            Index("unit_tree_parent", "parent_id"),
        )
    return ns


def platform_tables(metadata: MetaData, unit_tree: bool = False) -> SimpleNamespace:
    """Add the platform tables to a service's metadata and return them."""
    return _define(metadata, unit_tree)


def create_platform_tables(bind, unit_tree: bool = False, only=None) -> None:
    """Create the platform tables that do not exist yet, inside a migration; ``only`` names
    a subset (e.g. ``("processed_events",)`` for a process that consumes events but emits
    none). A service's first migration creates them all; a platform table added later is
    created by a later migration naming it in ``only`` (existing ones are skipped)."""
    md = MetaData()
    _define(md, unit_tree)
    md.create_all(bind, tables=[md.tables[n] for n in only] if only else None)


def drop_platform_tables(bind, unit_tree: bool = False, only=None) -> None:
    md = MetaData()
    _define(md, unit_tree)
    md.drop_all(bind, tables=[md.tables[n] for n in only] if only else None)
