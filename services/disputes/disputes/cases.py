"""Use cases of cases: register (staff, a resident's report, another service's event),
read, list with filters and search, the workflow actions, the settlement, the case-file
records and the overdue sweep.

Every change locks the case row, checks the action against the workflow table
(``disputes.domain.workflow``), appends to the hash-chained case log, bumps the maintained
statistics, writes the audit row and emits its event — all in the caller's transaction
(``@endpoint`` commits once). Use cases never commit.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, text, update

from fazhi_shared import clock
from fazhi_shared.calendar import default_calendar
from fazhi_shared.context import STAFF_ROLES, Principal
from fazhi_shared.errors import Conflict, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.paths import ancestor_at, ids
from fazhi_shared.scope import PARTIES, PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from fazhi_disputes_contract.roles import CASE_HANDLERS, CASE_REGISTRARS
from fazhi_disputes_contract.vocabulary import RECORD_KINDS

from disputes import caselog, counters, search
from disputes.config import TIME_LIMIT_DAYS
from disputes.domain import intake, workflow
from disputes.domain.confirmation import confirmation_window
from disputes.domain.shares import bucket_of
from disputes.models import Agreement, Case, CaseParty, CaseRecord, tables

TERMINAL_FOR_OVERDUE = ("accepted", "mediating")


# -- reading -----------------------------------------------------------------------------
def unit_path(session, unit_tree, principal: Principal, unit_id: str) -> str:
    """The path of a unit the caller may see (units are public inside their compound)."""
    path = unit_tree.path_of(session, unit_id)
    if path is None:
        raise NotFound()
    ensure_visible(principal, path, PUBLIC)
    return path


def is_party(session, principal: Principal, case_id: str) -> bool:
    if not principal.person_id:
        return False
    return session.execute(select(CaseParty.person_id).where(
        CaseParty.case_id == case_id, CaseParty.person_id == principal.person_id)).first() \
        is not None


def visible_case(session, principal: Principal, case_id: str, lock: bool = False) -> Case:
    """The case if the caller may see it (staff in scope, or a party); 404 otherwise."""
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update()
    case = session.execute(stmt).scalar()
    if case is None:
        raise NotFound()
    ensure_visible(principal, case.path, case.visibility,
                   is_party=is_party(session, principal, case.id))
    return case


def parties_of(session, case_id: str) -> list[dict]:
    rows = session.execute(select(CaseParty).where(CaseParty.case_id == case_id)
                           .order_by(CaseParty.role, CaseParty.person_id)).scalars()
    return [{"person_id": p.person_id, "role": p.role, "name": p.name} for p in rows]


def party_names(calls, person_ids, field: str = "parties") -> dict:
    """People's names from org, asked as the caller (or the service, in a handler): a
    person org does not show the caller is refused naming ``field``; org not answering
    is a 503 before anything is written."""
    names = {}
    for person_id in dict.fromkeys(person_ids):
        try:
            names[person_id] = calls.call("org", "get_person", id=person_id)["name"]
        except NotFound:
            raise ValidationFailed.for_field(field, "该人员不存在或不在您的管辖范围内。",
                                             "Not a person in your scope.") from None
    return names


def as_dict(session, case: Case) -> dict:
    """A case as the ``Dispute`` schema dumps it (with parties and the confirmation window)."""
    out = {c.key: getattr(case, c.key) for c in Case.__table__.columns
           if c.key not in ("search_terms", "search_vector")}
    out["parties"] = parties_of(session, case.id)
    out["allowed_actions"] = [a for a in workflow.allowed_actions(case.state, case.level)
                              if a not in workflow.OWN_USE_CASE]
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case.id)).scalar()
    out["confirmation"] = None
    if agreement is not None and case.outcome == "settled":
        out["confirmation"] = confirmation_window(agreement.effective_on,
                                                  agreement.concerns_status, default_calendar())
    return out


def get_case(session, principal: Principal, data: dict) -> dict:
    return as_dict(session, visible_case(session, principal, data["case_id"]))


def list_cases(session, unit_tree, principal: Principal, data: dict) -> dict:
    """A page of the cases the caller may see, in registration order (ids are UUIDv7,
    drawn at registration), filtered."""
    party = None
    if principal.person_id:
        party = exists().where(CaseParty.case_id == Case.id,
                               CaseParty.person_id == principal.person_id)
    stmt = select(Case).where(scope_clause(principal, Case.path, Case.visibility, party))
    if not principal.is_system and not principal.paths_for(STAFF_ROLES):
        # Someone who is staff nowhere sees only cases they are a party to: start from
        # those (the parties index), not from every case in id order.
        stmt = stmt.where(Case.id.in_(select(CaseParty.case_id).where(
            CaseParty.person_id == (principal.person_id or ""))))
    if data.get("unit_id"):
        stmt = stmt.where(under(Case.path, unit_path(session, unit_tree, principal,
                                                     data["unit_id"])))
    for name in ("state", "category", "level", "source", "urgency"):
        if data.get(name):
            stmt = stmt.where(getattr(Case, name) == data[name])
    if data.get("overdue") is not None:
        stmt = stmt.where(Case.overdue.is_(data["overdue"]))
    if data.get("mine"):
        # a mediator's caseload and the cases one is a party to: from their indexes
        pid = principal.person_id or ""
        stmt = stmt.where(Case.id.in_(
            select(Case.id).where(Case.mediator_person_id == pid)
            .union(select(CaseParty.case_id).where(CaseParty.person_id == pid))))
    if data.get("registered_from"):
        stmt = stmt.where(Case.registered_at >= _local_midnight(data["registered_from"]))
    if data.get("registered_to"):
        stmt = stmt.where(Case.registered_at < _local_midnight(data["registered_to"], 1))
    if data.get("q") and data["q"].strip():
        stmt = stmt.where(search.matches(Case.search_vector, data["q"]))
    page = paginate(session, stmt, [Case.id], data.get("cursor"), data["limit"])
    page["items"] = [_list_item(c) for c in page["items"]]
    return page


def _local_midnight(day, plus_days: int = 0):
    from datetime import datetime, time, timedelta

    return clock.parse_time(datetime.combine(day + timedelta(days=plus_days),
                                             time()).isoformat())


def _list_item(case: Case) -> dict:
    return {"id": case.id, "number": case.number, "unit_id": case.unit_id,
            "compound_id": case.compound_id, "category": case.category,
            "subtype": case.subtype, "summary": intake.summary_of(case.description),
            "urgency": case.urgency, "state": case.state, "level": case.level,
            "overdue": case.overdue, "registered_at": case.registered_at,
            "due_on": case.due_on}


# -- registering -------------------------------------------------------------------------
def register(session, outbox, unit_tree, principal: Principal, data: dict,
             source_ref: str | None = None, path: str | None = None,
             names: dict | None = None) -> Case:
    """Register a case (every case is registered, DOMAIN-RULES §2): its registration
    record, the first entry of its log, its counters, its audit row and event.
    ``names``: the parties' names as org gave them (person id → name)."""
    if path is None:
        path = unit_path(session, unit_tree, principal, data["unit_id"])
        intake.require_role(principal, CASE_REGISTRARS, path)
    intake.require_case_location(path)
    # A case passed on by another service may have no known person yet (anonymous).
    parties = intake.check_parties(data["parties"]) if data["parties"] or source_ref is None \
        else []
    description = intake.clean_text(data["description"])
    compound_path = ancestor_at(path, "compound")
    now = clock.now()
    seq = session.execute(text("SELECT nextval('case_number_seq')")).scalar()
    case = Case(
        id=new_id(), number=f"{clock.to_local(now).year}-{seq:07d}", unit_id=ids(path)[-1],
        path=path, compound_id=ids(compound_path)[-1], compound_path=compound_path,
        visibility=PARTIES, source=data["source"], source_ref=source_ref,
        category=data["category"], subtype=data.get("subtype"), description=description,
        search_terms=search.segment(description), urgency=data.get("urgency") or "normal",
        risk_flags=sorted(set(data.get("risk_flags") or [])),
        prior_authority=data.get("prior_authority"), state="registered", level="compound",
        handling_unit_id=ids(compound_path)[-1], reached_mediation=False,
        registered_at=now, overdue=False, registered_by_person_id=principal.person_id,
        version=1)
    session.add(case)
    session.flush()
    for p in parties:
        session.add(CaseParty(case_id=case.id, name=(names or {}).get(p["person_id"]), **p))
    _record(session, principal, case, "registration", description,
            {"source": case.source, "category": case.category, "parties": parties,
             "urgency": case.urgency, "risk_flags": case.risk_flags,
             "prior_authority": case.prior_authority})
    caselog.start_chain(session, case.id)
    caselog.append(session, case.id, principal, "register",
                   {"number": case.number, "source": case.source, "category": case.category,
                    "level": case.level, "parties": parties})
    counters.bump(session, compound_path, now, case.category, {"registered": 1})
    audit.record(session, tables.audit_log, principal, "case.register", "case", case.id,
                 case.path, {"number": case.number, "source": case.source})
    _emit(session, outbox, case, "registered")
    return case


