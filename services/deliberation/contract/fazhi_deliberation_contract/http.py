"""deliberation's HTTP surface: the routes the gateway mounts under ``/api/v1/deliberation``.

Each route names the RPC method it calls, the RPC's own input schema (the gateway leaves
out the fields the URL carries), the response schema and who may call it — the first
gate; deliberation re-checks the role on the compound and the scope (outside it: 404).
"""
from fazhi_shared.http import SIGNED_IN, Download, Route

from fazhi_deliberation_contract import schemas as s
from fazhi_deliberation_contract.roles import (APPEAL_HANDLERS, MATTER_WRITERS,
                                               MEETING_WRITERS, READERS, STAFF_READERS)

PDF = "application/pdf"

ROUTES = (
    # -- matters and votes ----------------------------------------------------------------
    Route("POST", "/matters", "create_matter", s.MatterCreate, s.Matter, MATTER_WRITERS, 201,
          "Prepare a matter for the owners of a compound (or of the buildings sharing a "
          "part): its category and agenda; a draft until notice is given."),
    Route("GET", "/matters", "list_matters", s.MatterList, s.MatterPage, READERS, 200,
          "Matters the caller may see, newest first: staff in scope, residents their "
          "compound's noticed matters."),
    Route("GET", "/matters/<id:matter_id>", "get_matter", s.MatterRef, s.Matter, READERS, 200,
          "One matter with its agenda, notice period and frozen totals."),
    Route("POST", "/matters/<id:matter_id>/notice", "give_notice", s.NoticeGive, s.Matter,
          MATTER_WRITERS, 200,
          "Give notice: freezes the electorate from org (each owner once with all their "
          "area); voting may open the day after the notice period ends.",
          timeout=10.0),
    Route("POST", "/matters/<id:matter_id>/opening", "open_voting", s.VotingOpen, s.Matter,
          MATTER_WRITERS, 200, "Open voting once the notice period has passed."),
    Route("POST", "/matters/<id:matter_id>/closing", "close_vote", s.VoteClose,
          s.MatterResult, MATTER_WRITERS, 200,
          "Close voting and count by area and by headcount with the category's rule.",
          timeout=10.0),
    Route("GET", "/matters/<id:matter_id>/turnout", "turnout", s.MatterRef, s.Turnout,
          READERS, 200, "Live turnout by heads and by area (no yes/no before closing)."),
    Route("GET", "/matters/<id:matter_id>/result", "get_result", s.MatterRef, s.MatterResult,
          READERS, 200, "The result as aggregates, with the art. 280 challenge date."),
    Route("GET", "/matters/<id:matter_id>/voter-roll", "voter_roll", s.VoterRollList,
          s.VoterRollPage, READERS, 200,
          "The frozen voter roll (owners, heads, areas) published for objections."),
    Route("POST", "/matters/<id:matter_id>/objections", "object_to_roll", s.ObjectionCreate,
          s.Objection, READERS, 201, "Object to the voter roll within its window."),
    Route("GET", "/matters/<id:matter_id>/objections", "list_objections", s.ObjectionList,
          s.ObjectionPage, STAFF_READERS, 200, "Objections to the voter roll."),
    Route("POST", "/objections/<id:objection_id>/decision", "decide_objection",
          s.ObjectionDecide, s.Objection, MATTER_WRITERS, 200, "Accept or reject an objection."),
    Route("POST", "/matters/<id:matter_id>/ballots", "cast_ballot", s.BallotCast, s.MyBallots,
          READERS, 201,
          "Cast (or, while voting is open, replace) a ballot: online by the owner's named "
          "voter, or paper / door-to-door / proxy entered by staff."),
    Route("GET", "/matters/<id:matter_id>/my-ballots", "my_ballots", s.MatterRef, s.MyBallots,
          READERS, 200, "The caller's own ballots on a matter, with receipt codes."),
    Route("GET", "/matters/<id:matter_id>/ballots", "list_ballots", s.BallotList, s.BallotPage,
          ("auditor",), 200, "Every ballot of a matter, for auditors (audited)."),
    Route("GET", "/ballots/<id:ballot_id>", "get_ballot", s.BallotRef, s.Ballot, READERS, 200,
          "One ballot: its owner's voter or an auditor (audited); others 404."),
    Route("GET", "/matters/<id:matter_id>/receipt", "check_receipt", s.ReceiptCheck, s.Receipt,
          READERS, 200, "Was the ballot with this receipt code counted?"),
    Route("GET", "/matters/<id:matter_id>/notice.pdf", "notice_pdf", s.MatterRef, s.MatterFile,
          READERS, 200, "The meeting notice as PDF.",
          download=Download(PDF, "notice-{matter_id}.pdf", private=False)),
    Route("GET", "/matters/<id:matter_id>/paper-ballots.pdf", "paper_ballots_pdf", s.MatterRef,
          s.MatterFile, MATTER_WRITERS, 200, "A paper ballot per owner, each with its code.",
          download=Download(PDF, "ballots-{matter_id}.pdf")),
    Route("GET", "/matters/<id:matter_id>/result.pdf", "result_pdf", s.MatterRef, s.MatterFile,
          READERS, 200, "The result announcement as PDF.",
          download=Download(PDF, "result-{matter_id}.pdf", private=False)),
    Route("POST", "/compounds/<id:compound_id>/proposals", "record_proposal", s.ProposalCreate,
          s.ProposalTally, MATTER_WRITERS, 201,
          "Record an owner's proposal of an extraordinary meeting (due at 20 % of owners)."),
    Route("GET", "/compounds/<id:compound_id>/proposals", "proposal_tally", s.DeliberationCompoundRef,
          s.ProposalTally, STAFF_READERS, 200, "Proposals of an extraordinary meeting."),
    # -- appeals and the mirror -----------------------------------------------------------
    Route("POST", "/appeals", "submit_appeal", s.AppealSubmit, s.Appeal, SIGNED_IN, 201,
          "A resident's appeal (anonymous allowed)."),
    Route("GET", "/appeals", "list_appeals", s.AppealList, s.AppealPage, READERS, 200,
          "Appeals: staff in scope (the board, with deadlines), residents their own."),
    Route("GET", "/appeals/<id:appeal_id>", "get_appeal", s.AppealRef, s.Appeal, READERS, 200,
          "One appeal: staff in scope or its submitter."),
    Route("POST", "/appeals/<id:appeal_id>/assignment", "assign_appeal", s.AppealAssign,
          s.Appeal, APPEAL_HANDLERS, 200,
          "Categorise and assign to the responsible body with a reply deadline in working "
          "days."),
    Route("POST", "/appeals/<id:appeal_id>/reply", "answer_appeal", s.AppealAnswer, s.Appeal,
          APPEAL_HANDLERS, 200, "Record the reply."),
    Route("POST", "/appeals/<id:appeal_id>/satisfaction", "rate_appeal", s.AppealRate,
          s.Appeal, READERS, 200, "The submitter's satisfaction with the reply."),
    Route("POST", "/appeals/<id:appeal_id>/reopening", "reopen_appeal", s.AppealReopen,
          s.Appeal, READERS, 200, "The submitter reopens an answered appeal."),
    Route("POST", "/appeals/<id:appeal_id>/referral", "refer_appeal", s.AppealRefer, s.Appeal,
          APPEAL_HANDLERS, 200, "Pass an appeal that is really a dispute to mediation."),
    Route("GET", "/compounds/<id:compound_id>/mirror", "mirror_board", s.DeliberationCompoundRef,
          s.MirrorBoard, READERS, 200,
          "The public-opinion mirror: topics and responses, never who asked."),
    # -- meetings and scores --------------------------------------------------------------
    Route("POST", "/meetings", "record_meeting", s.MeetingCreate, s.Meeting, MEETING_WRITERS,
          201, "Record a law-aided deliberation meeting (a legal adviser takes part)."),
    Route("GET", "/meetings", "list_meetings", s.MeetingList, s.MeetingPage, READERS, 200,
          "Deliberation meetings in scope, newest first."),
    Route("GET", "/meetings/<id:meeting_id>", "get_meeting", s.MeetingRef, s.Meeting, READERS,
          200, "One meeting with its minutes and resolutions."),
    Route("GET", "/compounds/<id:compound_id>/ranking", "score_ranking", s.ScoreRankingQuery,
          s.ScoreRanking, READERS, 200,
          "Participation ranking per household (model households) or per person."),
    Route("GET", "/my-score", "my_score", s.MyScoreQuery, s.MyScore, SIGNED_IN, 200,
          "The caller's participation points."),
)
