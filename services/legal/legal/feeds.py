"""Use cases of calendar feeds: a secret, revocable subscription URL per helper or per
compound. Calendar apps send no bearer token, so the URL is the credential: a random
token shown once, stored only as its hash; a revoked or unknown token is a 404."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fazhi_shared import clock, files
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.scope import ensure_visible
from fazhi_shared.service import audit, offload
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause

from fazhi_legal_contract.roles import JUDICIAL

from legal import places
from legal.documents import duty_calendar
from legal.domain import feeds as rules
from legal.domain.access import require
from legal.models import Feed, Helper, Shift, tables

PAST_DAYS = 30            # a feed holds shifts from a month ago on
COLS = ("id", "kind", "subject_id", "path", "created_at", "revoked_at")


def _view(feed: Feed, url: str | None = None) -> dict:
    return {**{c: getattr(feed, c) for c in COLS}, "url": url}


def create(session, principal: Principal, data: dict, base_url: str) -> dict:
    if data["kind"] == "compound":
        path = places.compound(session, data["subject_id"], "subject_id")["path"]
        require(principal, JUDICIAL, path)
    else:
        helper = session.get(Helper, data["subject_id"])
        if helper is None:
            raise NotFound()
        path = helper.path
        if not (principal.person_id and principal.person_id == helper.person_id):
            require(principal, JUDICIAL, path)
    token = rules.new_token()
    feed = Feed(id=new_id(), kind=data["kind"], subject_id=data["subject_id"], path=path,
                token_hash=rules.token_hash(token), created_by=principal.account_id,
                created_at=clock.now())
    session.add(feed)
    audit.record(session, tables.audit_log, principal, "feed.create", "feed", feed.id, path)
    session.flush()
    return _view(feed, rules.feed_url(base_url, token))


def list_feeds(session, principal: Principal, data: dict) -> dict:
    conds = scope_clause(principal, Feed.path) | (Feed.created_by == principal.account_id)
    page = paginate(session, select(Feed).where(conds), [Feed.id],
                    data["cursor"], data["limit"])
    return {**page, "items": [_view(f) for f in page["items"]]}


def revoke(session, principal: Principal, data: dict) -> dict:
    feed = session.get(Feed, data["id"])
    if feed is None:
        raise NotFound()
    if feed.created_by != principal.account_id or not principal.account_id:
        ensure_visible(principal, feed.path)
        require(principal, JUDICIAL, feed.path)
    if feed.revoked_at is None:
        feed.revoked_at = clock.now()
        audit.record(session, tables.audit_log, principal, "feed.revoke", "feed", feed.id,
                     feed.path)
    session.flush()
    return _view(feed)


def calendar(session, data: dict) -> dict:
    """The feed's calendar as a stored file (the gateway serves it): the token is the
    only credential; unknown or revoked → 404."""
    feed = session.execute(select(Feed).where(
        Feed.token_hash == rules.token_hash(data["token"]))).scalar()
    if feed is None or feed.revoked_at is not None:
        raise NotFound()
    since = clock.now() - timedelta(days=PAST_DAYS)
    stmt = select(Shift, Helper).join(Helper, Helper.id == Shift.helper_id).where(
        Shift.published.is_(True), Shift.ends_at > since).order_by(Shift.starts_at)
    if feed.kind == "compound":
        stmt = stmt.where(Shift.compound_id == feed.subject_id)
        name = places.names(session, [feed.subject_id]).get(feed.subject_id, "")
        title = f"{name} 法律顾问值班"
    else:
        stmt = stmt.where(Shift.helper_id == feed.subject_id)
        helper = session.get(Helper, feed.subject_id)
        title = f"{helper.name if helper else ''} 值班日历"
    rows = session.execute(stmt).all()
    place = places.names(session, {s.compound_id for s, _ in rows})
    shifts = [{"id": s.id, "starts_at": s.starts_at, "ends_at": s.ends_at,
               "helper_name": h.name, "place": f"{place.get(s.compound_id, '')} 物业服务中心",
               "version": s.version} for s, h in rows]
    content = offload.run(duty_calendar, title, shifts, clock.now())
    return files.put_bytes(content, "text/calendar; charset=utf-8", "duty.ics")