def report(session, outbox, unit_tree, principal: Principal, data: dict) -> Case:
    """A resident reports a problem on their own unit (or one in their compound): a case
    from a party's application with them as applicant."""
    homes = principal.paths_for(("resident",))
    if not homes or not principal.person_id:
        raise NotFound()
    if data.get("unit_id"):
        path = unit_path(session, unit_tree, principal, data["unit_id"])
    else:
        path = homes[0]
    return register(session, outbox, unit_tree, principal, {
        "source": "party_application", "category": data["category"],
        "subtype": data.get("subtype"), "description": data["description"],
        "urgency": "normal", "risk_flags": [],
        "parties": [{"person_id": principal.person_id, "role": "applicant"}]}, path=path)


# -- the workflow ------------------------------------------------------------------------
def handled_case(session, principal: Principal, case_id: str,
                 expected_version: int | None = None) -> Case:
    """The case, locked, if the caller may handle it (404 outside scope, 403 by role)."""
    case = visible_case(session, principal, case_id, lock=True)
    intake.require_role(principal, CASE_HANDLERS, case.path)
    if expected_version is not None and expected_version != case.version:
        raise Conflict("案件已被他人更新，请刷新后重试。",
                       "The case changed meanwhile; reload and try again.")
    return case


def act(session, outbox, principal: Principal, data: dict) -> Case:
    case = handled_case(session, principal, data["case_id"], data.get("expected_version"))
    action = data["action"]
    if action in workflow.OWN_USE_CASE:
        raise ValidationFailed.for_field("action", "此操作请使用对应的功能（调解协议/卷宗材料）。",
                                         "Use the agreement or records endpoint for this.")
    if action == "accept" and case.state == "registered":
        refusal = workflow.refusal_at_acceptance(case.prior_authority)
        if refusal:
            action, data = "refuse", {**data, "reason": refusal}
    step = workflow.step_for(action, case.state, case.level, data)
    reason = intake.clean_text(data["reason"], "reason") if data.get("reason") else None
    detail: dict = {"from": case.state}
    today = clock.today_local()
    if action == "accept":
        case.accepted_at = clock.now()
        _start_level(session, case, today)
    elif action == "assign":
        case.mediator_person_id = data["mediator_person_id"]
        detail["mediator_person_id"] = case.mediator_person_id
    elif action == "start_mediation":
        case.reached_mediation = True
    elif action == "escalate":
        case.level = workflow.next_level(case.level)
        case.handling_unit_id = ids(ancestor_at(case.path, case.level))[-1]
        _start_level(session, case, today)
        detail["to_level"] = case.level
    elif action == "pass_out":
        case.pass_out_body = data["to_body"]
        detail["to_body"] = case.pass_out_body
        _conclude(session, case, "passed_out")
    elif action == "fail":
        detail["routes_advised"] = sorted(set(data["routes_advised"]))
        _conclude(session, case, "failed")
    elif action == "close":
        present = set(session.execute(select(CaseRecord.kind).where(
            CaseRecord.case_id == case.id)).scalars())
        missing = workflow.missing_for_close(case.outcome, case.reached_mediation,
                                             case.state, present)
        if missing:
            zh = [RECORD_KINDS.label(k) for k in missing]
            en = [RECORD_KINDS.label(k, "en") for k in missing]
            raise Conflict("卷宗材料不全，不能结案：缺少" + "、".join(zh) + "。",
                           "The case file lacks: " + ", ".join(en) + ".",
                           fields={"zh": {"records": zh}, "en": {"records": missing}})
        case.closed_at = clock.now()
        days = (clock.to_local(case.closed_at).date()
                - clock.to_local(case.registered_at).date()).days
        counters.bump(session, case.compound_path, case.closed_at, case.category,
                      {"closed": 1, "close_days": days})
    elif action == "reopen":
        if case.state == "closed":
            days = (clock.to_local(case.closed_at).date()
                    - clock.to_local(case.registered_at).date()).days
            counters.bump(session, case.compound_path, case.closed_at, case.category,
                          {"closed": -1, "close_days": -days})
            case.closed_at = None
        _unconclude(session, case)
        _start_level(session, case, today)
    if step.writes:
        _record(session, principal, case, step.writes, reason or "", detail)
    if step.to_state:
        case.state = step.to_state
    if case.state not in TERMINAL_FOR_OVERDUE:
        set_overdue(session, case, False)
    return _changed(session, outbox, principal, case, action, step.event, reason, detail)


