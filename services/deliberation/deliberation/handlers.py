"""Events, handled thinly and idempotently (``fazhi_shared.service.events``).

org's unit events keep the unit-tree read model (``self.unit_tree``, bootstrapped from
org's ``export_units`` on first start) up to date; records keep their paths through a
move (matters, appeals, meetings and ballots carry the compound's or a unit's path).
This service's own ballots, appeals and meetings give participation points. Each handler
runs in one transaction that records the event id, so a redelivered event takes effect
once; a failing one ends in its queue's DLQ.
"""
from __future__ import annotations

from sqlalchemy import func, literal, update

from fazhi_shared.service.events import handle_event, idempotent
from fazhi_shared.service.scope import under

from deliberation import scores
from deliberation.models import Appeal, Ballot, Matter, Meeting, Proposal, RollObjection


def move_paths(session, old_path: str, new_path: str) -> None:
    """org moved a unit: every record on it or below follows."""
    for model in (Matter, Ballot, RollObjection, Proposal, Appeal, Meeting):
        t = model.__table__
        session.execute(update(t).where(under(t.c.path, old_path)).values(
            path=literal(new_path) + func.substr(t.c.path, len(old_path) + 1)))


class UnitTreeHandlers:
    """Mixed into ``DeliberationService`` (which provides ``db``, ``unit_tree`` and ``tables``)."""

    @handle_event("org", "unit.created", publisher="org")
    @idempotent
    def on_unit_created(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.renamed", publisher="org")
    @idempotent
    def on_unit_renamed(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.moved", publisher="org")
    @idempotent
    def on_unit_moved(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)
        payload = envelope["payload"]
        move_paths(session, payload["old_path"], payload["new_path"])


class ScoreHandlers:
    """Participation points from this service's own events."""

    @handle_event("deliberation", "ballot.cast", publisher="deliberation")
    @idempotent
    def on_ballot_cast(self, session, envelope, principal):
        p = envelope["payload"]
        scores.award(session, p["compound_id"], p.get("voter_person_id"),
                     p.get("household_unit_id"), "vote", f"vote:{p['matter_id']}")

    @handle_event("deliberation", "appeal.submitted", publisher="deliberation")
    @idempotent
    def on_appeal_submitted(self, session, envelope, principal):
        p = envelope["payload"]
        scores.award(session, p["compound_id"], p.get("person_id"), p.get("household_unit_id"),
                     "appeal", f"appeal:{p['appeal_id']}")

    @handle_event("deliberation", "meeting.recorded", publisher="deliberation")
    @idempotent
    def on_meeting_recorded(self, session, envelope, principal):
        p = envelope["payload"]
        for person in p["participants"]:
            scores.award(session, p["compound_id"], person.get("person_id"),
                         person.get("household_unit_id"), "meeting", f"meeting:{p['meeting_id']}")
