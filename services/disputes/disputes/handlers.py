"""Other services' events, handled thinly and idempotently (``fazhi_shared.service.events``).

- org's unit events keep the unit-tree read model up to date (a move also rewrites the
  paths of this service's cases), taken from org only (``publisher="org"``);
- ``legal.consultation.escalated`` and ``deliberation.appeal.referred`` register a case
  (source ``consultation`` / ``appeal``), once: the handler records the event id, and the
  case's (source, source_ref) is unique, so a redelivered or replayed event registers
  nothing more. The case's place is looked up in this service's own read model (the
  event's path is only a hint); a unit not known yet fails the handler, which is retried.
"""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared.errors import NotFound
from fazhi_shared.paths import ids
from fazhi_shared.service.events import handle_event, idempotent
from fazhi_shared.service.unittree import UnitTreeHandlers

from fazhi_deliberation_contract.schemas import AppealReferred
from fazhi_legal_contract.schemas import ConsultationEscalated

from disputes import cases
from disputes.models import Case

# What a consultation's topic or an appeal's category is as a dispute category.
TOPIC_CATEGORIES = {
    "property_management": "property", "neighbours": "neighbours",
    "marriage_family": "marriage_family", "inheritance": "marriage_family",
    "housing": "housing", "labour": "labour", "contract": "contract",
    "personal_injury": "damages", "consumer": "consumer", "owners_decisions": "property",
}
APPEAL_CATEGORIES = {
    "property_service": "property", "environment": "pollution", "parking": "property",
    "safety": "property", "facilities": "property", "fees": "property",
    "neighbours": "neighbours",
}
APPEAL_SUBTYPES = {"parking": "parking", "fees": "unpaid_fees"}


class InboundHandlers(UnitTreeHandlers):
    """Mixed into ``DisputesService`` (which provides ``db``, ``unit_tree``, ``outbox``);
    org's unit events come from the shared :class:`UnitTreeHandlers`."""

    def units_moved(self, session, old_path, new_path):
        cases.move_cases(session, old_path, new_path)

    @handle_event("legal", "consultation.escalated", publisher="legal")
    @idempotent
    def on_consultation_escalated(self, session, envelope, principal):
        p = ConsultationEscalated().load(envelope["payload"])
        return register_inbound(self, session, principal, "consultation",
                                p["consultation_id"], p, TOPIC_CATEGORIES.get(p["topic"]),
                                None)

    @handle_event("deliberation", "appeal.referred", publisher="deliberation")
    @idempotent
    def on_appeal_referred(self, session, envelope, principal):
        p = AppealReferred().load(envelope["payload"])
        return register_inbound(self, session, principal, "appeal", p["appeal_id"], p,
                                APPEAL_CATEGORIES.get(p["category"]),
                                APPEAL_SUBTYPES.get(p["category"]))


def register_inbound(service, session, principal, source: str, ref: str, p: dict,
                     category: str | None, subtype: str | None):
    """A case from another service's event, once per (source, ref)."""
    if session.execute(select(Case.id).where(Case.source == source,
                                             Case.source_ref == ref)).first():
        return "exists"
    path = None
    for unit_id in reversed(ids(p["path"])):
        path = service.unit_tree.path_of(session, unit_id)
        if path:
            break
    path = path or service.unit_tree.path_of(session, p["compound_id"])
    if path is None:
        raise NotFound("纠纷地点未知。", f"unit of {source} {ref} not in the read model yet")
    parties = [{"person_id": p["person_id"], "role": "applicant"}] if p.get("person_id") else []
    names = cases.party_names(service.calls, [x["person_id"] for x in parties])
    case = cases.register(session, service.outbox, service.unit_tree, principal, {
        "source": source, "category": category or "other", "subtype": subtype,
        "description": p["summary"], "urgency": "normal", "risk_flags": [],
        "parties": parties}, source_ref=ref, path=path, names=names)
    return case.id