def settle(session, outbox, principal: Principal, data: dict) -> Case:
    """Record the settlement agreement (DOMAIN-RULES §2) and settle the case."""
    case = handled_case(session, principal, data["case_id"])
    step = workflow.step_for("settle", case.state, case.level, {"agreement": data})
    parties = {p["person_id"] for p in parties_of(session, case.id)}
    signed = set(data.get("signed_by") or [])
    if signed - parties:
        raise ValidationFailed.for_field("signed_by", "签名人须为本案当事人。",
                                         "Only the case's parties sign the agreement.")
    if data["form"] == "written" and (signed != parties or not data["mediator_signed"]
                                      or not data["sealed"]):
        raise ValidationFailed.for_field(
            "signed_by", "书面协议须经全体当事人和调解员签名并加盖调解委员会印章后生效。",
            "A written agreement takes effect once every party and the mediator have "
            "signed and the committee's seal is applied.")
    facts = intake.clean_text(data["facts"], "facts")
    terms = [{"content": intake.clean_text(t["content"], "terms"), "method": t["method"],
              "place": t["place"], "due_on": t["due_on"].isoformat()} for t in data["terms"]]
    agreement = Agreement(
        id=new_id(), case_id=case.id, form=data["form"], facts=facts, terms=terms,
        signed_by=sorted(signed), mediator_signed=data["mediator_signed"],
        sealed=data["sealed"], concerns_status=data["concerns_status"],
        effective_on=data.get("effective_on") or clock.today_local(), created_at=clock.now())
    session.add(agreement)
    detail = {"from": case.state, "agreement_id": agreement.id, "form": agreement.form,
              "terms": len(terms), "concerns_status": agreement.concerns_status,
              "effective_on": agreement.effective_on.isoformat()}
    _record(session, principal, case, step.writes, facts, detail)
    _conclude(session, case, "settled")
    case.state = step.to_state
    set_overdue(session, case, False)
    return _changed(session, outbox, principal, case, "settle", step.event, None, detail)


