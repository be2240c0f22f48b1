"""The case log on the database: append under the per-case lock, read, and check.

An append locks the case's chain-head row (``SELECT … FOR UPDATE`` on
``case_chain_heads``), so two actions on one case never both build on the same head:
the second waits for the first to commit and chains onto it. The head row is created
with the case (sequence 0), so even the first append takes the lock.
"""
from __future__ import annotations

from sqlalchemy import insert, select, update

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id

from disputes.domain.evidence import GENESIS, chain_entry, check_chain
from disputes.models import CaseChainHead, CaseLogEntry


def start_chain(session, case_id: str) -> None:
    session.execute(insert(CaseChainHead).values(case_id=case_id, seq=0, hash=GENESIS))


def append(session, case_id: str, principal: Principal, action: str,
           detail: dict | None = None) -> dict:
    """Append one entry to the case's log in the caller's transaction."""
    head = session.execute(select(CaseChainHead.seq, CaseChainHead.hash)
                           .where(CaseChainHead.case_id == case_id).with_for_update()).one()
    prev = (head.seq, head.hash) if head.seq else None
    entry = chain_entry(prev, {
        "case_id": case_id, "at": clock.now(), "action": action,
        "actor_kind": principal.kind, "actor_account_id": principal.account_id,
        "actor_person_id": principal.person_id, "detail": detail or {}})
    session.execute(insert(CaseLogEntry).values(id=new_id(), **entry))
    session.execute(update(CaseChainHead).where(CaseChainHead.case_id == case_id)
                    .values(seq=entry["seq"], hash=entry["hash"]))
    return entry


def entries(session, case_id: str) -> list[dict]:
    rows = session.execute(select(CaseLogEntry).where(CaseLogEntry.case_id == case_id)
                           .order_by(CaseLogEntry.seq)).scalars()
    return [{c: getattr(r, c) for c in ("case_id", "seq", "at", "action", "actor_kind",
                                        "actor_account_id", "actor_person_id", "detail",
                                        "prev_hash", "hash")} for r in rows]


def check(session, case_id: str) -> dict:
    """The chain check of one case: ok, or the first bad entry and why."""
    head = session.execute(select(CaseChainHead.seq, CaseChainHead.hash)
                           .where(CaseChainHead.case_id == case_id)).first()
    result = check_chain(entries(session, case_id),
                         (head.seq, head.hash) if head and head.seq else None)
    return {"case_id": case_id, "ok": result.ok, "entries": result.entries,
            "first_bad_seq": result.first_bad_seq, "reason": result.reason}
