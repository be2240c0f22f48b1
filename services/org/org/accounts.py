"""Use cases of accounts and grants, and password login for the gateway."""
from __future__ import annotations

from sqlalchemy import exists, select

from fazhi_shared import clock
from fazhi_shared.context import Grant as Held, Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, Unauthenticated
from fazhi_shared.ids import new_id
from fazhi_shared.scope import can_see
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_org_contract.identifiers import canonical_phone, is_mobile
from fazhi_org_contract.roles import ACCOUNT_ADMINS

from org import identity
from org.domain.account_admin import account_visible, require_account_action, require_may_give
from org.models import Account, Grant, Person, tables
from org.units import ensure_live, visible_unit

BAD_LOGIN = ("用户名或密码错误。", "Wrong username or password.")


def account_view(session, account: Account) -> dict:
    person = session.get(Person, account.person_id)
    grants = session.execute(select(Grant).where(Grant.account_id == account.id,
                                                 Grant.revoked_at.is_(None))
                             .order_by(Grant.created_at)).scalars().all()
    return {"id": account.id, "username": account.username, "person_id": account.person_id,
            "display_name": person.name if person else account.username,
            "disabled": account.disabled,
            "password_changed_at": account.password_changed_at,
            "grants": [{"id": g.id, "role": g.role, "unit_id": g.unit_id, "path": g.path}
                       for g in grants]}


def _by_username(session, username: str) -> Account | None:
    """The account of ``username``; residents log in with their phone however they spell
    it (registration stored its canonical form)."""
    account = session.execute(select(Account).where(Account.username == username)).scalar()
    phone = canonical_phone(username)
    if account is None and phone is not None and phone != username:
        account = session.execute(select(Account).where(Account.username == phone)).scalar()
    return account


def authenticate(session, principal: Principal, data: dict) -> dict:
    account = _by_username(session, data["username"])
    ok = identity.verify_password(account.password_hash if account else None, data["password"],
                                  deadline=principal.deadline)
    if not ok or account.disabled:
        raise Unauthenticated(*BAD_LOGIN)
    if identity.needs_rehash(account.password_hash):
        account.password_hash = identity.hash_password(data["password"],
                                                       deadline=principal.deadline)
    audit.record(session, tables.audit_log, Principal(kind="user", account_id=account.id,
                                                      person_id=account.person_id,
                                                      request_id=principal.request_id),
                 "account.login", "account", account.id)
    return account_view(session, account)


def _held(session, account_id: str) -> tuple:
    """The account's active grants as (role, path) pairs, for the administration rule."""
    return tuple(Held(role, path) for role, path in session.execute(
        select(Grant.role, Grant.path).where(Grant.account_id == account_id,
                                             Grant.revoked_at.is_(None))))


def _visible_account(session, principal: Principal, account_id: str,
                     for_update: bool = False) -> Account:
    """The account if the caller may read it (itself, the system, admins whose scope holds
    its person or one of its grants); 404 otherwise, as for an id that does not exist."""
    account = session.get(Account, account_id, with_for_update=for_update)
    if account is None:
        raise NotFound()
    if not (principal.is_system or principal.account_id == account.id):
        person = session.get(Person, account.person_id)
        if not account_visible(principal, person.path, _held(session, account.id)):
            raise NotFound()
    return account


def _administered(session, principal: Principal, action: str, account_id: str,
                  new_grant: Held | None = None) -> tuple[Account, Person]:
    """The account and its person if the caller may take ``action`` on it (the matrix of
    ``fazhi_org_contract.roles.ACCOUNT_MATRIX``): 404 if they may not see it, else 403."""
    account = session.get(Account, account_id, with_for_update=True)
    person = session.get(Person, account.person_id) if account else None
    if person is None:
        raise NotFound()
    require_account_action(principal, action, person.path, _held(session, account.id),
                           new_grant)
    return account, person


def get_account(session, principal: Principal, data: dict) -> dict:
    return account_view(session, _visible_account(session, principal, data["account_id"]))


