"""Events, handled thinly and idempotently (``fazhi_shared.service.events``).

org's unit events keep the unit-tree read model (``self.unit_tree``, bootstrapped from
org's ``export_units`` on first start) up to date; records keep their paths through a
move (matters, appeals, meetings and ballots carry the compound's or a unit's path).
This service's own ballots, appeals and meetings give participation points. Each handler
runs in one transaction that records the event id, so a redelivered event takes effect
once; a failing one ends in its queue's DLQ.
"""
from __future__ import annotations

from fazhi_shared.service.events import handle_event, idempotent
from fazhi_shared.service.unittree import UnitTreeHandlers as SharedUnitTreeHandlers

from deliberation import scores
from deliberation.models import Appeal, Ballot, Matter, Meeting, Proposal, RollObjection


class UnitTreeHandlers(SharedUnitTreeHandlers):
    """Mixed into ``DeliberationService``: org's unit events (the shared handlers); on a
    move every record on the unit or below follows."""

    moved_paths = tuple(model.__table__.c.path
                        for model in (Matter, Ballot, RollObjection, Proposal, Appeal, Meeting))


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
