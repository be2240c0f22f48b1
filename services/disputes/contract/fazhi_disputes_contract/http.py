"""disputes's HTTP surface: the routes the gateway mounts under ``/api/v1/disputes``.

Each route names the RPC method it calls, the RPC's own input schema (the gateway leaves
out the fields the URL carries), the response schema and who may call it — the first
gate; disputes re-checks the role on the unit and the scope (outside it: 404). The
gateway adds ``GET /ping`` and ``GET /vocabularies`` by itself.
"""
from fazhi_shared.http import Download, Route, Upload

from fazhi_disputes_contract import schemas as s
from fazhi_disputes_contract.roles import (CAMPAIGN_MANAGERS, CASE_HANDLERS, CASE_READERS,
                                           CASE_REGISTRARS, CHAIN_CHECKERS, ITEM_WORKERS,
                                           REPORT_EXPORTERS, REPORTERS, STATS_READERS)
from fazhi_disputes_contract.vocabulary import MAX_ATTACHMENT_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTACHMENT_UPLOAD = Upload(field="file", max_bytes=MAX_ATTACHMENT_BYTES,
                           label_zh="附件", label_en="attachment")
DOCUMENT_SECONDS = 30.0
C = "/cases/<id:case_id>"

ROUTES = (
    Route("POST", "/cases", "register_case", s.DisputeCreate, s.Dispute, CASE_REGISTRARS, 201,
          "Register a case (every case is registered); refused at acceptance when it is "
          "already before a court, the police or another authority."),
    Route("POST", "/reports", "report_problem", s.DisputeReport, s.Dispute, REPORTERS, 201,
          "A resident reports a problem on their own unit: a case with them as applicant."),
    Route("GET", "/cases", "list_cases", s.DisputeList, s.DisputePage, CASE_READERS, 200,
          "Cases the caller may see (staff: their scope; residents: their own), in "
          "registration order, with filters and Chinese full-text search (``q``)."),
    Route("GET", C, "get_case", s.DisputeRef, s.Dispute, CASE_READERS, 200,
          "A case (404 outside scope; residents: only cases they are a party to)."),
    Route("POST", C + "/actions", "act_on_case", s.DisputeAction, s.Dispute, CASE_HANDLERS,
          200, "A workflow action; the allowed ones depend on the state (workflow data)."),
    Route("POST", C + "/agreement", "settle_case", s.DisputeAgreementCreate, s.Dispute,
          CASE_HANDLERS, 200, "Record the settlement agreement and settle the case."),
    Route("GET", C + "/agreement", "get_agreement", s.DisputeRef, s.DisputeAgreement,
          CASE_READERS, 200, "The case's settlement agreement."),
    Route("POST", C + "/records", "add_record", s.DisputeRecordCreate, s.DisputeRecord,
          CASE_HANDLERS, 201, "Add a record to the case file (investigation, session, …)."),
    Route("GET", C + "/records", "list_records", s.DisputeRecordList, s.DisputeRecordPage,
          CASE_READERS, 200, "The case file's records, oldest first."),
    Route("GET", C + "/log", "list_log", s.DisputeLogList, s.DisputeLogPage, CASE_READERS,
          200, "The case log: every action with actor, time and hash."),
    Route("GET", C + "/chain-check", "check_chain", s.DisputeRef, s.DisputeChainCheck,
          CHAIN_CHECKERS, 200, "Verify the case log's hash chain; names the first bad entry."),
    Route("POST", C + "/attachments", "add_attachment", s.DisputeAttachmentUpload,
          s.DisputeAttachment, CASE_READERS, 201,
          "Attach a photo (JPEG/PNG) or a PDF, at most 10 MB.", upload=ATTACHMENT_UPLOAD),
    Route("GET", C + "/attachments", "list_attachments", s.DisputeRecordList,
          s.DisputeAttachmentPage, CASE_READERS, 200, "The case's attachments."),
    Route("GET", "/attachments/<id:attachment_id>/file", "attachment_file",
          s.DisputeAttachmentRef, s.DisputeAttachmentFile, CASE_READERS, 200,
          "The attachment; a photo without location data for anyone but staff.",
          download=Download("application/octet-stream", "attachment-{attachment_id}",
                            private=True, inline=True)),
    Route("GET", C + "/documents/<document>", "case_document", s.DisputeDocumentQuery,
          s.DisputeDocumentFile, CASE_HANDLERS, 200,
          "A printable PDF: agreement, confirmation_application or case_file.",
          download=Download("application/pdf", "case-{case_id}-{document}.pdf", private=True),
          timeout=DOCUMENT_SECONDS),
    Route("GET", "/statistics", "statistics", s.DisputeStatsQuery, s.DisputeStats,
          STATS_READERS, 200, "Counts, the three shares, time to close, overdue counts and "
          "compounds without cases, from maintained aggregates."),
    Route("GET", "/reports/<report>", "export_report", s.DisputeReportQuery,
          s.DisputeReportFile, REPORT_EXPORTERS, 200,
          "The monthly mediation statistics report or the dispute ledger, as .xlsx.",
          download=Download(XLSX, "disputes-{report}.xlsx", private=True),
          timeout=DOCUMENT_SECONDS),
    Route("POST", "/campaigns", "create_campaign", s.CampaignCreate, s.Campaign,
          CAMPAIGN_MANAGERS, 201, "A special campaign over units and issue types."),
    Route("GET", "/campaigns", "list_campaigns", s.CampaignList, s.CampaignPage,
          ITEM_WORKERS, 200, "Campaigns in the caller's scope."),
    Route("GET", "/campaigns/<id:campaign_id>", "get_campaign", s.CampaignRef, s.Campaign,
          ITEM_WORKERS, 200, "A campaign."),
    Route("POST", "/campaigns/<id:campaign_id>/close", "close_campaign", s.CampaignRef,
          s.Campaign, CAMPAIGN_MANAGERS, 200,
          "Close the campaign: refused while any item is not verified and closed."),
    Route("GET", "/campaigns/<id:campaign_id>/progress", "campaign_progress", s.CampaignRef,
          s.CampaignProgress, ITEM_WORKERS, 200, "Items by state for each unit."),
    Route("POST", "/campaigns/<id:campaign_id>/items", "add_item", s.RectificationItemCreate,
          s.RectificationItem, ITEM_WORKERS, 201, "A problem found: a rectification item."),
    Route("GET", "/campaigns/<id:campaign_id>/items", "list_items", s.RectificationItemList,
          s.RectificationItemPage, ITEM_WORKERS, 200, "The campaign's items."),
    Route("POST", "/items/<id:item_id>/actions", "act_on_item", s.RectificationItemAction,
          s.RectificationItem, ITEM_WORKERS, 200,
          "Start, submit, verify, send back or close an item."),
)
