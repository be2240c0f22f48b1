"""Use cases of legal-literate persons (法律明白人): intake, assessment, decision,
buildings, coverage, the public profile and the name card.

Each takes the session (and the outbox when it writes) from the RPC method and never
commits (``@endpoint`` does). Rules come from ``legal.domain``.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_legal_contract.roles import COVERAGE_READERS, JUDICIAL, NOMINATORS

from legal import places
from legal.domain import people
from legal.domain.access import require
from legal.models import Literate, LiterateBuilding, tables


def _view(session, lit: Literate) -> dict:
    building_ids = session.execute(select(LiterateBuilding.building_id).where(
        LiterateBuilding.literate_id == lit.id)).scalars().all()
    name_of = places.names(session, [*building_ids, lit.compound_id])
    buildings = sorted(({"id": b, "name": name_of.get(b, "")} for b in building_ids),
                       key=lambda b: b["name"])
    return {**{c: getattr(lit, c) for c in (
        "id", "person_id", "name", "compound_id", "path", "pool", "nomination",
        "nominated_by", "status", "duties", "contact_route", "assessment_note",
        "rejection_reason", "confirmed_at", "created_at")},
        "compound_name": name_of.get(lit.compound_id), "buildings": buildings}


def _get(session, principal: Principal, literate_id: str, lock: bool = False) -> Literate:
    stmt = select(Literate).where(Literate.id == literate_id)
    lit = session.execute(stmt.with_for_update() if lock else stmt).scalar()
    if lit is None:
        raise NotFound()
    ensure_visible(principal, lit.path)
    return lit


def nominate(session, outbox, org, principal: Principal, data: dict) -> dict:
    compound = places.compound(session, data["compound_id"])
    require(principal, NOMINATORS, compound["path"])
    buildings = places.buildings_of(session, compound, data["building_ids"])
    person = org.person(data["person_id"])
    if person is None:
        raise ValidationFailed.for_field("person_id", "找不到该人员。", "No such person.")
    if session.execute(select(Literate.id).where(
            Literate.person_id == data["person_id"],
            Literate.compound_id == compound["id"], Literate.status != "rejected")).first():
        raise Conflict("该人员已是本小区的法律明白人或正在考核。",
                       "This person is already taken in for this compound.")
    lit = Literate(id=new_id(), person_id=data["person_id"], name=person["name"],
                   compound_id=compound["id"], path=compound["path"], pool=data["pool"],
                   nomination=data["nomination"], nominated_by=data.get("nominated_by"),
                   status="nominated", duties=data.get("duties"),
                   contact_route=people.mask_personal_numbers(data.get("contact_route")),
                   created_at=clock.now())
    session.add(lit)
    session.flush()
    for b in buildings:
        session.add(LiterateBuilding(literate_id=lit.id, building_id=b["id"]))
    audit.record(session, tables.audit_log, principal, "literate.nominate", "literate",
                 lit.id, lit.path, {"pool": lit.pool, "nomination": lit.nomination})
    session.flush()
    return _view(session, lit)


def assess(session, principal: Principal, data: dict) -> dict:
    lit = _get(session, principal, data["id"], lock=True)
    require(principal, JUDICIAL, lit.path)
    lit.status = people.next_status(lit.status, "assessing")
    if data.get("note"):
        lit.assessment_note = people.mask_personal_numbers(data["note"])
    audit.record(session, tables.audit_log, principal, "literate.assess", "literate", lit.id,
                 lit.path)
    session.flush()
    return _view(session, lit)


def decide(session, outbox, principal: Principal, data: dict) -> dict:
    lit = _get(session, principal, data["id"], lock=True)
    require(principal, JUDICIAL, lit.path)
    lit.status = people.decision_status(lit.status, data["confirm"], data.get("reason"))
    now = clock.now()
    if lit.status == "confirmed":
        lit.confirmed_at = now
        building_ids = session.execute(select(LiterateBuilding.building_id).where(
            LiterateBuilding.literate_id == lit.id)).scalars().all()
        outbox.emit(session, "person.confirmed", {
            "literate_id": lit.id, "person_id": lit.person_id, "compound_id": lit.compound_id,
            "building_ids": sorted(building_ids), "confirmed_at": clock.isoformat(now)},
            lit.path)
    else:
        lit.rejection_reason = people.mask_personal_numbers(data["reason"].strip())
    audit.record(session, tables.audit_log, principal, f"literate.{lit.status}", "literate",
                 lit.id, lit.path)
    session.flush()
    return _view(session, lit)


def assign_buildings(session, principal: Principal, data: dict) -> dict:
    lit = _get(session, principal, data["id"], lock=True)
    require(principal, NOMINATORS, lit.path)
    compound = places.compound(session, lit.compound_id)
    buildings = places.buildings_of(session, compound, data["building_ids"])
    session.execute(delete(LiterateBuilding).where(LiterateBuilding.literate_id == lit.id))
    for b in buildings:
        session.add(LiterateBuilding(literate_id=lit.id, building_id=b["id"]))
    audit.record(session, tables.audit_log, principal, "literate.buildings", "literate",
                 lit.id, lit.path, {"building_ids": [b["id"] for b in buildings]})
    session.flush()
    return _view(session, lit)


def get(session, principal: Principal, data: dict) -> dict:
    return _view(session, _get(session, principal, data["id"]))


def list_literates(session, principal: Principal, data: dict) -> dict:
    stmt = select(Literate).where(scope_clause(principal, Literate.path))
    if data.get("unit_id"):
        unit = places.require_unit(session, data["unit_id"])
        ensure_visible(principal, unit["path"])
        stmt = stmt.where(under(Literate.path, unit["path"]))
    if data.get("status"):
        stmt = stmt.where(Literate.status == data["status"])
    page = paginate(session, stmt, [Literate.id], data["cursor"],
                    data["limit"])
    return {**page, "items": [_view(session, lit) for lit in page["items"]]}


def profile(session, data: dict) -> dict:
    """Anyone's view of a confirmed person (the QR code on the door opens it)."""
    lit = session.execute(select(Literate).where(Literate.id == data["id"],
                                                 Literate.status == "confirmed")).scalar()
    if lit is None:
        raise NotFound()
    view = _view(session, lit)
    return {k: view[k] for k in ("id", "name", "compound_name", "buildings", "duties",
                                 "contact_route", "pool")}


