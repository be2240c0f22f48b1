"""Use cases of the unit tree: create, rename, move, read, list, export.

Every unit has a ``version`` from the database sequence ``unit_version_seq`` (migration
0007), bumped on every change of the unit: created, renamed, moved — and for a move every
unit whose path changed. Rows are locked before their new version is drawn, so of two
changes of one unit the one that commits later has the larger version. Every unit event
carries the unit's whole state with its version (``_state``), and the export carries
versions too: other services' read models apply only newer state per unit
(``fazhi_shared.service.unittree``).
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, column, func, literal, literal_column, select, update)
from sqlalchemy import table as table_clause
from sqlalchemy.exc import IntegrityError

from fazhi_shared import clock
from fazhi_shared.context import STAFF_ROLES, Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import child_path
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.db import bulk_insert
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_org_contract.vocabulary import UNIT_KINDS

from org.domain import tree
from org.domain.names import name_key
from org.models import (Base, Ownership, Residency, ResidentClaim, Unit, load_ancestors,
                        tables)


# The version column (migration 0007), reached through a lightweight table: the ORM
# model does not map it (the database fills it in on insert).
_units = table_clause("units", column("id"), column("path"), column("version", BigInteger))
NEXT_VERSION = literal_column("nextval('unit_version_seq')", BigInteger)


def _state(unit: Unit, version: int) -> dict:
    """The unit's whole state: the payload every unit event starts from."""
    return {"id": unit.id, "parent_id": unit.parent_id, "kind": unit.kind, "name": unit.name,
            "path": unit.path, "version": version}


def _version_of(session, unit_id: str) -> int:
    return session.execute(select(_units.c.version).where(_units.c.id == unit_id)).scalar()


def _bump(session, unit_id: str) -> int:
    """A new version for a unit whose row this transaction has locked."""
    return session.execute(update(_units).where(_units.c.id == unit_id)
                           .values(version=NEXT_VERSION).returning(_units.c.version)).scalar()


def visible_unit(session, principal: Principal, unit_id: str, for_update=False,
                 for_share=False) -> Unit:
    """The unit if the caller may see it; 404 otherwise (never confirm it exists).

    Units are public inside a compound: residents see their own compound's tree.
    ``for_share`` locks the row against a concurrent move until the transaction ends.
    """
    stmt = select(Unit).where(Unit.id == unit_id)
    if for_update:
        stmt = stmt.with_for_update()
    elif for_share:
        stmt = stmt.with_for_update(read=True)
    unit = session.execute(stmt).scalar()
    if unit is None:
        raise NotFound()
    ensure_visible(principal, unit.path, PUBLIC)
    return unit


# -- sibling names ----------------------------------------------------------------------
SIBLING_NAME_INDEX = "uq_units_sibling_name"


def sibling_named(session, parent_id: str | None, name: str,
                  exclude_id: str | None = None) -> str | None:
    """The name of a live unit under ``parent_id`` whose name is ``name`` once both are
    normalised (``org.domain.names``; compared in SQL by ``org_name_key``), if any. The
    roots (cities, made by the system) have no parent and so no siblings."""
    if parent_id is None:
        return None
    stmt = select(Unit.name).where(Unit.parent_id == parent_id,
                                   Unit.name_key == func.org_name_key(name),
                                   Unit.retired_at.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Unit.id != exclude_id)
    return session.execute(stmt.limit(1)).scalar()


def name_taken(field: str, kind: str, name: str, existing: str) -> Conflict:
    """409 naming ``field``: a live sibling already has this name."""
    label_zh, label_en = UNIT_KINDS.label(kind), UNIT_KINDS.label(kind, "en")
    return Conflict(
        f"“{name}”与同一上级下的{label_zh}“{existing}”重名。",
        f"Another {label_en} under the same parent is already named {existing}.",
        fields={"zh": {field: [f"与同级的“{existing}”重名（全角、半角和空格不作区分）。"]},
                "en": {field: [f"Another unit under the same parent is named {existing} "
                               "(full-width or half-width characters and spaces make no "
                               "difference)."]}})


