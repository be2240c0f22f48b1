"""Writes after a 503 and retried writes (issue: "no write applied after a 503"), on the real
broker and database: a write whose caller has given up is never committed, and a write
retried with the same Idempotency-Key creates exactly one record."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace

import pytest
from marshmallow import fields, validate
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, text

from fazhi_shared.config import database_setting
from fazhi_shared.context import Grant, Principal, sign
from fazhi_shared.errors import Conflict, ServiceUnavailable, ValidationFailed
from fazhi_shared.schemas import BaseSchema
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.tables import platform_tables
from fazhi_shared.service.testing import TEST_PG, running_services, wait_for_ping

metadata = MetaData()
records = Table("records", metadata, Column("id", Integer, primary_key=True),
                Column("value", String(50)))
platform = platform_tables(metadata)
SETTING = database_setting("once")


class Record(BaseSchema):
    value = fields.String(required=True, validate=validate.Length(max=50))
    pause = fields.Float(load_default=0, validate=validate.Range(min=0, max=3))


class Recorded(BaseSchema):
    id = fields.Integer()
    value = fields.String()


class OnceService(Service):
    name = "once"
    database = SETTING
    tables = platform

    @endpoint(Record, Recorded)
    def record(self, caller, data):
        new_id = self.db.execute(records.insert().values(value=data["value"])
                                 .returning(records.c.id)).scalar()
        if data["pause"]:
            time.sleep(data["pause"])   # work that outlasts the caller's patience
        return {"id": new_id, "value": data["value"]}


@pytest.fixture(scope="module")
def once_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_once_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    mp = pytest.MonkeyPatch()
    mp.setenv("ONCE_DATABASE_URL", url)
    yield url
    mp.undo()
    engine_for(url).dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def once(once_db):
    with running_services(OnceService):
        wait_for_ping("once")
        yield


def count(url, value) -> int:
    with engine_for(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(records)
                            .where(records.c.value == value)).scalar()


USER = Principal(kind="user", account_id=str(uuid.uuid4()), grants=(Grant("city_admin", "/c"),))


def call(client, timeout=2.0, key=None, request_hash="h1", route="POST /once/records",
         principal=USER, **kwargs):
    p = replace(principal, deadline=time.time() + timeout)
    if key:
        p = replace(p, idempotency_key=key, request_hash=request_hash, route=route)
    return client.call("once", "record", kwargs, context_for(sign(p), "t"), timeout)


def test_a_write_is_not_committed_once_its_caller_has_given_up(once, once_db):
    client = RpcClient()
    try:
        with pytest.raises(ServiceUnavailable):
            call(client, timeout=0.5, value="late", pause=0.8)
        time.sleep(1.0)              # the service has finished its work by now
        assert count(once_db, "late") == 0
        assert call(client, value="in-time")["value"] == "in-time"
        assert count(once_db, "in-time") == 1
    finally:
        client.close()


def test_three_retries_with_one_key_make_one_record(once, once_db):
    client = RpcClient()
    key = str(uuid.uuid4())
    try:
        first = call(client, key=key, value="once-only")
        again = [call(client, key=key, value="once-only") for _ in range(3)]
        assert all(a == first for a in again)
        assert count(once_db, "once-only") == 1
        # the same key with another body is refused, naming the header
        with pytest.raises(ValidationFailed) as info:
            call(client, key=key, request_hash="h2", value="other")
        assert "Idempotency-Key" in info.value.fields["zh"]
        # keys belong to one account: another account's same key is its own request
        other = replace(USER, account_id=str(uuid.uuid4()))
        call(client, key=key, principal=other, value="once-only")
        assert count(once_db, "once-only") == 2
    finally:
        client.close()


def test_a_retry_after_a_503_makes_exactly_one_record(once, once_db):
    client = RpcClient()
    key = str(uuid.uuid4())
    try:
        with pytest.raises(ServiceUnavailable):          # the client gave up: not committed
            call(client, timeout=0.4, key=key, value="retried", pause=0.7)
        time.sleep(0.8)
        for _ in range(3):
            call(client, key=key, value="retried")
        assert count(once_db, "retried") == 1
    finally:
        client.close()


def test_a_retry_while_the_first_still_runs_is_409_and_errors_are_not_stored(once, once_db):
    key = str(uuid.uuid4())
    results = {}

    def first():
        c = RpcClient()
        try:
            results["first"] = call(c, timeout=3, key=key, value="slow", pause=1.0)
        finally:
            c.close()
    t = threading.Thread(target=first)
    t.start()
    time.sleep(0.4)
    client = RpcClient()
    try:
        with pytest.raises(Conflict):
            call(client, key=key, value="slow")
        t.join()
        assert call(client, key=key, value="slow") == results["first"]
        assert count(once_db, "slow") == 1
        # a refused request stores nothing: the same key may then carry a valid one
        bad = str(uuid.uuid4())
        with pytest.raises(ValidationFailed):
            call(client, key=bad, value="x" * 60)
        assert call(client, key=bad, value="fixed")["value"] == "fixed"
    finally:
        client.close()


def test_stored_answers_expire(once, once_db, monkeypatch):
    client = RpcClient()
    key = str(uuid.uuid4())
    try:
        call(client, key=key, value="expiring")
        with engine_for(once_db).begin() as conn:
            conn.execute(text("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"))
        call(client, key=key, value="expiring")
        assert count(once_db, "expiring") == 2
    finally:
        client.close()