def create_account(session, outbox, principal: Principal, data: dict) -> dict:
    person = session.get(Person, data["person_id"])
    if person is None or not can_see(principal, person.path, staff_roles=ACCOUNT_ADMINS):
        raise NotFound()
    if session.execute(select(Account.id).where(Account.username == data["username"])).scalar():
        raise Conflict("用户名已被占用。", "The username is taken.",
                       fields={"zh": {"username": ["用户名已被占用。"]},
                               "en": {"username": ["Already taken."]}})
    account = Account(id=new_id(), username=data["username"], person_id=person.id,
                      password_hash=identity.hash_password(data["password"]), disabled=False,
                      created_at=clock.now())
    session.add(account)
    session.flush()
    audit.record(session, tables.audit_log, principal, "account.create", "account", account.id,
                 person.path, {"username": account.username})
    outbox.emit(session, "account.created", {"id": account.id, "person_id": person.id},
                person.path)
    return account_view(session, account)


def grant_role(session, outbox, principal: Principal, data: dict) -> dict:
    # An account the caller may not read is a 404 before anything is said about the unit.
    _visible_account(session, principal, data["account_id"])
    unit = visible_unit(session, principal, data["unit_id"])
    account, _ = _administered(session, principal, "grant", data["account_id"],
                               Held(data["role"], unit.path))
    grant, _ = _give(session, outbox, principal, account, data["role"], unit)
    return _grant_view(grant)


def _give(session, outbox, principal: Principal, account: Account, role: str, unit,
          detail: dict | None = None) -> tuple[Grant, bool]:
    """The account's active grant of ``role`` on ``unit``, made (audited, announced) if it
    holds none; ``(grant, created)``."""
    existing = session.execute(select(Grant).where(
        Grant.account_id == account.id, Grant.role == role, Grant.unit_id == unit.id,
        Grant.revoked_at.is_(None))).scalar()
    if existing:
        return existing, False
    grant = Grant(id=new_id(), account_id=account.id, role=role, unit_id=unit.id,
                  path=unit.path, created_at=clock.now())
    session.add(grant)
    session.flush()
    audit.record(session, tables.audit_log, principal, "grant.create", "grant", grant.id,
                 unit.path, {"account_id": account.id, "role": grant.role, **(detail or {})})
    outbox.emit(session, "grant.created", _grant_event(grant, account), unit.path)
    return grant, True


NO_ACCOUNT = ("该人员尚未开通账号，无法授予角色：请先为其创建账号，或请本人注册。",
              "This person has no account, so no role can be given: create one for them "
              "first, or ask them to register.")
ACCOUNT_DISABLED = ("该人员的账号已停用，无法授予角色：请先由管理员重新启用。",
                    "This person's account is disabled, so no role can be given: an "
                    "administrator must re-enable it first.")


def grant_person_role(session, outbox, principal: Principal, data: dict) -> dict:
    """Give the account of a person a duty role (``PERSON_GRANTABLE_ROLES``, checked by
    the schema) at a unit: what the legal service does when it appoints someone. The
    person's account is their enabled one (the oldest if several); 409 without one."""
    person = session.get(Person, data["person_id"])
    if person is None:
        raise NotFound()
    unit = visible_unit(session, principal, data["unit_id"])
    ensure_live(unit, "unit_id")
    require_may_give(principal, person.path, Held(data["role"], unit.path))
    account = session.execute(
        select(Account).where(Account.person_id == person.id)
        .order_by(Account.disabled, Account.created_at, Account.id).limit(1)
        .with_for_update()).scalar()
    if account is None:
        raise Conflict(*NO_ACCOUNT)
    if account.disabled:
        raise Conflict(*ACCOUNT_DISABLED)
    grant, created = _give(session, outbox, principal, account, data["role"], unit,
                           {"person_id": person.id, "reason": data["reason"]})
    return {**_grant_view(grant), "account_id": account.id, "person_id": person.id,
            "created": created}


def revoke_grant(session, outbox, principal: Principal, data: dict) -> dict:
    grant = session.get(Grant, data["grant_id"], with_for_update=True)
    if grant is None or grant.revoked_at is not None:
        raise NotFound()
    account, _ = _administered(session, principal, "revoke", grant.account_id)
    if grant.account_id == principal.account_id and grant.role in ACCOUNT_ADMINS:
        raise Forbidden("不能撤销自己的管理权限。", "You cannot revoke your own admin role.")
    grant.revoked_at = clock.now()
    audit.record(session, tables.audit_log, principal, "grant.revoke", "grant", grant.id,
                 grant.path, {"account_id": grant.account_id, "role": grant.role})
    outbox.emit(session, "grant.revoked", _grant_event(grant, account), grant.path)
    return {"revoked": True, "id": grant.id}


