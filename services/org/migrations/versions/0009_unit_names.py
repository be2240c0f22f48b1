"""Sibling unit names unique after normalisation; units can be retired

- ``org_name_key(text)``: the comparison key of a unit name (NFKC, whitespace removed;
  ``org/domain/names.py`` is its Python twin), kept in the generated column
  ``units.name_key``;
- ``units.retired_at`` / ``retired_reason``: a retired unit is kept (history, paths) but
  hidden from lists and imports, and takes no new records;
- live siblings that already share a key are renamed with a visible suffix — the oldest
  keeps its name, the others become "9幢（重复2）", "9幢（重复3）" … — each rename listed
  in ``unit_name_renames`` and the log, audited, and sent as ``org.unit.renamed`` with a
  new version (read models of the tree follow);
- then the unique index ``uq_units_sibling_name`` on (parent, key) of live units (the
  roots — cities, made by the system — have no parent and so no siblings).

Revision ID: 0009
Revises: 0008
"""
import json
import logging
import re
import unicodedata
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from fazhi_shared.ids import new_id

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

NAME_MAX = 200
SUFFIX = "（重复{n}）"
REASON = "migration 0009: another live sibling had the same name"


def _key(name: str) -> str:
    # As org_name_key below (frozen here: this migration must rename what it renamed).
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _renamed(name: str, n: int) -> str:
    suffix = SUFFIX.format(n=n)
    return name[:NAME_MAX - len(suffix)] + suffix


def _rename_duplicates(conn) -> list[dict]:
    # Siblings share a parent; cities (the roots, made by the system) have none.
    rows = conn.execute(sa.text(
        "SELECT id, parent_id, name FROM units WHERE retired_at IS NULL "
        "AND parent_id IS NOT NULL ORDER BY parent_id, created_at, id")).all()
    siblings: dict = {}
    for row in rows:
        siblings.setdefault(row.parent_id, []).append(row)
    renames = []
    for parent_id, units in siblings.items():
        taken = {_key(u.name) for u in units}
        seen: dict = {}
        for unit in units:                      # oldest first: the first keeps its name
            key = _key(unit.name)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 1:
                continue
            n = seen[key]
            while _key(_renamed(unit.name, n)) in taken:
                n += 1
            new = _renamed(unit.name, n)
            taken.add(_key(new))
            renames.append({"unit_id": unit.id, "parent_id": parent_id, "old": unit.name,
                            "new": new})
    now = datetime.now(timezone.utc)
    for r in renames:
        state = conn.execute(sa.text(
            "UPDATE units SET name = :new, updated_at = :now, "
            "version = nextval('unit_version_seq') WHERE id = :id "
            "RETURNING id, parent_id, kind, name, path, version"),
            {"new": r["new"], "now": now, "id": r["unit_id"]}).mappings().one()
        conn.execute(sa.text(
            "INSERT INTO unit_name_renames (unit_id, parent_id, old_name, new_name, "
            "renamed_at) VALUES (:unit_id, :parent_id, :old, :new, :now)"), {**r, "now": now})
        conn.execute(sa.text(
            "INSERT INTO audit_log (id, at, actor_kind, action, entity, entity_id, path, "
            "detail) VALUES (:id, :now, 'system', 'unit.rename', 'unit', :unit, :path, "
            "CAST(:detail AS jsonb))"),
            {"id": new_id(), "now": now, "unit": r["unit_id"], "path": state["path"],
             "detail": json.dumps({"from": r["old"], "to": r["new"], "reason": REASON},
                                  ensure_ascii=False)})
        event_id = new_id()
        envelope = {"event_id": event_id, "type": "org.unit.renamed",
                    "occurred_at": now.isoformat(), "path": state["path"],
                    "request_id": None, "payload": dict(state)}
        conn.execute(sa.text(
            "INSERT INTO outbox (id, event_type, envelope) "
            "VALUES (:id, 'org.unit.renamed', CAST(:envelope AS jsonb))"),
            {"id": event_id, "envelope": json.dumps(envelope, ensure_ascii=False)})
        log.warning("unit %s (under %s) renamed %r -> %r: a sibling had the same name",
                    r["unit_id"], r["parent_id"], r["old"], r["new"])
    if renames:
        log.warning("%d units renamed for unique sibling names; see unit_name_renames",
                    len(renames))
    return renames


def upgrade():
    op.execute("CREATE OR REPLACE FUNCTION org_name_key(name text) RETURNS text "
               "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
               "$$ SELECT regexp_replace(normalize(name, NFKC), '\\s+', '', 'g') $$")
    op.add_column("units", sa.Column("retired_at", sa.DateTime(timezone=True)))
    op.add_column("units", sa.Column("retired_reason", sa.Text))
    op.add_column("units", sa.Column("name_key", sa.Text, sa.Computed("org_name_key(name)",
                                                                      persisted=True)))
    op.create_table(
        "unit_name_renames",
        sa.Column("unit_id", sa.String(36), primary_key=True),
        sa.Column("parent_id", sa.String(36)),
        sa.Column("old_name", sa.String(200), nullable=False),
        sa.Column("new_name", sa.String(200), nullable=False),
        sa.Column("renamed_at", sa.DateTime(timezone=True), nullable=False))
    _rename_duplicates(op.get_bind())
    op.execute("CREATE UNIQUE INDEX uq_units_sibling_name ON units (parent_id, name_key) "
               "WHERE retired_at IS NULL")


def downgrade():
    op.execute("DROP INDEX uq_units_sibling_name")
    op.drop_table("unit_name_renames")          # the renamed units keep their new names
    op.drop_column("units", "name_key")
    op.drop_column("units", "retired_reason")
    op.drop_column("units", "retired_at")
    op.execute("DROP FUNCTION org_name_key(text)")
