"""The disputes service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``disputes.domain``, use cases in
``disputes.cases``, ``evidence``, ``campaigns``, ``stats`` and ``documents``.
"""
from __future__ import annotations

import logging

from nameko.timer import timer
from sqlalchemy.orm import Session

from fazhi_shared import clock
from fazhi_shared.service.calls import ServiceCalls
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_disputes_contract import CONTRACT
from fazhi_disputes_contract import schemas as s

from disputes import campaigns, cases, documents, evidence, stats
from disputes.config import DATABASE_URL, OVERDUE_SWEEP_SECONDS, SETTINGS
from disputes.handlers import InboundHandlers
from disputes.models import tables
from disputes.search import Segmenter

log = logging.getLogger(__name__)


class DisputesService(Service, InboundHandlers):
    name = "disputes"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves
    segmenter = Segmenter()
    calls = ServiceCalls()

    # -- cases -------------------------------------------------------------------------
    @endpoint(s.DisputeCreate, s.Dispute)
    def register_case(self, caller, data):
        """Register a case; emits ``disputes.case.registered``. The parties are org's
        people (their names asked from org first: 503 when org does not answer)."""
        names = cases.party_names(self.calls, [p["person_id"] for p in data["parties"]])
        case = cases.register(self.db, self.outbox, self.unit_tree, caller, data, names=names)
        return cases.as_dict(self.db, case)

    @endpoint(s.DisputeReport, s.Dispute)
    def report_problem(self, caller, data):
        """A resident reports a problem: a case with them as applicant."""
        case = cases.report(self.db, self.outbox, self.unit_tree, caller, data)
        return cases.as_dict(self.db, case)

    @endpoint(s.DisputeRef, s.Dispute, readonly=True)
    def get_case(self, caller, data):
        return cases.get_case(self.db, caller, data)

    @endpoint(s.DisputeList, s.DisputeListItem, many=True, readonly=True)
    def list_cases(self, caller, data):
        return cases.list_cases(self.db, self.unit_tree, caller, data)

    @endpoint(s.DisputeAction, s.Dispute)
    def act_on_case(self, caller, data):
        """A workflow action, checked against the workflow table; a mediator assigned
        must be a person org shows the caller."""
        if data["action"] == "assign" and data.get("mediator_person_id"):
            cases.party_names(self.calls, [data["mediator_person_id"]], "mediator_person_id")
        return cases.as_dict(self.db, cases.act(self.db, self.outbox, caller, data))

    @endpoint(s.DisputeAgreementCreate, s.Dispute)
    def settle_case(self, caller, data):
        return cases.as_dict(self.db, cases.settle(self.db, self.outbox, caller, data))

    @endpoint(s.DisputeRef, s.DisputeAgreement, readonly=True)
    def get_agreement(self, caller, data):
        return cases.get_agreement(self.db, caller, data)

    @endpoint(s.DisputeRecordCreate, s.DisputeRecord)
    def add_record(self, caller, data):
        return cases.add_record(self.db, caller, data)

    @endpoint(s.DisputeRecordList, s.DisputeRecord, many=True, readonly=True)
    def list_records(self, caller, data):
        return cases.list_records(self.db, caller, data)

    # -- the evidence trail ---------------------------------------------------------------
    @endpoint(s.DisputeLogList, s.DisputeLogEntry, many=True, readonly=True)
    def list_log(self, caller, data):
        return evidence.list_log(self.db, caller, data)

    @endpoint(s.DisputeRef, s.DisputeChainCheck, readonly=True)
    def check_chain(self, caller, data):
        return evidence.check_chain(self.db, caller, data)

    @endpoint(s.DisputeAttachmentUpload, s.DisputeAttachment)
    def add_attachment(self, caller, data):
        return evidence.add_attachment(self.db, caller, data)

    @endpoint(s.DisputeRecordList, s.DisputeAttachment, many=True, readonly=True)
    def list_attachments(self, caller, data):
        return evidence.list_attachments(self.db, caller, data)

    @endpoint(s.DisputeAttachmentRef, s.DisputeAttachmentFile, readonly=True)
    def attachment_file(self, caller, data):
        return evidence.attachment_file(self.db, caller, data)

    @endpoint(s.DisputeDocumentQuery, s.DisputeDocumentFile, readonly=True)
    def case_document(self, caller, data):
        return documents.case_document(self.db, caller, data)

    # -- statistics and reports -------------------------------------------------------------
    @endpoint(s.DisputeStatsQuery, s.DisputeStats, readonly=True)
    def statistics(self, caller, data):
        return stats.statistics(self.db, self.unit_tree, caller, data)

    @endpoint(s.DisputeReportQuery, s.DisputeReportFile, readonly=True)
    def export_report(self, caller, data):
        return documents.export_report(self.db, self.unit_tree, caller, data)

    # -- campaigns --------------------------------------------------------------------------
    @endpoint(s.CampaignCreate, s.Campaign)
    def create_campaign(self, caller, data):
        return campaigns.create(self.db, self.unit_tree, caller, data)

    @endpoint(s.CampaignList, s.Campaign, many=True, readonly=True)
    def list_campaigns(self, caller, data):
        return campaigns.list_campaigns(self.db, caller, data)

    @endpoint(s.CampaignRef, s.Campaign, readonly=True)
    def get_campaign(self, caller, data):
        return campaigns.visible_campaign(self.db, caller, data["campaign_id"])

    @endpoint(s.CampaignRef, s.Campaign)
    def close_campaign(self, caller, data):
        return campaigns.close(self.db, caller, data)

    @endpoint(s.CampaignRef, s.CampaignProgress, readonly=True)
    def campaign_progress(self, caller, data):
        return campaigns.progress(self.db, caller, data)

    @endpoint(s.RectificationItemCreate, s.RectificationItem)
    def add_item(self, caller, data):
        return campaigns.add_item(self.db, self.unit_tree, caller, data)

    @endpoint(s.RectificationItemList, s.RectificationItem, many=True, readonly=True)
    def list_items(self, caller, data):
        return campaigns.list_items(self.db, caller, data)

    @endpoint(s.RectificationItemAction, s.RectificationItem)
    def act_on_item(self, caller, data):
        return campaigns.act_on_item(self.db, self.outbox, caller, data)

    # -- the overdue timer --------------------------------------------------------------------
    @timer(interval=OVERDUE_SWEEP_SECONDS.get())
    def sweep_overdue(self):
        """Flag cases past their level's time limit, in batches (its own transactions)."""
        try:
            with Session(engine_for(DATABASE_URL.get())) as session:
                while True:
                    with session.begin():
                        n = cases.sweep_overdue(session, self.outbox, clock.today_local())
                    if n == 0:
                        break
        except Exception:     # database away: next time
            log.warning("overdue sweep failed", exc_info=True)