def get_agreement(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case.id)).scalar()
    if agreement is None:
        raise NotFound("本案没有调解协议。", "The case has no agreement.")
    out = {c.key: getattr(agreement, c.key) for c in Agreement.__table__.columns}
    out["terms"] = [{**t, "due_on": date.fromisoformat(t["due_on"])} for t in agreement.terms]
    out["copies"] = len(parties_of(session, case.id)) + 1
    return out


def add_record(session, principal: Principal, data: dict) -> CaseRecord:
    case = handled_case(session, principal, data["case_id"])
    workflow.step_for("record", case.state, case.level, {"reason": data["text"]})
    rec = _record(session, principal, case, data["kind"],
                  intake.clean_text(data["text"], "text"), {})
    caselog.append(session, case.id, principal, f"record.{rec.kind}", {"record_id": rec.id})
    audit.record(session, tables.audit_log, principal, "case.record", "case", case.id,
                 case.path, {"kind": rec.kind})
    return rec


def list_records(session, principal: Principal, data: dict) -> dict:
    case = visible_case(session, principal, data["case_id"])
    stmt = select(CaseRecord).where(CaseRecord.case_id == case.id)
    return paginate(session, stmt, [CaseRecord.id], data.get("cursor"), data["limit"])


def sweep_overdue(session, outbox, today, batch: int = 500) -> int:
    """Flag open cases past their level's time limit (the overdue timer): each flagged
    case gets a log entry and a ``disputes.case.overdue`` event."""
    system = Principal.of_service("disputes")
    rows = session.execute(select(Case).where(
        Case.state.in_(TERMINAL_FOR_OVERDUE), Case.due_on < today, Case.overdue.is_(False))
        .order_by(Case.due_on).limit(batch).with_for_update(skip_locked=True)).scalars().all()
    for case in rows:
        set_overdue(session, case, True)
        _changed(session, outbox, system, case, "overdue", "overdue", None,
                 {"due_on": case.due_on.isoformat()})
    return len(rows)


