"""Use cases of promotion: a confirmed legal-literate person to grid worker, people's
assessor or people's mediator. The decision follows ``legal.domain.promotion`` (every
reason at once); a confirmed promotion takes effect in org — a grant of the role, or a
seat on the mediation committee — asked for by legal's own identity before anything is
written here (org away: 503, nothing written)."""
from __future__ import annotations

from sqlalchemy import exists, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.scope import ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_legal_contract.roles import JUDICIAL

from legal import places
from legal.domain import promotion as rules
from legal.domain.access import require
from legal.models import Agreement, Helper, Literate, Promotion, tables

ROLE_OF_TARGET = {"grid_worker": "grid_worker", "assessor": "assessor"}


def _view(p: Promotion) -> dict:
    return {"id": p.id, "literate_id": p.literate_id, "person_id": p.person_id,
            "target": p.target, "outcome": p.outcome, "reasons": rules.explain(p.reasons),
            "warnings": rules.explain(p.warnings), "unit_id": p.unit_id, "on": p.on,
            "decided_at": p.decided_at}


def _rostered_lawyer(session, person_id: str) -> bool:
    """The person sits on a duty roster as a lawyer (of any agreement)."""
    return session.execute(select(exists().where(
        Helper.person_id == person_id, Helper.kind == "lawyer",
        Agreement.helper_ids.any(Helper.id)))).scalar()


def promote(session, outbox, org, principal: Principal, data: dict) -> dict:
    lit = session.get(Literate, data["literate_id"])
    if lit is None:
        raise NotFound()
    ensure_visible(principal, lit.path)
    require(principal, JUDICIAL, lit.path)
    unit_id = data.get("unit_id") or lit.compound_id
    unit = places.require_unit(session, unit_id)
    ensure_visible(principal, unit["path"])
    on = data.get("on") or clock.today_local()
    target = data["target"]
    age = None
    if target == "assessor":
        age = org.person_facts(lit.person_id, on.isoformat()).get("age")
    decision = rules.decide(target, lit.status, age, data["disqualifications"],
                            data["held_roles"], data["senior_high"],
                            _rostered_lawyer(session, lit.person_id))
    outcome = "confirmed" if decision.eligible else "refused"
    if decision.eligible:          # in org first: if org refuses or is away, nothing here
        reason = data.get("reason") or f"法律明白人推选为{target}"
        if target == "mediator":
            org.seat_mediator(lit.person_id, unit_id, reason)
        else:
            org.grant_role(lit.person_id, ROLE_OF_TARGET[target], unit_id, reason)
    now = clock.now()
    p = Promotion(id=new_id(), literate_id=lit.id, person_id=lit.person_id, path=lit.path,
                  target=target, outcome=outcome, reasons=decision.reasons,
                  warnings=decision.warnings,
                  facts={"age": age, "disqualifications": data["disqualifications"],
                         "held_roles": data["held_roles"],
                         "senior_high": data["senior_high"]},
                  unit_id=unit_id, on=on, reason=data.get("reason"),
                  decided_by=principal.account_id, decided_at=now)
    session.add(p)
    outbox.emit(session, "promotion.decided", {
        "promotion_id": p.id, "literate_id": lit.id, "person_id": lit.person_id,
        "target": target, "outcome": outcome, "reasons": decision.reasons,
        "warnings": decision.warnings, "decided_at": clock.isoformat(now)}, lit.path)
    audit.record(session, tables.audit_log, principal, f"promotion.{outcome}", "promotion",
                 p.id, lit.path, {"target": target, "reasons": decision.reasons})
    session.flush()
    return _view(p)


def list_promotions(session, principal: Principal, data: dict) -> dict:
    stmt = select(Promotion).where(scope_clause(principal, Promotion.path))
    if data.get("literate_id"):
        stmt = stmt.where(Promotion.literate_id == data["literate_id"])
    page = paginate(session, stmt, [Promotion.id], data["cursor"],
                    data["limit"])
    return {**page, "items": [_view(p) for p in page["items"]]}
