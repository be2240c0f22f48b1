"""Use cases of appeals (诉求) and the public-opinion mirror (民情反光镜).

An appeal is scoped by the unit it is about (the resident's home or the compound). Staff
in scope see it — an anonymous one without who asked; its submitter follows it. Reply
deadlines are working days forward on the shared calendar; a timer flags the overdue.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select, update

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ancestor_at, ids
from fazhi_shared.scope import PARTIES, PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_deliberation_contract.roles import APPEAL_HANDLERS

from deliberation import config, policy
from deliberation.domain import appeals as rules
from deliberation.models import Appeal, tables


def _is_submitter(principal: Principal, appeal: Appeal) -> bool:
    return bool(principal.account_id) and appeal.submitter_account_id == principal.account_id


def view(principal: Principal, appeal: Appeal) -> dict:
    out = {c.key: getattr(appeal, c.key) for c in Appeal.__table__.columns}
    out["person_id"] = None if appeal.anonymous else appeal.submitter_person_id
    out["mine"] = _is_submitter(principal, appeal)
    return out


def visible_appeal(session, principal: Principal, appeal_id: str, lock=False) -> Appeal:
    appeal = session.get(Appeal, appeal_id, with_for_update=lock or None)
    if appeal is None:
        raise NotFound()
    ensure_visible(principal, appeal.path, PARTIES, is_party=_is_submitter(principal, appeal))
    return appeal


def _event(appeal: Appeal, **extra) -> dict:
    return {"appeal_id": appeal.id, "compound_id": appeal.compound_id,
            "category": appeal.category, "occurred_at": clock.isoformat(clock.now()), **extra}


def submit_appeal(session, outbox, unit_tree, principal: Principal, data: dict) -> dict:
    principal.require_user()
    path = unit_tree.path_of(session, data["unit_id"])
    if path is None or ancestor_at(path, "compound") is None:
        raise NotFound()
    ensure_visible(principal, path, PUBLIC)
    compound = ancestor_at(path, "compound")
    now = clock.now()
    appeal = Appeal(id=new_id(), compound_id=ids(compound)[-1], path=path,
                    unit_id=data["unit_id"], category=data["category"],
                    summary=data["summary"].strip(), text=data["text"].strip(),
                    anonymous=data["anonymous"], submitter_account_id=principal.account_id,
                    submitter_person_id=principal.person_id, status=rules.SUBMITTED,
                    reopen_count=0, overdue=False, due_approximate=False, created_at=now)
    session.add(appeal)
    session.flush()
    audit.record(session, tables.audit_log, principal, "appeal.submit", "appeal", appeal.id,
                 path, {"anonymous": appeal.anonymous, "category": appeal.category})
    home = data["unit_id"] if len(ids(path)) == 6 else None
    outbox.emit(session, "appeal.submitted", _event(
        appeal, person_id=None if appeal.anonymous else appeal.submitter_person_id,
        household_unit_id=None if appeal.anonymous else home), path)
    return view(principal, appeal)


def list_appeals(session, principal: Principal, data: dict) -> dict:
    mine = Appeal.submitter_account_id == principal.account_id if principal.account_id else None
    if data.get("mine"):
        if mine is None:
            return {"items": [], "next_cursor": None}
        stmt = select(Appeal).where(mine)
    else:
        stmt = select(Appeal).where(_visible_clause(principal, mine))
    if data.get("compound_id"):
        stmt = stmt.where(Appeal.compound_id == data["compound_id"])
    if data.get("status"):
        stmt = stmt.where(Appeal.status == data["status"])
    if data.get("overdue") is not None:
        stmt = stmt.where(Appeal.overdue.is_(data["overdue"]))
    page = paginate(session, stmt, [Appeal.id], data.get("cursor"), data["limit"])
    return {"items": [view(principal, a) for a in page["items"]],
            "next_cursor": page["next_cursor"]}


def _visible_clause(principal: Principal, mine):
    staff = scope_clause(principal, Appeal.path)
    return or_(staff, mine) if mine is not None else staff


def get_appeal(session, principal, data) -> dict:
    return view(principal, visible_appeal(session, principal, data["appeal_id"]))


def _handler(session, principal, appeal_id) -> Appeal:
    appeal = visible_appeal(session, principal, appeal_id, lock=True)
    if not principal.can_act_at(APPEAL_HANDLERS, appeal.path):
        raise Forbidden()
    return appeal


def _deadline(appeal: Appeal, days: int) -> None:
    end = policy.calendar().working_days_end(clock.today_local(), days)
    appeal.reply_days = days
    appeal.reply_due_on = end.last_day
    appeal.due_approximate = end.approximate
    appeal.overdue = False


def assign_appeal(session, outbox, principal, data) -> dict:
    appeal = _handler(session, principal, data["appeal_id"])
    rules.require_transition("assign", appeal.status)
    if data.get("category"):
        appeal.category = data["category"]
    appeal.responsible = data["responsible"]
    _deadline(appeal, data.get("reply_days") or config.APPEAL_REPLY_DAYS.get())
    appeal.status = rules.ASSIGNED
    session.flush()
    audit.record(session, tables.audit_log, principal, "appeal.assign", "appeal", appeal.id,
                 appeal.path, {"responsible": appeal.responsible,
                               "reply_due_on": appeal.reply_due_on.isoformat()})
    outbox.emit(session, "appeal.assigned", _event(
        appeal, responsible=appeal.responsible,
        reply_due_on=appeal.reply_due_on.isoformat()), appeal.path)
    return view(principal, appeal)


def answer_appeal(session, outbox, principal, data) -> dict:
    appeal = _handler(session, principal, data["appeal_id"])
    rules.require_transition("answer", appeal.status)
    appeal.reply = data["reply"].strip()
    appeal.replied_at = clock.now()
    appeal.status = rules.ANSWERED
    session.flush()
    audit.record(session, tables.audit_log, principal, "appeal.answer", "appeal", appeal.id,
                 appeal.path, {"late": appeal.overdue})
    outbox.emit(session, "appeal.answered", _event(appeal), appeal.path)
    return view(principal, appeal)


def _submitter(session, principal, appeal_id) -> Appeal:
    appeal = visible_appeal(session, principal, appeal_id, lock=True)
    if not _is_submitter(principal, appeal):
        raise Forbidden("只有诉求人可以这样做。", "Only the submitter may do this.")
    return appeal


def rate_appeal(session, principal, data) -> dict:
    appeal = _submitter(session, principal, data["appeal_id"])
    rules.require_transition("rate", appeal.status)
    appeal.satisfaction = data["satisfaction"]
    appeal.status = rules.status_after_rating(data["satisfaction"])
    audit.record(session, tables.audit_log, principal, "appeal.rate", "appeal", appeal.id,
                 appeal.path, {"satisfaction": appeal.satisfaction})
    return view(principal, appeal)


def reopen_appeal(session, outbox, principal, data) -> dict:
    appeal = _submitter(session, principal, data["appeal_id"])
    rules.require_transition("reopen", appeal.status)
    appeal.status = rules.REOPENED
    appeal.reopen_count += 1
    appeal.satisfaction = None
    appeal.text = (appeal.text + f"\n\n【重新办理 {appeal.reopen_count}】" + data["reason"].strip()
                   ).strip()
    _deadline(appeal, appeal.reply_days or config.APPEAL_REPLY_DAYS.get())
    session.flush()
    audit.record(session, tables.audit_log, principal, "appeal.reopen", "appeal", appeal.id,
                 appeal.path, {"reopen_count": appeal.reopen_count})
    outbox.emit(session, "appeal.reopened", _event(appeal), appeal.path)
    return view(principal, appeal)


def refer_appeal(session, outbox, principal, data) -> dict:
    """Pass an appeal that is really a dispute on: ``deliberation.appeal.referred``."""
    appeal = _handler(session, principal, data["appeal_id"])
    rules.require_transition("refer", appeal.status)
    appeal.status = rules.REFERRED
    appeal.referred_at = clock.now()
    session.flush()
    audit.record(session, tables.audit_log, principal, "appeal.refer", "appeal", appeal.id,
                 appeal.path, {"note": data.get("note", "")[:200]})
    outbox.emit(session, "appeal.referred", {
        "appeal_id": appeal.id, "compound_id": appeal.compound_id, "path": appeal.path,
        "person_id": None if appeal.anonymous else appeal.submitter_person_id,
        "category": appeal.category, "summary": rules.scrub(appeal.summary),
        "referred_by": principal.account_id,
        "occurred_at": clock.isoformat(appeal.referred_at)}, appeal.path)
    return view(principal, appeal)


def flag_overdue(session, outbox) -> int:
    """The timer's sweep: appeals awaiting a reply past their last day are flagged once,
    each with ``deliberation.appeal.overdue``."""
    today = clock.today_local()
    flagged = list(session.scalars(
        update(Appeal).where(Appeal.status.in_(rules.OPEN_FOR_REPLY),
                             Appeal.overdue.is_(False), Appeal.reply_due_on < today)
        .values(overdue=True).returning(Appeal)))
    for appeal in flagged:
        outbox.emit(session, "appeal.overdue", _event(
            appeal, responsible=appeal.responsible,
            reply_due_on=appeal.reply_due_on.isoformat()), appeal.path)
    return len(flagged)


def mirror_board(session, unit_tree, principal, data) -> dict:
    """Topics (per category) and recent responses of a compound: aggregates and replies,
    never who asked, phone and ID numbers scrubbed from what is shown."""
    from deliberation.matters import compound_path

    compound_path(session, unit_tree, principal, data["compound_id"])      # 404 outside scope
    where = and_(Appeal.compound_id == data["compound_id"], Appeal.status != rules.REFERRED)
    topics = [{"category": r.category, "appeals": r.total, "answered": int(r.answered),
               "overdue": int(r.overdue), "satisfied": int(r.satisfied)}
              for r in session.execute(
                  select(Appeal.category, func.count().label("total"),
                         func.sum(case((Appeal.replied_at.is_not(None), 1), else_=0)).label("answered"),
                         func.sum(case((Appeal.overdue, 1), else_=0)).label("overdue"),
                         func.sum(case((Appeal.satisfaction.in_(rules.SATISFIED), 1),
                                       else_=0)).label("satisfied"))
                  .where(where).group_by(Appeal.category).order_by(Appeal.category))]
    responses = [{"category": a.category, "summary": rules.scrub(a.summary),
                  "reply": rules.scrub(a.reply or ""), "replied_at": clock.isoformat(a.replied_at),
                  "responsible": a.responsible}
                 for a in session.scalars(select(Appeal).where(where, Appeal.reply.is_not(None))
                                          .order_by(Appeal.replied_at.desc()).limit(20))]
    return {"compound_id": data["compound_id"], "topics": topics, "responses": responses}