def _check_sibling_name(session, parent_id, kind, name, field="name", exclude_id=None):
    existing = sibling_named(session, parent_id, name, exclude_id)
    if existing is not None:
        raise name_taken(field, kind, name, existing)


def _write_named(session, kind: str, parent_id, name: str, exclude_id, write) -> None:
    """Run ``write`` (which gives a unit ``name``) and flush it in a savepoint: a sibling
    that took the name meanwhile — a concurrent request, caught by the unique index — is
    the same 409 as one found before."""
    savepoint = session.begin_nested()        # flushes what was pending before
    try:
        write()
        session.flush()
    except IntegrityError as exc:
        savepoint.rollback()
        if SIBLING_NAME_INDEX not in str(exc.orig):
            raise
        existing = sibling_named(session, parent_id, name, exclude_id) or name
        raise name_taken("name", kind, name, existing) from None
    savepoint.commit()


def create_unit(session, outbox, principal: Principal, data: dict) -> Unit:
    parent = None
    if data["parent_id"] is not None:
        # Shared lock: a concurrent move of the parent waits, or is waited for, so the new
        # unit's path is built from the parent's committed path.
        parent = visible_unit(session, principal, data["parent_id"], for_share=True)
    tree.check_child(parent.kind if parent else None, data["kind"])
    tree.require_unit_writer(principal, data["kind"], parent.path if parent else None)
    if parent is not None:
        ensure_live(parent, "parent_id")
    name = data["name"].strip()
    _check_sibling_name(session, parent.id if parent else None, data["kind"], name)
    now = clock.now()
    unit_id = new_id()
    unit = Unit(id=unit_id, parent_id=parent.id if parent else None, kind=data["kind"],
                name=name, path=child_path(parent.path if parent else None, unit_id),
                created_at=now, updated_at=now)
    _write_named(session, unit.kind, unit.parent_id, name, None, lambda: session.add(unit))
    audit.record(session, tables.audit_log, principal, "unit.create", "unit", unit.id, unit.path,
                 {"name": unit.name, "kind": unit.kind})
    unit.version = _version_of(session, unit.id)       # drawn by the column default
    outbox.emit(session, "unit.created", _state(unit, unit.version), unit.path)
    return unit


def rename_unit(session, outbox, principal: Principal, data: dict) -> Unit:
    unit = visible_unit(session, principal, data["id"], for_update=True)
    parent_path = unit.path.rsplit("/", 1)[0] or None
    tree.require_unit_writer(principal, unit.kind, parent_path)
    ensure_live(unit, "id")
    old = unit.name
    name = data["name"].strip()
    _check_sibling_name(session, unit.parent_id, unit.kind, name, exclude_id=unit.id)

    def write():
        unit.name = name
        unit.updated_at = clock.now()

    _write_named(session, unit.kind, unit.parent_id, name, unit.id, write)
    audit.record(session, tables.audit_log, principal, "unit.rename", "unit", unit.id, unit.path,
                 {"from": old, "to": unit.name})
    unit.version = _bump(session, unit.id)
    outbox.emit(session, "unit.renamed", _state(unit, unit.version), unit.path)
    return unit