# -- shared steps --------------------------------------------------------------------------
def set_overdue(session, case: Case, flag: bool) -> None:
    """Flag or clear a case's overdue state, keeping the compound's current count."""
    if bool(case.overdue) != flag:
        case.overdue = flag
        counters.bump_current(session, case.compound_path, "overdue", 1 if flag else -1)


def _start_level(session, case: Case, today) -> None:
    case.level_started_on = today
    case.due_on = intake.due_on(today, TIME_LIMIT_DAYS.get(), default_calendar())
    set_overdue(session, case, False)


def _conclude(session, case: Case, outcome: str) -> None:
    if case.outcome:
        _unconclude(session, case)
    case.outcome, case.concluded_level, case.concluded_at = outcome, case.level, clock.now()
    counters.bump(session, case.compound_path, case.concluded_at, case.category,
                  {f"concluded:{bucket_of(outcome, case.level)}": 1, outcome: 1})


def _unconclude(session, case: Case) -> None:
    if not case.outcome:
        return
    counters.bump(session, case.compound_path, case.concluded_at, case.category,
                  {f"concluded:{bucket_of(case.outcome, case.concluded_level)}": -1,
                   case.outcome: -1})
    case.outcome = case.concluded_level = case.concluded_at = None


def _record(session, principal, case: Case, kind: str, text_: str, detail: dict) -> CaseRecord:
    rec = CaseRecord(id=new_id(), case_id=case.id, kind=kind, text=text_, detail=detail,
                     author_person_id=principal.person_id, created_at=clock.now())
    session.add(rec)
    session.flush()
    return rec


def _changed(session, outbox, principal, case: Case, action: str, event: str | None,
             reason: str | None, detail: dict) -> Case:
    case.version += 1
    session.flush()
    caselog.append(session, case.id, principal, action,
                   {**detail, "to": case.state, "level": case.level,
                    **({"reason": reason} if reason else {})})
    audit.record(session, tables.audit_log, principal, f"case.{action}", "case", case.id,
                 case.path, {"state": case.state, "level": case.level})
    if event:
        _emit(session, outbox, case, event, reason)
    return case


def _emit(session, outbox, case: Case, verb: str, reason: str | None = None) -> None:
    outbox.emit(session, f"case.{verb}", {
        "id": case.id, "number": case.number, "compound_id": case.compound_id,
        "category": case.category, "source": case.source, "state": case.state,
        "level": case.level, "outcome": case.outcome, "concluded_level": case.concluded_level,
        "mediator_person_id": case.mediator_person_id, "reason": reason,
        "occurred_at": clock.isoformat(clock.now())}, case.path)


def move_cases(session, old_path: str, new_path: str) -> None:
    """org moved a unit: what lies under it follows — cases (their compound path taken
    again from the new path), campaigns and items by prefix, and the statistics of a
    compound moved with its community or street. (A building moved to another compound
    takes its cases along; their past counts stay with the compound they were made in.)"""
    from sqlalchemy import func, literal

    from disputes.models import Campaign, CurrentCounter, RectificationItem, StatCounter

    def rebased(col):
        return literal(new_path) + func.substr(col, len(old_path) + 1)

    t = Case.__table__
    session.execute(update(t).where(under(t.c.path, old_path)).values(path=rebased(t.c.path)))
    session.execute(update(t).where(under(t.c.path, new_path)).values(
        compound_path=func.array_to_string(
            func.trim_array(func.string_to_array(t.c.path, "/"),
                            func.greatest(func.cardinality(func.string_to_array(t.c.path, "/"))
                                          - 5, 0)), "/")))
    session.execute(update(t).where(under(t.c.path, new_path)).values(
        compound_id=func.split_part(t.c.compound_path, "/", 5)))
    for model in (Campaign, RectificationItem):
        m = model.__table__
        session.execute(update(m).where(under(m.c.path, old_path)).values(path=rebased(m.c.path)))
    for model in (StatCounter, CurrentCounter):
        c = model.__table__
        session.execute(update(c).where(under(c.c.compound_path, old_path)).values(
            compound_path=rebased(c.c.compound_path)))
