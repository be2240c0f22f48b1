"""Printable documents of a matter (PDF through ``fazhi_shared.service.pdf``, its CJK font
embedded): the meeting notice with the total heads and area, one paper ballot per owner
carrying only a code (it ties the sheet to the owner without showing who they are), and
the result announcement with the art. 280 challenge date.

Documents are built here from the records (cheap) and rendered in an offload worker; the
file goes to the shared store and the gateway streams it.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from fazhi_shared import files
from fazhi_shared.errors import Conflict
from fazhi_shared.scope import STAFF, ensure_visible
from fazhi_shared.service import audit, offload, pdf

from fazhi_deliberation_contract.vocabulary import MATTER_CATEGORIES, RULES

from deliberation import matters
from deliberation.models import ElectorateEntry, tables

PDF = "application/pdf"
CHOICE_BOXES = "□ 同意    □ 反对    □ 弃权"


def m2(area: int | None) -> str:
    """0.01 m² → "1234.56 ㎡" (exact)."""
    return f"{Decimal(area or 0).scaleb(-2).quantize(Decimal('0.01'))} ㎡"


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def notice_document(matter: dict) -> pdf.PdfDocument:
    doc = pdf.PdfDocument(f"业主大会会议通知：{matter['title']}")
    doc.heading("业主大会会议（表决）通知")
    doc.heading(matter["title"], level=2)
    doc.key_values([
        ("事项类别", MATTER_CATEGORIES.label(matter["category"])),
        ("公告日期", _cn(matter["noticed_on"])),
        ("公告期满", _cn(matter["notice_period_ends"])
         + ("（按周末推算，节假日安排未公布）" if matter["notice_end_approximate"] else "")),
        ("表决名单异议截止", _cn(matter["roll_objections_until"])),
        ("投票期", f"公告期满后开始，为期 {matter['voting_days']} 日"),
        ("专有部分总面积", m2(matter["total_area"])),
        ("业主总人数", f"{matter['total_owners']} 人"),
        ("投票方式", "线上投票、纸质表决票、上门征询、委托代理" if matter["electronic_ballots"]
         else "纸质表决票、上门征询、委托代理（本地规定不采用线上投票）")])
    if matter["description"]:
        doc.paragraph(matter["description"])
    doc.table([["序号", "表决事项", "表决规则"]] + [
        [str(i["seq"]), i["title"], RULES.label(i["rule"])] for i in matter["items"]],
        col_widths_mm=[15, 105, 50])
    doc.paragraph("只能对以上议程事项进行表决。未参与表决的业主不计入参与表决人数和面积；"
                  "弃权计入参与表决，但不计入同意。")
    if matter["deemed_consent"]:
        doc.paragraph("特别提示：依照本小区业主大会议事规则，未表决的业主视为同意多数意见。"
                      "视为同意的结果将与实际表决结果分开公布。")
    doc.signature_lines(["召集人（盖章）"])
    return doc


def ballots_document(matter: dict, entries: list) -> pdf.PdfDocument:
    doc = pdf.PdfDocument(f"表决票：{matter['title']}")
    for n, entry in enumerate(entries):
        if n:
            doc.page_break()
        doc.heading("业主表决票")
        doc.heading(matter["title"], level=2)
        doc.key_values([("表决票编码", entry.ballot_code), ("表决权面积", m2(entry.area))])
        doc.table([["序号", "表决事项", "意见（请在一项内打√）"]] + [
            [str(i["seq"]), i["title"], CHOICE_BOXES] for i in matter["items"]],
            col_widths_mm=[15, 95, 60])
        doc.paragraph("本票凭编码计票，编码不显示业主身份。请于投票期内交回投票箱或交上门征询人员。")
        doc.qr(f"fazhi:ballot:{matter['id']}:{entry.ballot_code}", size_mm=25)
        doc.signature_lines(["业主或委托代理人（签字）"])
    return doc


def result_document(matter: dict, result: dict) -> pdf.PdfDocument:
    doc = pdf.PdfDocument(f"表决结果公告：{matter['title']}")
    doc.heading("业主大会表决结果公告")
    doc.heading(matter["title"], level=2)
    rows = [["事项", "规则", "参与人数/面积", "同意人数/面积", "结果"]]
    for i in result["items"]:
        rows.append([i["title"], RULES.label(i["rule"]),
                     f"{i['participating_owners']}/{i['total_owners']} 人；"
                     f"{m2(i['participating_area'])}/{m2(i['total_area'])}",
                     f"{i['yes_owners']} 人；{m2(i['yes_area'])}",
                     ("通过" if i["passed"] else "未通过")
                     + ("" if i["quorum_met"] else "（参与表决未达三分之二）")])
    doc.table(rows, col_widths_mm=[45, 30, 40, 35, 20])
    deemed = [i for i in result["items"] if i.get("deemed_consent")]
    for i in deemed:
        d = i["deemed_consent"]
        doc.paragraph(f"“视为同意”另行统计（不计入上表）：{i['title']}——未表决 "
                      f"{d['non_voting_owners']} 人、{m2(d['non_voting_area'])}；"
                      f"{'如视为同意则通过' if d['passed'] else '即使视为同意亦不通过'}。")
    doc.paragraph("本公告只公布汇总结果，不公布任何业主的表决意见。")
    doc.key_values([("公告至", _cn(result["posted_until"])),
                    ("异议截止", _cn(result["objections_until"])),
                    ("诉讼撤销期限（民法典第二百八十条）",
                     f"业主认为决定侵害其合法权益的，可自知道之日起一年内（至 "
                     f"{_cn(result['challenge_until'])}）请求人民法院撤销")])
    doc.signature_lines(["召集人（盖章）"])
    return doc


def _stored(doc: pdf.PdfDocument, filename: str) -> dict:
    content = offload.run(pdf.render, doc)
    return files.put_bytes(content, PDF, filename)


def notice_pdf(session, principal, data) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"])
    if matter.status == matters.DRAFT:
        raise Conflict("尚未公告。", "Notice has not been given.")
    offload.prestart()
    return _stored(notice_document(matters.view(session, matter)), f"会议通知-{matter.id}.pdf")


def paper_ballots_pdf(session, principal, data) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"])
    ensure_visible(principal, matter.path, STAFF)
    matters.require_writer(principal, matter)
    if matter.status == matters.DRAFT:
        raise Conflict("尚未公告，表决名单未产生。", "Notice has not been given.")
    offload.prestart()
    entries = list(session.scalars(select(ElectorateEntry).where(
        ElectorateEntry.matter_id == matter.id).order_by(ElectorateEntry.id)))
    audit.record(session, tables.audit_log, principal, "ballots.print", "matter", matter.id,
                 matter.path, {"sheets": len(entries)})
    return _stored(ballots_document(matters.view(session, matter), entries),
                   f"表决票-{matter.id}.pdf")


def result_pdf(session, principal, data) -> dict:
    matter = matters.visible_matter(session, principal, data["matter_id"])
    result = matters.get_result(session, principal, data)
    offload.prestart()
    return _stored(result_document(matters.view(session, matter), result),
                   f"表决结果-{matter.id}.pdf")
