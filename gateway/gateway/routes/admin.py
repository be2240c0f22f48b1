"""``/api/v1/admin/*``: the gateway's data for the administrator's pages — the login log
(登录日志) and the sessions online with forced logout (在线用户) — and the recording of
every sign-in.

The login log is the gateway's own (``login_events``, migration 0006): each sign-in,
successful, failed or refused while throttled, with its time, the account (known on
success), the username typed (a phone masked), the client address masked to its /24
(IPv6: /48) and the user agent. No full address and no phone is stored. Rows older than
``RETENTION_DAYS`` are pruned as new ones come.

Who sees what: city and street admins (``ACCOUNT_ADMINS``), and of the rows and sessions
only those of accounts org shows them — the gateway asks org ``account_labels`` as the
admin, one call per batch, which also gives each account's name and whether the admin
may act on it. Sign-ins that name no known account (failures) are the city admins'.
Forcing a session out needs the admin to be allowed to act on its account (org's
``disable`` rule): outside their scope ``404``, a higher account ``403``.
"""
from __future__ import annotations

import ipaddress
import logging
from datetime import timezone

from flask import current_app, g
from marshmallow import fields
from sqlalchemy import text

from fazhi_shared import clock
from fazhi_shared.errors import Forbidden, NotFound
from fazhi_shared.http import Term, Vocabulary
from fazhi_shared.ids import new_id
from fazhi_shared.paths import depth
from fazhi_shared.schemas import (BaseSchema, Id, PageInput, VocabularyField, decode_cursor,
                                  encode_cursor, page_of)
from fazhi_shared.service.db import read_engine_for, transaction

from fazhi_org_contract.roles import ACCOUNT_ADMINS
from fazhi_org_contract.schemas.admin import AccountLabel

from gateway import auth, rpc
from gateway.api import Blueprint

log = logging.getLogger(__name__)

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin",
                description="登录日志与在线用户 / login log and sessions online")

RETENTION_DAYS = 180        # a sign-in is kept this long
SCAN_LIMIT = 1000           # rows looked at for one page (a page may come back short)
BATCH = 200                 # rows read, and accounts asked of org, at a time

OUTCOMES = Vocabulary(Term("success", "成功", "success"), Term("failure", "失败", "failure"),
                      Term("throttled", "已限制（失败次数过多）", "throttled"))


# -- schemas ---------------------------------------------------------------------------------
class LoginLogQuery(PageInput):
    account_id = Id(load_default=None, allow_none=True)
    outcome = VocabularyField(OUTCOMES, load_default=None, allow_none=True)


class LoginEvent(BaseSchema):
    id = fields.String()
    at = fields.DateTime()
    outcome = fields.String(metadata={"description": "success, failure, throttled"})
    account_id = fields.String(allow_none=True, metadata={"description": "known on success"})
    account = fields.Nested(AccountLabel, allow_none=True)
    username = fields.String(allow_none=True, metadata={"description": "as typed; a phone "
                                                                       "masked"})
    address = fields.String(allow_none=True, metadata={"description": "masked to /24 "
                                                                      "(IPv6: /48)"})
    user_agent = fields.String(allow_none=True)
    session_id = fields.String(allow_none=True)


class SessionQuery(PageInput):
    account_id = Id(load_default=None, allow_none=True)


class SessionOnline(BaseSchema):
    id = fields.String()
    account_id = fields.String()
    account = fields.Nested(AccountLabel)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    refreshed_at = fields.DateTime(allow_none=True, metadata={"description": "last refresh"})
    user_agent = fields.String(allow_none=True)
    address = fields.String(allow_none=True, metadata={"description": "of the sign-in, "
                                                                      "masked to /24"})


LoginEventPage = page_of(LoginEvent)
SessionPage = page_of(SessionOnline)


# -- recording sign-ins ----------------------------------------------------------------------
def mask_address(address: str) -> str | None:
    """The network a client address belongs to: IPv4 /24, IPv6 /48 — never the address."""
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return None
    prefix = 24 if network.version == 4 else 48
    if network.prefixlen > prefix:
        network = network.supernet(new_prefix=prefix)
    return str(network)


def mask_username(username: str) -> str:
    """The username as typed (normalised); a phone number masked like every phone."""
    name = auth.normalise_username(username or "")[:64]
    phone = auth._PHONE.fullmatch(name)
    if phone:
        digits = phone.group(1)
        return digits[:3] + "****" + digits[-4:]
    return name


def record_login(outcome: str, username: str, user_agent: str | None,
                 account_id: str | None = None, session_id: str | None = None) -> None:
    """Write one sign-in to the login log (never failing the sign-in itself)."""
    try:
        with transaction(current_app.config["GATEWAY_DATABASE_URL"]) as session:
            session.execute(text(
                "INSERT INTO login_events (id, at, outcome, account_id, username, address, "
                "user_agent, session_id) VALUES (:id, :at, :outcome, :account, :username, "
                ":address, :agent, :session)"),
                {"id": new_id(), "at": clock.now(), "outcome": outcome, "account": account_id,
                 "username": mask_username(username), "session": session_id,
                 "address": mask_address(auth.client_address()),
                 "agent": (user_agent or "")[:300] or None})
            session.execute(text(
                "DELETE FROM login_events WHERE id IN (SELECT id FROM login_events "
                "WHERE at < now() - make_interval(days => :days) LIMIT 100)"),
                {"days": RETENTION_DAYS})
    except Exception:       # noqa: BLE001 - the log must never stop a sign-in
        log.exception("could not record a sign-in in the login log")


