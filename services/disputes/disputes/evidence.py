"""Use cases of the evidence trail: attachments in the shared content-addressed store
(photos also kept without location data, shown to anyone but staff), the case log and
its chain check."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared import clock, files
from fazhi_shared.context import STAFF_ROLES, Principal
from fazhi_shared.errors import NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.service import audit, offload
from fazhi_shared.service.pagination import paginate

from fazhi_disputes_contract.roles import CHAIN_CHECKERS
from fazhi_disputes_contract.vocabulary import MAX_ATTACHMENT_BYTES

from disputes import caselog
from disputes.cases import visible_case
from disputes.domain import attachments as rules
from disputes.domain.intake import require_role
from disputes.models import Attachment, CaseLogEntry, tables


def add_attachment(session, principal: Principal, data: dict) -> Attachment:
    """Attach a file already in the shared store (the gateway put it there). Staff in
    scope and the case's parties may attach; the type is checked by the file's bytes."""
    case = visible_case(session, principal, data["case_id"])
    ref = data["file"]
    if ref["size"] > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed.for_field("file", "附件不能超过 10 MB。",
                                         "The attachment is larger than 10 MB.")
    content = files.read_bytes(ref)
    content_type = rules.sniff(content[:16])
    public, public_size = ref["address"], len(content)
    if content_type in rules.PHOTOS:
        try:
            stripped = offload.run(rules.without_location, content, content_type)
        except Exception:
            raise ValidationFailed.for_field("file", "照片无法读取。",
                                             "The photo cannot be read.") from None
        public, public_size = files.put_bytes(stripped, content_type, ref["filename"])["address"], len(stripped)
    att = Attachment(id=new_id(), case_id=case.id, filename=ref["filename"][:255],
                     content_type=content_type, size=len(content), address=ref["address"],
                     public_address=public, public_size=public_size, caption=data.get("caption") or "",
                     uploaded_by_person_id=principal.person_id, created_at=clock.now())
    session.add(att)
    session.flush()
    caselog.append(session, case.id, principal, "attach",
                   {"attachment_id": att.id, "address": att.address,
                    "content_type": content_type, "size": att.size})
    audit.record(session, tables.audit_log, principal, "case.attach", "case", case.id,
                 case.path, {"attachment_id": att.id})
    return att


def list_attachments(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    page = paginate(session, select(Attachment).where(Attachment.case_id == case.id),
                    [Attachment.id], data.get("cursor"), data["limit"])
    staff = principal.can_act_at(STAFF_ROLES, case.path)
    page["items"] = [_shown(a, staff) for a in page["items"]]
    return page


def _shown(att: Attachment, staff: bool) -> dict:
    out = {c.key: getattr(att, c.key) for c in Attachment.__table__.columns}
    if not staff:
        out["address"], out["size"] = att.public_address, att.public_size
    return out


def attachment_file(session, principal: Principal, data: dict) -> dict:
    att = session.execute(select(Attachment).where(
        Attachment.id == data["attachment_id"])).scalar()
    if att is None:
        raise NotFound()
    case = visible_case(session, principal, att.case_id)
    staff = principal.can_act_at(STAFF_ROLES, case.path)
    return {"address": att.address if staff else att.public_address,
            "size": att.size if staff else att.public_size,
            "content_type": att.content_type, "filename": att.filename}


def list_log(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    stmt = select(CaseLogEntry).where(CaseLogEntry.case_id == case.id)
    return paginate(session, stmt, [CaseLogEntry.seq], data.get("cursor"), data["limit"])


def check_chain(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    require_role(principal, CHAIN_CHECKERS, case.path)
    return caselog.check(session, case.id)