def _grant_view(grant: Grant) -> dict:
    return {"id": grant.id, "role": grant.role, "unit_id": grant.unit_id, "path": grant.path}


def _grant_event(grant: Grant, account: Account) -> dict:
    return {"id": grant.id, "account_id": account.id, "person_id": account.person_id,
            "role": grant.role, "path": grant.path}


def reset_password(session, outbox, principal: Principal, data: dict) -> dict:
    """An admin sets a new password; sessions started before are refused at refresh."""
    account, person = _administered(session, principal, "reset_password", data["account_id"])
    account.password_hash = identity.hash_password(data["new_password"])
    account.password_changed_at = clock.now()
    audit.record(session, tables.audit_log, principal, "account.reset_password", "account",
                 account.id, person.path)
    outbox.emit(session, "account.credentials_changed", {"id": account.id}, person.path)
    return account_view(session, account)


def change_own_password(session, outbox, principal: Principal, data: dict) -> dict:
    account = session.get(Account, principal.account_id, with_for_update=True)
    if account is None or not identity.verify_password(account.password_hash,
                                                        data["old_password"]):
        raise Unauthenticated("原密码错误。", "The current password is wrong.")
    account.password_hash = identity.hash_password(data["new_password"])
    account.password_changed_at = clock.now()
    audit.record(session, tables.audit_log, principal, "account.change_password", "account",
                 account.id)
    outbox.emit(session, "account.credentials_changed", {"id": account.id}, None)
    return account_view(session, account)


def set_disabled(session, outbox, principal: Principal, data: dict) -> dict:
    account, person = _administered(session, principal, "disable", data["account_id"])
    if account.id == principal.account_id:
        raise Forbidden("不能停用自己的账号。", "You cannot disable your own account.")
    account.disabled = data["disabled"]
    action = "account.disable" if account.disabled else "account.enable"
    audit.record(session, tables.audit_log, principal, action, "account", account.id,
                 person.path)
    outbox.emit(session, "account.credentials_changed", {"id": account.id}, person.path)
    return account_view(session, account)


def account_labels(session, principal: Principal, data: dict) -> dict:
    """Name, username (a phone masked) and state of the accounts among ``account_ids`` the
    caller sees as an admin, and whether they may act on each (the ``disable`` column of
    the matrix: end its sessions) — what the gateway's login log and sessions pages show,
    one call per page. Accounts the caller does not see are left out (never confirmed)."""
    if not principal.is_system and not principal.paths_for(ACCOUNT_ADMINS):
        raise Forbidden()
    wanted = list(dict.fromkeys(data["account_ids"]))
    rows = session.execute(select(Account, Person).join(Person, Person.id == Account.person_id)
                           .where(Account.id.in_(wanted))).all()
    held: dict = {}
    for account_id, role, path in session.execute(
            select(Grant.account_id, Grant.role, Grant.path)
            .where(Grant.account_id.in_(wanted), Grant.revoked_at.is_(None))):
        held.setdefault(account_id, []).append(Held(role, path))
    items = []
    for account, person in rows:
        grants = tuple(held.get(account.id, ()))
        if not account_visible(principal, person.path, grants):
            continue
        try:
            require_account_action(principal, "disable", person.path, grants)
            manageable = True
        except (Forbidden, NotFound):
            manageable = False
        username = account.username
        if is_mobile(canonical_phone(username) or ""):
            username = identity.mask_phone(canonical_phone(username))
        items.append({"id": account.id, "username": username, "display_name": person.name,
                      "disabled": account.disabled, "manageable": manageable})
    return {"items": items}


def list_accounts(session, principal: Principal, data: dict) -> dict:
    """Accounts the admin may read: their person or one of their grants is in scope."""
    granted_here = exists().where(Grant.account_id == Account.id, Grant.revoked_at.is_(None),
                                  scope_clause(principal, Grant.path,
                                               staff_roles=ACCOUNT_ADMINS))
    stmt = (select(Account).join(Person, Person.id == Account.person_id)
            .where(scope_clause(principal, Person.path, staff_roles=ACCOUNT_ADMINS)
                   | granted_here))
    if data.get("q"):
        stmt = stmt.where(Account.username.contains(data["q"], autoescape=True)
                          | Person.name.contains(data["q"], autoescape=True))
    page = paginate(session, stmt, [Account.id], data.get("cursor"), data["limit"])
    page["items"] = [account_view(session, a) for a in page["items"]]
    return page
