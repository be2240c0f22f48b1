"""Participation scores: points per event by the rules of ``DELIBERATION_POINTS``, per
person and per household, and a ranking per compound (model households).

Fed by events (this service's own ballots, appeals and meetings, and, as other services
arrive, their activities and volunteering); each event gives its points once
(``source`` + person is unique, and the handlers are idempotent).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PUBLIC, ensure_visible

from deliberation import config
from deliberation.models import ScoreEntry


def award(session, compound_id: str, person_id: str | None, household_unit_id: str | None,
          reason: str, source: str) -> bool:
    """Give ``reason``'s points to a person for one event (once per source and person)."""
    points = int((config.POINTS.get() or {}).get(reason, 0))
    if not person_id or points <= 0:
        return False
    inserted = session.execute(insert(ScoreEntry).values(
        id=new_id(), compound_id=compound_id, person_id=person_id,
        household_unit_id=household_unit_id, reason=reason, points=points, source=source,
        created_at=clock.now()).on_conflict_do_nothing(constraint="uq_score_source_person")
        .returning(ScoreEntry.id)).scalar()
    return inserted is not None


def ranking(session, unit_tree, principal: Principal, data: dict) -> dict:
    from deliberation.matters import compound_path

    path = compound_path(session, unit_tree, principal, data["compound_id"])
    ensure_visible(principal, path, PUBLIC)
    key = ScoreEntry.household_unit_id if data["by"] == "household" else ScoreEntry.person_id
    rows = session.execute(
        select(key.label("who"), func.sum(ScoreEntry.points).label("points"))
        .where(ScoreEntry.compound_id == data["compound_id"], key.is_not(None))
        .group_by(key).order_by(func.sum(ScoreEntry.points).desc(), key)
        .limit(data["limit"])).all()
    field = "unit_id" if data["by"] == "household" else "person_id"
    return {"compound_id": data["compound_id"], "by": data["by"],
            "rows": [{"rank": n, field: r.who, "points": int(r.points)}
                     for n, r in enumerate(rows, start=1)]}


def my_score(session, principal: Principal) -> dict:
    principal.require_user()
    rows = session.execute(select(ScoreEntry.reason, func.sum(ScoreEntry.points))
                           .where(ScoreEntry.person_id == principal.person_id)
                           .group_by(ScoreEntry.reason)).all() if principal.person_id else []
    by_reason = {reason: int(points) for reason, points in rows}
    return {"person_id": principal.person_id, "points": sum(by_reason.values()),
            "by_reason": by_reason}