def move_unit(session, outbox, principal: Principal, data: dict) -> Unit:
    unit = visible_unit(session, principal, data["id"], for_update=True)
    new_parent = visible_unit(session, principal, data["new_parent_id"])
    if unit.parent_id == new_parent.id:
        unit.version = _version_of(session, unit.id)
        return unit
    tree.check_move(unit.path, unit.kind, new_parent.path, new_parent.kind)
    old_parent_path = unit.path.rsplit("/", 1)[0] or None
    tree.require_unit_writer(principal, unit.kind, old_parent_path)
    tree.require_unit_writer(principal, unit.kind, new_parent.path)
    ensure_live(unit, "id")
    ensure_live(new_parent, "new_parent_id")
    _check_sibling_name(session, new_parent.id, unit.kind, unit.name, "new_parent_id",
                        exclude_id=unit.id)
    old_path, old_parent_id = unit.path, unit.parent_id
    new_path = child_path(new_parent.path, unit.id)
    # Lock the subtree, then draw one version for every unit whose path changes: a change
    # of any of them committed before this one got its version before ours.
    session.execute(select(_units.c.id).where(under(_units.c.path, old_path))
                    .with_for_update())
    version = session.execute(select(NEXT_VERSION)).scalar()
    # Rewrite the whole subtree's paths in one statement, inside this transaction.
    session.execute(update(_units).where(under(_units.c.path, old_path)).values(
        path=literal(new_path) + func.substr(_units.c.path, len(old_path) + 1),
        version=version))
    # Every record scoped by a path under the unit follows it (the audit log keeps history).
    for table in Base.metadata.sorted_tables:
        if table.name in ("units", "audit_log") or "path" not in table.c:
            continue
        session.execute(update(table).where(under(table.c.path, old_path)).values(
            path=literal(new_path) + func.substr(table.c.path, len(old_path) + 1)))
    session.execute(update(Unit).where(Unit.id == unit.id).values(
        parent_id=new_parent.id, updated_at=clock.now()),
        execution_options={"synchronize_session": False})
    session.expire(unit)
    audit.record(session, tables.audit_log, principal, "unit.move", "unit", unit.id, new_path,
                 {"from": old_path, "to": new_path})
    moved = session.get(Unit, unit.id)
    moved.version = version
    outbox.emit(session, "unit.moved", {
        **_state(moved, version), "old_path": old_path, "new_path": new_path,
        "old_parent_id": old_parent_id, "new_parent_id": new_parent.id}, new_path)
    return moved


# -- retirement -------------------------------------------------------------------------
RETIRABLE = ("building", "unit")


def ensure_live(unit: Unit, field: str) -> None:
    """409 naming ``field`` when the unit is retired: it takes no new records."""
    if unit.retired_at is not None:
        label = UNIT_KINDS.label(unit.kind)
        raise Conflict(f"{label}“{unit.name}”已停用，不能再登记或修改。",
                       f"The {UNIT_KINDS.label(unit.kind, 'en')} {unit.name} is retired; it "
                       "takes no new records.",
                       fields={"zh": {field: [f"{label}已停用。"]},
                               "en": {field: ["Retired."]}})


def _in_use(session, unit: Unit, today) -> list[tuple[str, str]]:
    """Why the unit (and, for a building, its units) cannot be retired now: current
    owners, residents, pending claims — ``[(zh, en)]``, empty when it can."""
    dwelling = unit.kind == "unit"
    checks = (
        (select(func.count(func.distinct(Ownership.unit_id))).where(
            under(Ownership.path, unit.path), Ownership.valid_to.is_(None)),
         "该房屋有在册业主，请先办理产权变更", "{n}户房屋有在册业主",
         "the unit has registered owners; transfer it first", "{n} of its units have owners"),
        (select(func.count(func.distinct(Residency.unit_id))).where(
            under(Residency.path, unit.path),
            (Residency.moved_out.is_(None)) | (Residency.moved_out > today)),
         "该房屋有在住住户，请先办理迁出", "{n}户房屋有在住住户",
         "people live in the unit; move them out first", "people live in {n} of its units"),
        (select(func.count(func.distinct(ResidentClaim.unit_id))).where(
            under(ResidentClaim.path, unit.path), ResidentClaim.status == "pending"),
         "该房屋有待确认的入住申请，请先处理", "{n}户房屋有待确认的入住申请",
         "the unit has pending residents' claims; decide them first",
         "{n} of its units have pending residents' claims"),
    )
    reasons = []
    for stmt, unit_zh, many_zh, unit_en, many_en in checks:
        n = session.execute(stmt).scalar()
        if n:
            reasons.append((unit_zh, unit_en) if dwelling else
                           (many_zh.format(n=n), many_en.format(n=n)))
    return reasons


