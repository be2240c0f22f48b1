"""The deliberation service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``); ``calls`` reaches org, as this service itself for
org's electorate (``policy.Org``). Rules live in ``deliberation.domain``, use cases in the
modules beside this one; nothing else belongs here.
"""
from __future__ import annotations

import logging

from nameko.timer import timer

from fazhi_shared.service.calls import ServiceCalls
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_deliberation_contract import CONTRACT
from fazhi_deliberation_contract import schemas as s

from deliberation import appeals, ballots, documents, matters, meetings, scores
from deliberation.config import DATABASE_URL, OVERDUE_CHECK_SECONDS, SETTINGS
from deliberation.handlers import ScoreHandlers, UnitTreeHandlers
from deliberation.models import tables
from deliberation.policy import Org


log = logging.getLogger(__name__)


class DeliberationService(Service, UnitTreeHandlers, ScoreHandlers):
    name = "deliberation"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT
    calls = ServiceCalls()

    def org(self, caller) -> Org:
        return Org(self.calls, caller)

    # -- matters ------------------------------------------------------------------------
    @endpoint(s.MatterCreate, s.Matter)
    def create_matter(self, caller, data):
        """Prepare a matter (a draft until notice)."""
        return matters.create_matter(self.db, self.unit_tree, caller, data)

    @endpoint(s.MatterList, s.Matter, many=True, readonly=True)
    def list_matters(self, caller, data):
        return matters.list_matters(self.db, self.unit_tree, caller, data)

    @endpoint(s.MatterRef, s.Matter, readonly=True)
    def get_matter(self, caller, data):
        return matters.get_matter(self.db, caller, data)

    @endpoint(s.NoticeGive, s.Matter)
    def give_notice(self, caller, data):
        """Give notice, freezing org's electorate; emits ``deliberation.matter.noticed``."""
        return matters.give_notice(self.db, self.outbox, self.org(caller), caller, data)

    @endpoint(s.VotingOpen, s.Matter)
    def open_voting(self, caller, data):
        """Open voting after the notice period; emits ``deliberation.matter.opened``."""
        return matters.open_voting(self.db, self.outbox, caller, data)

    @endpoint(s.VoteClose, s.MatterResult)
    def close_vote(self, caller, data):
        """Count and close; emits ``deliberation.matter.closed`` with the aggregates."""
        return matters.close_vote(self.db, self.outbox, caller, data)

    @endpoint(s.MatterRef, s.Turnout, readonly=True)
    def turnout(self, caller, data):
        return matters.turnout(self.db, caller, data)

    @endpoint(s.MatterRef, s.MatterResult, readonly=True)
    def get_result(self, caller, data):
        return matters.get_result(self.db, caller, data)

    @endpoint(s.VoterRollList, s.VoterRollEntry, many=True, readonly=True)
    def voter_roll(self, caller, data):
        return matters.voter_roll(self.db, caller, data)

    @endpoint(s.ObjectionCreate, s.Objection)
    def object_to_roll(self, caller, data):
        return matters.object_to_roll(self.db, caller, data)

    @endpoint(s.ObjectionList, s.Objection, many=True, readonly=True)
    def list_objections(self, caller, data):
        return matters.list_objections(self.db, caller, data)

    @endpoint(s.ObjectionDecide, s.Objection)
    def decide_objection(self, caller, data):
        return matters.decide_objection(self.db, caller, data)

    @endpoint(s.ProposalCreate, s.ProposalTally)
    def record_proposal(self, caller, data):
        return matters.record_proposal(self.db, self.unit_tree, self.org(caller), caller, data)

    @endpoint(s.DeliberationCompoundRef, s.ProposalTally, readonly=True)
    def proposal_tally(self, caller, data):
        return matters.proposal_tally(self.db, self.unit_tree, self.org(caller), caller, data)

    # -- ballots ------------------------------------------------------------------------
    @endpoint(s.BallotCast, s.MyBallots)
    def cast_ballot(self, caller, data):
        """Cast or replace (while open) a ballot; emits ``deliberation.ballot.cast``."""
        return ballots.cast_ballot(self.db, self.outbox, caller, data)

    @endpoint(s.MatterRef, s.MyBallots)
    def my_ballots(self, caller, data):
        """The caller's own ballots (the read is audited)."""
        return ballots.my_ballots(self.db, caller, data)

    @endpoint(s.BallotRef, s.Ballot)
    def get_ballot(self, caller, data):
        """One ballot, for its owner's voter or an auditor (audited)."""
        return ballots.get_ballot(self.db, caller, data)

    @endpoint(s.BallotList, s.Ballot, many=True)
    def list_ballots(self, caller, data):
        """Every ballot of a matter, for auditors (audited)."""
        return ballots.list_ballots(self.db, caller, data)

    @endpoint(s.ReceiptCheck, s.Receipt, readonly=True)
    def check_receipt(self, caller, data):
        return ballots.check_receipt(self.db, caller, data)

    # -- documents (PDF) -----------------------------------------------------------------
    @endpoint(s.MatterRef, s.MatterFile, readonly=True)
    def notice_pdf(self, caller, data):
        return documents.notice_pdf(self.db, caller, data)

    @endpoint(s.MatterRef, s.MatterFile)
    def paper_ballots_pdf(self, caller, data):
        """A paper ballot per owner, each with its code (printing is audited)."""
        return documents.paper_ballots_pdf(self.db, caller, data)

    @endpoint(s.MatterRef, s.MatterFile, readonly=True)
    def result_pdf(self, caller, data):
        return documents.result_pdf(self.db, caller, data)

    # -- appeals and the mirror ---------------------------------------------------------
    @endpoint(s.AppealSubmit, s.Appeal)
    def submit_appeal(self, caller, data):
        """A resident's appeal; emits ``deliberation.appeal.submitted``."""
        return appeals.submit_appeal(self.db, self.outbox, self.unit_tree, caller, data)

    @endpoint(s.AppealList, s.Appeal, many=True, readonly=True)
    def list_appeals(self, caller, data):
        return appeals.list_appeals(self.db, caller, data)

    @endpoint(s.AppealRef, s.Appeal, readonly=True)
    def get_appeal(self, caller, data):
        return appeals.get_appeal(self.db, caller, data)

    @endpoint(s.AppealAssign, s.Appeal)
    def assign_appeal(self, caller, data):
        """Assign with a reply deadline in working days; ``deliberation.appeal.assigned``."""
        return appeals.assign_appeal(self.db, self.outbox, caller, data)

    @endpoint(s.AppealAnswer, s.Appeal)
    def answer_appeal(self, caller, data):
        return appeals.answer_appeal(self.db, self.outbox, caller, data)

    @endpoint(s.AppealRate, s.Appeal)
    def rate_appeal(self, caller, data):
        return appeals.rate_appeal(self.db, caller, data)

    @endpoint(s.AppealReopen, s.Appeal)
    def reopen_appeal(self, caller, data):
        return appeals.reopen_appeal(self.db, self.outbox, caller, data)

    @endpoint(s.AppealRefer, s.Appeal)
    def refer_appeal(self, caller, data):
        """Pass a dispute on: ``deliberation.appeal.referred``."""
        return appeals.refer_appeal(self.db, self.outbox, caller, data)

    @endpoint(s.DeliberationCompoundRef, s.MirrorBoard, readonly=True)
    def mirror_board(self, caller, data):
        return appeals.mirror_board(self.db, self.unit_tree, caller, data)

    @timer(interval=OVERDUE_CHECK_SECONDS.get())
    def flag_overdue_appeals(self):
        """Flag appeals past their reply deadline (``deliberation.appeal.overdue``)."""
        try:
            flagged = appeals.flag_overdue(self.db, self.outbox)
            self.db.commit()
        except Exception:
            self.db.rollback()
            log.exception("flagging overdue appeals failed")
            return
        if flagged:
            log.info("flagged %d overdue appeals", flagged)

    # -- meetings and scores ------------------------------------------------------------
    @endpoint(s.MeetingCreate, s.Meeting)
    def record_meeting(self, caller, data):
        """Record a law-aided meeting; emits ``deliberation.meeting.recorded``."""
        return meetings.record_meeting(self.db, self.outbox, self.unit_tree, caller, data)

    @endpoint(s.MeetingList, s.Meeting, many=True, readonly=True)
    def list_meetings(self, caller, data):
        return meetings.list_meetings(self.db, caller, data)

    @endpoint(s.MeetingRef, s.Meeting, readonly=True)
    def get_meeting(self, caller, data):
        return meetings.get_meeting(self.db, caller, data)

    @endpoint(s.ScoreRankingQuery, s.ScoreRanking, readonly=True)
    def score_ranking(self, caller, data):
        return scores.ranking(self.db, self.unit_tree, caller, data)

    @endpoint(s.MyScoreQuery, s.MyScore, readonly=True)
    def my_score(self, caller, data):
        return scores.my_score(self.db, caller)
