"""Printable documents and spreadsheets: the settlement agreement (调解协议书), the joint
application for judicial confirmation, the case file (卷宗) as PDF (the shared renderer,
rendered off the event loop); the justice bureau's monthly mediation statistics report
and the dispute ledger (台账) as .xlsx (the shared writer, built in a worker process)."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import clock, files
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, ValidationFailed
from fazhi_shared.service import offload, pdf
from fazhi_shared.service.scope import scope_clause, under

from fazhi_disputes_contract.roles import CASE_HANDLERS, REPORT_EXPORTERS
from fazhi_disputes_contract.vocabulary import (AGREEMENT_FORMS, CATEGORIES, LEVELS,
                                                PARTY_ROLES, RECORD_KINDS, SOURCES, STATES)

from disputes import caselog, stats
from disputes.cases import as_dict, unit_path, visible_case
from disputes.domain.intake import require_role
from disputes.models import Agreement, Case, CaseRecord

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_LIMIT = 50_000       # rows of one ledger export (narrow the period or the unit)


def _day(value) -> str:
    return clock.to_local(value).strftime("%Y-%m-%d") if value else ""


def _parties_table(parties) -> list:
    return [["当事人", "身份"]] + [[p.get("name") or p["person_id"], PARTY_ROLES.label(p["role"])]
                                  for p in parties]


def _agreement(session, case) -> Agreement:
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case.id)).scalar()
    if agreement is None:
        raise Conflict("本案没有调解协议。", "The case has no settlement agreement.")
    return agreement


def agreement_document(c: dict, agreement: Agreement) -> pdf.PdfDocument:
    doc = pdf.PdfDocument("人民调解协议书")
    doc.heading("人民调解协议书")
    doc.key_values([("编号", c["number"]), ("纠纷类型", CATEGORIES.label(c["category"])),
                    ("协议形式", AGREEMENT_FORMS.label(agreement.form)),
                    ("生效日期", agreement.effective_on.isoformat())])
    doc.table(_parties_table(c["parties"]))
    doc.heading("纠纷主要事实、争议事项及各方责任", level=2)
    doc.paragraph(agreement.facts)
    doc.heading("经调解，自愿达成如下协议", level=2)
    doc.table([["协议内容", "履行方式", "履行地点", "履行期限"]]
              + [[t["content"], t["method"], t["place"], t["due_on"]]
                 for t in agreement.terms], col_widths_mm=[80, 30, 30, 30])
    doc.paragraph(f"本协议一式 {len(c['parties']) + 1} 份，当事人各执一份，调解委员会留存一份。")
    doc.signature_lines([PARTY_ROLES.label(p["role"]) for p in c["parties"]]
                        + ["人民调解员", "人民调解委员会（印章）"])
    return doc


def confirmation_document(c: dict, agreement: Agreement) -> pdf.PdfDocument:
    window = c.get("confirmation") or {}
    if not window.get("offered"):
        raise Conflict("该调解协议涉及婚姻、收养关系或身份确认，不适用司法确认。",
                       "Judicial confirmation is not available for this agreement.")
    doc = pdf.PdfDocument("司法确认申请书")
    doc.heading("司法确认申请书")
    doc.table(_parties_table(c["parties"]))
    doc.paragraph(f"申请人于 {agreement.effective_on.isoformat()} 经人民调解委员会主持调解达成"
                  f"调解协议（编号 {c['number']}），现依据《中华人民共和国人民调解法》第三十三条"
                  "及《中华人民共和国民事诉讼法》相关规定，共同申请人民法院确认该调解协议有效。")
    doc.key_values([("申请期限届满日", window["last_day"].isoformat()
                     + ("（按周末推算）" if window.get("approximate") else ""))])
    doc.paragraph("附：人民调解协议书一份。")
    doc.signature_lines(["申请人（签名）" for _ in c["parties"]])
    return doc


def case_file_document(c: dict, records, log_entries) -> pdf.PdfDocument:
    doc = pdf.PdfDocument("人民调解卷宗")
    doc.heading(f"人民调解卷宗 {c['number']}")
    doc.key_values([("来源", SOURCES.label(c["source"])),
                    ("纠纷类型", CATEGORIES.label(c["category"])),
                    ("状态", STATES.label(c["state"])), ("调处层级", LEVELS.label(c["level"])),
                    ("登记日期", _day(c["registered_at"])), ("结案日期", _day(c["closed_at"]))])
    doc.table(_parties_table(c["parties"]))
    doc.heading("纠纷简要情况", level=2)
    doc.paragraph(c["description"])
    for rec in records:
        doc.heading(f"{RECORD_KINDS.label(rec.kind)}（{_day(rec.created_at)}）", level=2)
        doc.paragraph(rec.text or "—")
    doc.page_break()
    doc.heading("办理日志（哈希链）", level=2)
    doc.table([["序号", "时间", "操作", "哈希"]]
              + [[str(e["seq"]), _day(e["at"]), e["action"], e["hash"][:16]]
                 for e in log_entries], col_widths_mm=[15, 30, 50, 60])
    return doc


def case_document(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    require_role(principal, CASE_HANDLERS, case.path)
    offload.prestart()
    c = as_dict(session, case)
    kind = data["document"]
    if kind == "agreement":
        doc = agreement_document(c, _agreement(session, case))
    elif kind == "confirmation_application":
        doc = confirmation_document(c, _agreement(session, case))
    else:
        records = session.execute(select(CaseRecord).where(CaseRecord.case_id == case.id)
                                  .order_by(CaseRecord.id)).scalars().all()
        doc = case_file_document(c, records, caselog.entries(session, case.id))
    content = offload.run(pdf.render, doc)
    return files.put_bytes(content, PDF, f"{case.number}-{kind}.pdf")


# -- spreadsheets ------------------------------------------------------------------------
def monthly_sheet(report: dict) -> bytes:
    """The monthly people's-mediation statistics report (module level: runs in a worker):
    one row per month, then per category on a second sheet."""
    from fazhi_shared.service import xlsx

    writer = xlsx.Writer()
    sheet = writer.sheet("人民调解月报")
    sheet.header(["月份", "受理", "办结", "调解成功", "小区内化解", "街道及以下化解",
                  "上交街道以上"], widths=[12, 10, 10, 10, 14, 16, 14])
    for row in report["by_month"]:
        s = row["shares"]
        sheet.append([row["key"], row["registered"], row["concluded"], row["settled"],
                      s["in_compound"]["numerator"], s["at_or_below_street"]["numerator"],
                      s["above_street"]["numerator"]])
    sheet.append(["合计", report["registered"], report["concluded"], report["settled"],
                  report["shares"]["in_compound"]["numerator"],
                  report["shares"]["at_or_below_street"]["numerator"],
                  report["shares"]["above_street"]["numerator"]], bold=True)
    sheet.append([])
    sheet.append([f"统计期间：{report['from_month']} 至 {report['to_month']}；"
                  f"逾期未结 {report['overdue']} 件；结案 {report['closed']} 件"])
    by_category = writer.sheet("按纠纷类型")
    by_category.header(["纠纷类型", "受理", "办结", "调解成功"], widths=[16, 10, 10, 10])
    for row in report["by_category"]:
        by_category.append([row["name"], row["registered"], row["concluded"], row["settled"]])
    return writer.to_bytes()


def ledger_sheet(rows: list) -> bytes:
    """The dispute ledger (台账): one row per case (module level: runs in a worker)."""
    from fazhi_shared.service import xlsx

    writer = xlsx.Writer()
    sheet = writer.sheet("矛盾纠纷台账")
    sheet.header(["编号", "登记日期", "来源", "类型", "简要情况", "状态", "层级", "结果",
                  "办结层级", "结案日期", "是否逾期"],
                 widths=[14, 12, 14, 12, 50, 10, 14, 10, 14, 12, 8])
    for r in rows:
        sheet.append(r)
    return writer.to_bytes()


def export_report(session, unit_tree, principal: Principal, data: dict) -> dict:
    if not principal.has_role(*REPORT_EXPORTERS):
        from fazhi_shared.errors import Forbidden

        raise Forbidden()
    offload.prestart()
    if data["report"] == "monthly":
        report = stats.statistics(session, unit_tree, principal, {**data, "group_by": "compound"})
        content = offload.run(monthly_sheet, report)
    else:
        start = stats.parse_month(data["from_month"])
        end = stats.parse_month(data["to_month"])
        stmt = select(Case).where(scope_clause(principal, Case.path,
                                               staff_roles=REPORT_EXPORTERS))
        if data.get("unit_id"):
            stmt = stmt.where(under(Case.path, unit_path(session, unit_tree, principal,
                                                         data["unit_id"])))
        from disputes.cases import _local_midnight

        stmt = stmt.where(Case.registered_at >= _local_midnight(start),
                          Case.registered_at < _local_midnight(_next_month(end)))
        cases = session.execute(stmt.order_by(Case.registered_at, Case.id)
                                .limit(LEDGER_LIMIT + 1)).scalars().all()
        if len(cases) > LEDGER_LIMIT:
            raise ValidationFailed.for_field("to_month", "台账行数过多，请缩小时间或范围。",
                                             "Too many cases; narrow the period or the unit.")
        rows = [[c.number, _day(c.registered_at), SOURCES.label(c.source),
                 CATEGORIES.label(c.category), c.description[:200], STATES.label(c.state),
                 LEVELS.label(c.level), STATES.label(c.outcome) if c.outcome else "",
                 LEVELS.label(c.concluded_level) if c.concluded_level else "",
                 _day(c.closed_at), "是" if c.overdue else ""] for c in cases]
        content = offload.run(ledger_sheet, rows)
    return files.put_bytes(content, XLSX, f"disputes-{data['report']}.xlsx")


def _next_month(month):
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else \
        month.replace(month=month.month + 1)