def retire_unit(session, outbox, principal: Principal, data: dict) -> Unit:
    """Retire a building (with its units) or a dwelling that nobody owns, lives in or
    claims. It keeps its row and path (history, other services' records) but is hidden
    from lists, the electorate and workbooks, takes no new records and leaves its name
    free; ``org.unit.retired`` carries each retired unit's state with a new version."""
    unit = visible_unit(session, principal, data["id"], for_update=True)
    if unit.kind not in RETIRABLE:
        raise ValidationFailed.for_field("id", "只有楼栋和房屋可以停用。",
                                         "Only buildings and dwellings can be retired.")
    tree.require_unit_writer(principal, unit.kind, unit.path.rsplit("/", 1)[0] or None)
    label = UNIT_KINDS.label(unit.kind)
    if unit.retired_at is not None:
        raise Conflict(f"{label}“{unit.name}”已停用。",
                       f"{unit.name} is already retired.")
    # Lock the live subtree: a concurrent change of any of its units waits for this one.
    subtree = session.execute(select(Unit.id).where(
        under(Unit.path, unit.path), Unit.retired_at.is_(None)).with_for_update()).scalars().all()
    reasons = _in_use(session, unit, clock.today_local())
    if reasons:
        raise Conflict(f"{label}“{unit.name}”不能停用：" + "；".join(zh for zh, _ in reasons) + "。",
                       f"{unit.name} cannot be retired: " + "; ".join(en for _, en in reasons)
                       + ".")
    now, reason = clock.now(), data["reason"].strip()
    retired = session.execute(
        update(Unit).where(Unit.id.in_(subtree))
        .values(retired_at=now, retired_reason=reason, updated_at=now, version=NEXT_VERSION)
        .returning(Unit.id, Unit.parent_id, Unit.kind, Unit.name, Unit.path, Unit.version),
        execution_options={"synchronize_session": False}).all()
    entries, events = [], []
    for r in retired:
        state = {"id": r.id, "parent_id": r.parent_id, "kind": r.kind, "name": r.name,
                 "path": r.path, "version": r.version, "retired_at": clock.isoformat(now)}
        entries.append(audit.entry(principal, "unit.retire", "unit", r.id, r.path,
                                   {"reason": reason, "with": unit.id}))
        events.append(outbox.row("unit.retired", state, r.path))
    bulk_insert(session, tables.audit_log, entries)
    outbox.emit_rows(session, events)
    session.expire(unit)
    return session.get(Unit, unit.id)


def list_units(session, principal: Principal, data: dict) -> dict:
    """Units the caller may see, by name; children of ``parent_id`` and/or of ``kind``,
    named like ``q``; retired ones only with ``include_retired``."""
    stmt = select(Unit).where(scope_clause(principal, Unit.path, visibility_col=literal(PUBLIC)))
    if data.get("parent_id"):
        visible_unit(session, principal, data["parent_id"])
        stmt = stmt.where(Unit.parent_id == data["parent_id"])
    if data.get("kind"):
        stmt = stmt.where(Unit.kind == data["kind"])
    if not data.get("include_retired"):
        stmt = stmt.where(Unit.retired_at.is_(None))
    if data.get("q"):
        # Compared as sibling names are (org.domain.names): "９幢" finds "9 幢".
        stmt = stmt.where(Unit.name_key.contains(name_key(data["q"]), autoescape=True))
    page = paginate(session, stmt, [Unit.name, Unit.id], data.get("cursor"), data["limit"])
    load_ancestors(session, page["items"])       # names beside ids: one query a page
    return page


def export_units(session, principal: Principal, data: dict) -> dict:
    """The (sub)tree for other services' read models, in id order, with versions."""
    if not principal.is_system:
        principal.require_role("city_admin", "auditor")
    stmt = select(Unit.id, Unit.parent_id, Unit.kind, Unit.name, Unit.path, Unit.created_at,
                  Unit.updated_at, Unit.retired_at,
                  literal_column("units.version", BigInteger).label("version")) \
        .where(scope_clause(principal, Unit.path, staff_roles=STAFF_ROLES))
    if data.get("root_id"):
        root = visible_unit(session, principal, data["root_id"])
        stmt = stmt.where(under(Unit.path, root.path))
    return paginate(session, stmt, [Unit.id], data.get("cursor"), data["limit"])
