"""Use cases of law-aided deliberation meetings (援法议事): topic, participants (a legal
adviser among them), minutes and resolutions, linked to the matters they prepare."""
from __future__ import annotations

from sqlalchemy import literal, select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_deliberation_contract.roles import MEETING_WRITERS

from deliberation.matters import compound_path
from deliberation.models import Matter, Meeting, tables


def record_meeting(session, outbox, unit_tree, principal: Principal, data: dict) -> Meeting:
    path = compound_path(session, unit_tree, principal, data["compound_id"])
    if not principal.can_act_at(MEETING_WRITERS, path):
        raise Forbidden()
    advisers = [p["name"] for p in data["participants"] if p["role"] == "legal_adviser"]
    if not advisers:
        raise ValidationFailed.for_field("participants", "援法议事须有法律顾问参加。",
                                         "A law-aided meeting has a legal adviser taking part.")
    matter_ids = list(dict.fromkeys(data["matter_ids"]))
    if matter_ids:
        found = set(session.scalars(select(Matter.id).where(
            Matter.id.in_(matter_ids), Matter.compound_id == data["compound_id"])))
        if found != set(matter_ids):
            raise ValidationFailed.for_field("matter_ids", "关联事项不属于该小区。",
                                             "A linked matter is not of this compound.")
    meeting = Meeting(id=new_id(), compound_id=data["compound_id"], path=path,
                      topic=data["topic"].strip(), held_on=data["held_on"],
                      participants=data["participants"], legal_adviser="、".join(advisers),
                      minutes=data["minutes"], resolutions=data["resolutions"],
                      matter_ids=matter_ids, created_by=principal.account_id,
                      created_at=clock.now())
    session.add(meeting)
    session.flush()
    audit.record(session, tables.audit_log, principal, "meeting.record", "meeting", meeting.id,
                 path, {"participants": len(data["participants"])})
    outbox.emit(session, "meeting.recorded", {
        "meeting_id": meeting.id, "compound_id": meeting.compound_id,
        "held_on": meeting.held_on.isoformat(),
        "participants": [{"person_id": p["person_id"],
                          "household_unit_id": p.get("household_unit_id")}
                         for p in data["participants"] if p.get("person_id")]}, path)
    return meeting


def public_view(meeting: Meeting) -> dict:
    """Participants by name and role only (their person ids stay in the service)."""
    out = {c.key: getattr(meeting, c.key) for c in Meeting.__table__.columns}
    out["participants"] = [{"name": p["name"], "role": p["role"]} for p in meeting.participants]
    return out


def get_meeting(session, principal, data) -> dict:
    meeting = session.get(Meeting, data["meeting_id"])
    if meeting is None:
        raise NotFound()
    ensure_visible(principal, meeting.path, PUBLIC)
    return public_view(meeting)


def list_meetings(session, principal, data) -> dict:
    # Minutes are public to the compound's residents: the visibility is a constant.
    stmt = select(Meeting).where(scope_clause(principal, Meeting.path, literal(PUBLIC)))
    if data.get("compound_id"):
        stmt = stmt.where(Meeting.compound_id == data["compound_id"])
    page = paginate(session, stmt, [Meeting.id], data.get("cursor"), data["limit"])
    return {"items": [public_view(m) for m in page["items"]], "next_cursor": page["next_cursor"]}