def coverage(session, principal: Principal, data: dict, target: int) -> dict:
    """Buildings of the compounds under a unit that no confirmed person covers, and each
    community's count against the national target."""
    unit = places.require_unit(session, data["unit_id"],
                               ("city", "street", "community", "compound"))
    require(principal, COVERAGE_READERS, unit["path"])
    compounds = ([unit] if unit["kind"] == "compound"
                 else places.below(session, unit["path"], "compound"))
    covered = set(session.execute(
        select(LiterateBuilding.building_id).join(
            Literate, Literate.id == LiterateBuilding.literate_id)
        .where(Literate.status == "confirmed", under(Literate.path, unit["path"]))
    ).scalars().all())
    out = []
    for c in compounds:
        buildings = places.below(session, c["path"], "building")
        missing = people.uncovered(buildings, covered)
        out.append({"compound_id": c["id"], "compound_name": c["name"],
                    "buildings": len(buildings), "covered": len(buildings) - len(missing),
                    "uncovered": [{"id": b["id"], "name": b["name"]} for b in missing]})
    if unit["kind"] in ("compound", "community"):
        community = places.unit(session, unit["path"].split("/")[3])
        communities = [community] if community else []
    else:
        communities = places.below(session, unit["path"], "community")
    community_rows = []
    for cm in communities:
        n = session.execute(select(func.count()).select_from(Literate).where(
            Literate.status == "confirmed", under(Literate.path, cm["path"]))).scalar()
        community_rows.append({"community_id": cm["id"], "community_name": cm["name"],
                               "confirmed": n, "target": target,
                               "meets_target": people.meets_target(n, target)})
    return {"unit_id": unit["id"], "compounds": out, "communities": community_rows,
            "buildings_without": sum(len(c["uncovered"]) for c in out),
            "target_per_community": target}


def name_card_document(session, principal: Principal, data: dict, base_url: str):
    """The name card to print (a ``PdfDocument``, rendered off the event loop by the
    caller): name, buildings, duties, a contact route without the full phone number, and
    a QR code opening the public profile."""
    from fazhi_shared.service.pdf import PdfDocument

    lit = _get(session, principal, data["id"])
    require(principal, NOMINATORS, lit.path)
    if lit.status != "confirmed":
        raise Conflict("只有已确认的法律明白人才能打印名片。",
                       "Only a confirmed person has a name card.")
    view = _view(session, lit)
    url = profile_url(base_url, lit.id)
    doc = PdfDocument(title=f"法律明白人 {lit.name}", pagesize="A6")
    doc.heading("法律明白人", level=1)
    doc.heading(lit.name, level=2)
    doc.paragraph(f"小区：{view['compound_name'] or ''}")
    doc.paragraph("服务楼栋：" + ("、".join(b["name"] for b in view["buildings"]) or "—"))
    doc.paragraph("职责：" + (lit.duties or "收集社情民意、宣传法律政策、协助化解纠纷、引导依法办事"))
    doc.paragraph("联系方式：" + (lit.contact_route or "请通过物业服务中心联系"))
    doc.qr(url, size_mm=28)
    doc.paragraph("扫码查看个人主页")
    audit.record(session, tables.audit_log, principal, "literate.name_card", "literate",
                 lit.id, lit.path)
    return doc, f"法律明白人名片-{lit.name}.pdf"


def profile_url(base_url: str, literate_id: str) -> str:
    return f"{base_url.rstrip('/')}/h5/legal/people/{literate_id}"