# -- pages of what org shows the admin -------------------------------------------------------
def _db():
    return read_engine_for(current_app.config["GATEWAY_DATABASE_URL"])


def _labels(account_ids) -> dict:
    """org's labels of the accounts it shows the signed-in admin, by id."""
    wanted = sorted({i for i in account_ids if i})
    if not wanted:
        return {}
    answer = rpc.call("org", "account_labels", account_ids=wanted)
    return {a["id"]: a for a in answer["items"]}


def _city_admin() -> bool:
    return any(gr.role == "city_admin" and depth(gr.path) == 1 for gr in g.user.grants)


def _visible_page(select_sql: str, params: dict, cursor: str | None, limit: int, keep) -> dict:
    """Newest first (ids are UUIDv7), keeping the rows ``keep(row, labels)`` accepts; at
    most ``SCAN_LIMIT`` rows are read for one page, so a page may be short — its
    ``next_cursor`` goes on from the last row read."""
    last = decode_cursor(cursor, 1)[0] if cursor else None
    items, scanned, exhausted = [], 0, False
    while len(items) < limit and scanned < SCAN_LIMIT:
        with _db().connect() as conn:
            batch = conn.execute(text(
                select_sql + (" AND x.id < :last" if last else "") +
                " ORDER BY x.id DESC LIMIT :batch"),
                {**params, "last": last, "batch": BATCH}).mappings().all()
        labels = _labels(r["account_id"] for r in batch)
        for row in batch:
            last = row["id"]
            scanned += 1
            kept = keep(row, labels)
            if kept is not None:
                items.append(kept)
                if len(items) == limit:
                    break
        if len(batch) < BATCH and (not batch or last == batch[-1]["id"]):
            exhausted = True
            break
    return {"items": items, "next_cursor": None if exhausted or last is None
            else encode_cursor([last])}


def _utc(value):
    return value.astimezone(timezone.utc) if value is not None else None


@blp.route("/login-log", methods=["GET"])
@auth.allow(*ACCOUNT_ADMINS)
@blp.arguments(LoginLogQuery, location="query")
@blp.response(200, LoginEventPage)
def login_log(query):
    """Sign-ins, newest first: successful, failed and throttled ones, with the account,
    the username typed (a phone masked), the address masked to /24 and the user agent —
    of the accounts org shows the admin; those naming no known account for city admins."""
    sql, params = "SELECT x.* FROM login_events x WHERE true", {}
    if query.get("account_id"):
        sql, params["account"] = sql + " AND x.account_id = :account", query["account_id"]
    if query.get("outcome"):
        sql, params["outcome"] = sql + " AND x.outcome = :outcome", query["outcome"]
    city = _city_admin()

    def keep(row, labels):
        label = labels.get(row["account_id"])
        if label is None and not (row["account_id"] is None and city):
            return None
        return {**row, "at": _utc(row["at"]), "account": label}

    return _visible_page(sql, params, query.get("cursor"), query["limit"], keep)


@blp.route("/sessions", methods=["GET"])
@auth.allow(*ACCOUNT_ADMINS)
@blp.arguments(SessionQuery, location="query")
@blp.response(200, SessionPage)
def sessions(query):
    """Sessions online (neither ended nor expired), newest first, of the accounts org
    shows the admin: when each began and expires, its last refresh, its user agent and
    the sign-in's masked address."""
    sql = ("SELECT x.id, x.account_id, x.created_at, x.expires_at, x.rotated_at, "
           "x.user_agent, (SELECT e.address FROM login_events e WHERE e.session_id = x.id "
           "LIMIT 1) AS address FROM auth_sessions x "
           "WHERE x.revoked_at IS NULL AND x.expires_at > now()")
    params = {}
    if query.get("account_id"):
        sql, params["account"] = sql + " AND x.account_id = :account", query["account_id"]

    def keep(row, labels):
        label = labels.get(row["account_id"])
        if label is None:
            return None
        return {"id": row["id"], "account_id": row["account_id"], "account": label,
                "created_at": _utc(row["created_at"]), "expires_at": _utc(row["expires_at"]),
                "refreshed_at": _utc(row["rotated_at"]), "user_agent": row["user_agent"],
                "address": row["address"]}

    return _visible_page(sql, params, query.get("cursor"), query["limit"], keep)


@blp.route("/sessions/<id:session_id>", methods=["DELETE"])
@auth.allow(*ACCOUNT_ADMINS)
@blp.alt_response(204, description="The session is ended: both of its tokens are refused.",
                  success=True)
def end_session(session_id):
    """Force a session out (强退): for an account the admin may act on (org's rule for
    disabling it); outside their scope 404, a higher account 403."""
    with _db().connect() as conn:
        account_id = conn.execute(text(
            "SELECT account_id FROM auth_sessions WHERE id = :id AND revoked_at IS NULL "
            "AND expires_at > now()"), {"id": session_id}).scalar()
    if account_id is None:
        raise NotFound()
    label = _labels([account_id]).get(account_id)
    if label is None:
        raise NotFound()
    if not label["manageable"]:
        raise Forbidden()
    auth.revoke_session(session_id)
    log.info("session %s of account %s ended by account %s", session_id, account_id,
             g.user.account_id)
    return current_app.response_class(status=204)
