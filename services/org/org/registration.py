"""Residents registering with their phone, confirmation by staff or the owners' committee,
and errands (代办) recorded for residents who cannot use a phone.

A resident asks for a code (sent through the delivery channel), registers with it, and
gets an account with no rights yet plus a *claim* on their unit. Staff in scope or the
compound's owners' committee confirm the claim: the account gets the ``resident`` grant
on the unit and the person moves in. Codes are stored only as keyed hashes, expire in
10 minutes, allow 5 attempts, and a phone gets at most one code a minute, 5 an hour.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select

from fazhi_shared import clock, delivery

from fazhi_shared.service import audit
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.service.pagination import paginate
from fazhi_shared.scope import can_see

from fazhi_shared.service.scope import scope_clause

from org import identity
from org.accounts import account_view, grant_role
from org.config import BLIND_INDEX_KEY
from fazhi_org_contract.roles import CLAIM_DECIDERS, ERRAND_RUNNERS
from org.models import (Account, Errand, Person, PhoneCode, Residency, ResidentClaim, Unit,
                        tables)
from org.units import ensure_live, visible_unit

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
PER_MINUTE, PER_HOUR = 1, 5


def _code_hash(phone: str, code: str) -> str:
    return hmac.new(BLIND_INDEX_KEY.get().encode(), f"code:{phone}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def request_code(session, principal: Principal, data: dict) -> dict:
    phone = data["phone"]
    now = clock.now()
    recent = session.execute(select(PhoneCode.created_at).where(
        PhoneCode.phone == phone, PhoneCode.created_at > now - timedelta(hours=1))
        .order_by(PhoneCode.created_at.desc())).scalars().all()
    if len(recent) >= PER_HOUR or (recent and recent[0] > now - timedelta(minutes=1)):
        raise Conflict("验证码发送过于频繁，请稍后再试。", "Too many codes requested; try later.")
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(PhoneCode(id=new_id(), phone=phone, code_hash=_code_hash(phone, code),
                          expires_at=now + CODE_TTL, created_at=now))
    session.flush()
    delivery.send_text(phone, f"【法治小区】您的验证码是{code}，10分钟内有效。请勿告诉他人。")
    return {"sent": True, "expires_in": int(CODE_TTL.total_seconds())}


def _consume_code(session, phone: str, code: str) -> None:
    now = clock.now()
    row = session.execute(select(PhoneCode).where(
        PhoneCode.phone == phone, PhoneCode.consumed_at.is_(None), PhoneCode.expires_at > now)
        .order_by(PhoneCode.created_at.desc()).limit(1).with_for_update()).scalar()
    wrong = ValidationFailed.for_field("code", "验证码错误或已过期。", "Wrong or expired code.")
    if row is None or row.attempts >= MAX_ATTEMPTS:
        raise wrong
    if not hmac.compare_digest(row.code_hash, _code_hash(phone, code)):
        row.attempts += 1
        session.commit()          # the failed attempt counts even though we refuse
        raise wrong
    row.consumed_at = now


def register(session, outbox, principal: Principal, data: dict) -> dict:
    """A resident registers with a verified phone and claims a unit."""
    unit = session.get(Unit, data["unit_id"])
    if unit is None or unit.kind != "unit" or unit.retired_at is not None:
        raise ValidationFailed.for_field("unit_id", "房屋不存在或已停用。",
                                         "No such unit, or it is retired.")
    if session.execute(select(Account.id).where(Account.username == data["phone"])).scalar():
        raise Conflict("该手机号已注册。", "This phone is already registered.",
                       fields={"zh": {"phone": ["该手机号已注册。"]},
                               "en": {"phone": ["Already registered."]}})
    _consume_code(session, data["phone"], data["code"])
    now = clock.now()
    person = Person(id=new_id(), name=data["name"].strip(), phone=data["phone"], path=unit.path,
                    created_at=now, updated_at=now)
    account = Account(id=new_id(), username=data["phone"], person_id=person.id,
                      password_hash=identity.hash_password(data["password"]), disabled=False,
                      created_at=now)
    session.add(person)
    session.flush()
    session.add(account)
    session.flush()
    claim = _claim(session, outbox, Principal(kind="user", account_id=account.id,
                                              person_id=person.id,
                                              request_id=principal.request_id),
                   person, unit, data["relation"], account_id=account.id)
    audit.record(session, tables.audit_log, Principal(kind="user", account_id=account.id,
                                                      person_id=person.id),
                 "account.register", "account", account.id, unit.path)
    outbox.emit(session, "account.created", {"id": account.id, "person_id": person.id},
                unit.path)
    return {"account": account_view(session, account), "claim": claim_view(claim)}


def _claim(session, outbox, principal, person, unit, relation, account_id=None, note=None):
    claim = ResidentClaim(id=new_id(), account_id=account_id, person_id=person.id,
                          unit_id=unit.id, relation=relation, status="pending", path=unit.path,
                          note=note, created_at=clock.now())
    session.add(claim)
    session.flush()
    outbox.emit(session, "resident_claim.created", {"id": claim.id, "unit_id": unit.id,
                                                    "person_id": person.id}, unit.path)
    return claim


def claim_view(claim: ResidentClaim) -> dict:
    return {"id": claim.id, "account_id": claim.account_id, "person_id": claim.person_id,
            "unit_id": claim.unit_id, "relation": claim.relation, "status": claim.status,
            "path": claim.path, "note": claim.note, "created_at": claim.created_at,
            "decided_at": claim.decided_at}


def list_claims(session, principal: Principal, data: dict) -> dict:
    stmt = select(ResidentClaim).where(
        scope_clause(principal, ResidentClaim.path, staff_roles=CLAIM_DECIDERS))
    if data.get("status"):
        stmt = stmt.where(ResidentClaim.status == data["status"])
    if data.get("unit_id"):
        unit = visible_unit(session, principal, data["unit_id"])
        stmt = stmt.where(ResidentClaim.path.startswith(unit.path, autoescape=True))
    page = paginate(session, stmt, [ResidentClaim.id], data.get("cursor"), data["limit"])
    page["items"] = [claim_view(c) for c in page["items"]]
    return page


def decide_claim(session, outbox, principal: Principal, data: dict) -> dict:
    claim = session.get(ResidentClaim, data["claim_id"], with_for_update=True)
    if claim is None or not can_see(principal, claim.path, staff_roles=CLAIM_DECIDERS):
        raise NotFound()
    if claim.status != "pending":
        raise Conflict("该申请已处理。", "This claim has already been decided.")
    claim.status = "confirmed" if data["decision"] == "confirm" else "rejected"
    claim.decided_by = principal.account_id
    claim.decided_at = clock.now()
    if data.get("note"):
        claim.note = data["note"]
    if claim.status == "confirmed":
        # A unit retired since the claim was made takes no resident: reject the claim.
        ensure_live(session.get(Unit, claim.unit_id), "claim_id")
        if claim.account_id:
            # The confirmer's own grant need not allow granting roles: this is the system
            # acting on a decision the confirmer may take.
            grant_role(session, outbox, Principal.system(principal.request_id),
                       {"account_id": claim.account_id, "role": "resident",
                        "unit_id": claim.unit_id})
        residency = Residency(id=new_id(), unit_id=claim.unit_id, person_id=claim.person_id,
                              relation=claim.relation, moved_in=clock.today_local(),
                              path=claim.path, created_at=clock.now())
        session.add(residency)
        outbox.emit(session, "resident.moved_in", {
            "id": residency.id, "unit_id": claim.unit_id, "person_id": claim.person_id,
            "relation": claim.relation, "moved_in": residency.moved_in.isoformat()}, claim.path)
    audit.record(session, tables.audit_log, principal, f"resident_claim.{claim.status}",
                 "resident_claim", claim.id, claim.path, {"note": data.get("note")})
    outbox.emit(session, f"resident_claim.{claim.status}", {"id": claim.id,
                                                            "unit_id": claim.unit_id,
                                                            "person_id": claim.person_id},
                claim.path)
    return claim_view(claim)


def register_for(session, outbox, principal: Principal, data: dict) -> dict:
    """代办: a staff member or volunteer registers a resident who cannot use a phone.

    The person and the claim are recorded; the errand says who acted for whom, and the
    audit rows carry ``on_behalf_of``. No account is made (the resident has no phone login).
    """
    unit = visible_unit(session, principal, data["unit_id"])
    if unit.kind != "unit":
        raise ValidationFailed.for_field("unit_id", "请选择具体房屋。", "Choose a unit.")
    if not principal.can_act_at(ERRAND_RUNNERS, unit.path):
        raise Forbidden()
    ensure_live(unit, "unit_id")
    now = clock.now()
    person = Person(id=new_id(), name=data["name"].strip(), phone=data.get("phone"),
                    path=unit.path, created_at=now, updated_at=now)
    session.add(person)
    session.flush()
    claim = _claim(session, outbox, principal, person, unit, data["relation"],
                   note=data.get("note"))
    errand = _errand(session, principal, person, "resident.register", data.get("note"),
                     "resident_claim", claim.id, unit.path)
    audit.record(session, tables.audit_log, principal, "resident_claim.create_for",
                 "resident_claim", claim.id, unit.path, {"errand_id": errand.id},
                 on_behalf_of=person.id)
    return {"claim": claim_view(claim), "errand": errand_view(errand)}


def _errand(session, principal, person, action, note, ref_entity, ref_id, path) -> Errand:
    errand = Errand(id=new_id(), actor_account_id=principal.account_id,
                    actor_person_id=principal.person_id, resident_person_id=person.id,
                    action=action, note=note, ref_entity=ref_entity, ref_id=ref_id, path=path,
                    created_at=clock.now())
    session.add(errand)
    session.flush()
    return errand


def record_errand(session, outbox, principal: Principal, data: dict) -> dict:
    """Record something done for a resident (e.g. a request written down at the door)."""
    person = session.get(Person, data["resident_person_id"])
    if person is None or not can_see(principal, person.path):
        raise NotFound()
    if not principal.can_act_at(ERRAND_RUNNERS, person.path):
        raise Forbidden()
    errand = _errand(session, principal, person, data["action"], data.get("note"), None, None,
                     person.path)
    audit.record(session, tables.audit_log, principal, "errand.record", "errand", errand.id,
                 person.path, {"action": data["action"]}, on_behalf_of=person.id)
    outbox.emit(session, "errand.recorded", {"id": errand.id, "resident_person_id": person.id,
                                             "action": errand.action}, person.path)
    return errand_view(errand)


def errand_view(errand: Errand) -> dict:
    return {"id": errand.id, "actor_account_id": errand.actor_account_id,
            "actor_person_id": errand.actor_person_id,
            "resident_person_id": errand.resident_person_id, "action": errand.action,
            "note": errand.note, "ref_entity": errand.ref_entity, "ref_id": errand.ref_id,
            "created_at": errand.created_at}


def list_errands(session, principal: Principal, data: dict) -> dict:
    stmt = select(Errand).where(scope_clause(principal, Errand.path))
    if data.get("resident_person_id"):
        stmt = stmt.where(Errand.resident_person_id == data["resident_person_id"])
    page = paginate(session, stmt, [Errand.id], data.get("cursor"), data["limit"])
    page["items"] = [errand_view(e) for e in page["items"]]
    return page

