"""Use cases of a compound's published lists and owners' conventions: each publication
is a new version (every earlier one kept and readable), stamped with its time, and
visible to the compound's residents (the notice board)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate

from fazhi_legal_contract.roles import PUBLISHERS

from legal import places
from legal.paging import number_key, number_text
from legal.domain.access import require
from legal.models import Convention, ServiceList, tables

LIST_COLS = ("id", "compound_id", "kind", "version", "items", "published_at", "published_by")
CONVENTION_COLS = ("id", "compound_id", "version", "title", "text", "adopted_by_matter_id",
                   "adopted_on", "published_at")


def _row(obj, cols) -> dict:
    return {c: getattr(obj, c) for c in cols}


def _next_version(session, model, *where) -> int:
    return (session.execute(select(func.max(model.version)).where(*where)).scalar() or 0) + 1


def _insert(session, obj) -> None:
    try:
        with session.begin_nested():
            session.add(obj)
            session.flush()
    except IntegrityError:
        raise Conflict("同时有另一版本发布，请刷新后重试。",
                       "Another version was published at the same time; try again.") from None


def publish_list(session, principal: Principal, data: dict) -> dict:
    compound = places.compound(session, data["compound_id"])
    require(principal, PUBLISHERS, compound["path"])
    version = _next_version(session, ServiceList, ServiceList.compound_id == compound["id"],
                            ServiceList.kind == data["kind"])
    row = ServiceList(id=new_id(), compound_id=compound["id"], path=compound["path"],
                      kind=data["kind"], version=version,
                      items=[{"title": i["title"].strip(), "detail": i.get("detail")}
                             for i in data["items"]],
                      published_at=clock.now(), published_by=principal.account_id)
    _insert(session, row)
    audit.record(session, tables.audit_log, principal, "list.publish", "service_list", row.id,
                 row.path, {"kind": row.kind, "version": version})
    return _row(row, LIST_COLS)


def _visible_compound(session, principal, compound_id) -> dict:
    compound = places.compound(session, compound_id)
    ensure_visible(principal, compound["path"], PUBLIC)
    return compound


def get_list(session, principal: Principal, data: dict) -> dict:
    compound = _visible_compound(session, principal, data["compound_id"])
    stmt = select(ServiceList).where(ServiceList.compound_id == compound["id"],
                                     ServiceList.kind == data["kind"])
    if data.get("version"):
        stmt = stmt.where(ServiceList.version == data["version"])
    row = session.execute(stmt.order_by(ServiceList.version.desc()).limit(1)).scalar()
    if row is None:
        raise NotFound()
    return _row(row, LIST_COLS)


def list_versions(session, principal: Principal, data: dict) -> dict:
    compound = _visible_compound(session, principal, data["compound_id"])
    stmt = select(ServiceList).where(ServiceList.compound_id == compound["id"],
                                     ServiceList.kind == data["kind"])
    page = paginate(session, stmt, [number_key(ServiceList.version)], data["cursor"],
                    data["limit"], row_key=lambda r: [number_text(r.version)])
    return {**page, "items": [_row(r, LIST_COLS) for r in page["items"]]}


def publish_convention(session, principal: Principal, data: dict) -> dict:
    compound = places.compound(session, data["compound_id"])
    require(principal, PUBLISHERS, compound["path"])
    version = _next_version(session, Convention, Convention.compound_id == compound["id"])
    row = Convention(id=new_id(), compound_id=compound["id"], path=compound["path"],
                     version=version, title=data["title"].strip(), text=data["text"],
                     adopted_by_matter_id=data["adopted_by_matter_id"].strip(),
                     adopted_on=data["adopted_on"], published_at=clock.now(),
                     published_by=principal.account_id)
    _insert(session, row)
    audit.record(session, tables.audit_log, principal, "convention.publish", "convention",
                 row.id, row.path, {"version": version,
                                    "adopted_by_matter_id": row.adopted_by_matter_id})
    return _row(row, CONVENTION_COLS)


def get_convention(session, principal: Principal, data: dict) -> dict:
    compound = _visible_compound(session, principal, data["compound_id"])
    stmt = select(Convention).where(Convention.compound_id == compound["id"])
    if data.get("version"):
        stmt = stmt.where(Convention.version == data["version"])
    row = session.execute(stmt.order_by(Convention.version.desc()).limit(1)).scalar()
    if row is None:
        raise NotFound()
    return _row(row, CONVENTION_COLS)


def list_conventions(session, principal: Principal, data: dict) -> dict:
    compound = _visible_compound(session, principal, data["compound_id"])
    stmt = select(Convention).where(Convention.compound_id == compound["id"])
    page = paginate(session, stmt, [number_key(Convention.version)], data["cursor"],
                    data["limit"], row_key=lambda r: [number_text(r.version)])
    return {**page, "items": [_row(r, CONVENTION_COLS) for r in page["items"]]}
