"""The connection budget (issue: each process held two pools of max_workers + 2 plus 10
overflow per database, and suites exhausted PostgreSQL's connections as 500s): one pool
per process and database, sized to the workers, no overflow; an exhausted pool is a 503;
read-only endpoints are read-only without any per-session setting (so they survive a
transaction pooler such as CloudNativePG's PgBouncer)."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from marshmallow import fields, validate
from sqlalchemy import Column, Integer, MetaData, Table, text

from fazhi_shared.config import database_setting
from fazhi_shared.context import Principal, sign
from fazhi_shared.errors import FazhiError, ServiceUnavailable
from fazhi_shared.schemas import BaseSchema
from fazhi_shared.service.db import (dispose_all, drop_database, engine_for, ensure_database,
                                     read_engine_for)
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import TEST_PG, running_services, wait_for_ping

metadata = MetaData()
counter = Table("counter", metadata, Column("id", Integer, primary_key=True))


class Sleep(BaseSchema):
    seconds = fields.Float(required=True, validate=validate.Range(min=0, max=3))


class PoolService(Service):
    name = "pool"
    database = database_setting("pool")

    @endpoint(Sleep, readonly=True)
    def hold(self, caller, data):
        self.db.execute(text("SELECT pg_sleep(:s)"), {"s": data["seconds"]})
        return "held"

    @endpoint(readonly=True)
    def sneaky_write(self, caller, data):
        self.db.execute(counter.insert().values(id=1))
        return "wrote"

    @endpoint(readonly=True)
    def session_settings(self, caller, data):
        return self.db.execute(text("SHOW default_transaction_read_only")).scalar()


@pytest.fixture(scope="module")
def pool_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_pool_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    mp = pytest.MonkeyPatch()
    mp.setenv("POOL_DATABASE_URL", url)
    mp.setenv("FAZHI_DB_POOL_SIZE", "2")
    mp.setenv("FAZHI_DB_POOL_TIMEOUT", "0.3")
    dispose_all()
    yield url
    mp.undo()
    dispose_all()
    drop_database(url)


@pytest.fixture(scope="module")
def pool(pool_db):
    with running_services(PoolService, config={"max_workers": 6}):
        wait_for_ping("pool")
        yield


def call(method, timeout=4, **kwargs):
    c = RpcClient()
    try:
        p = Principal(kind="system", deadline=time.time() + timeout)
        return c.call("pool", method, kwargs, context_for(sign(p), "t"), timeout)
    finally:
        c.close()


def test_one_pool_per_process_and_database(pool_db):
    assert read_engine_for(pool_db).pool is engine_for(pool_db).pool
    assert engine_for(pool_db).pool.size() == 2
    assert engine_for(pool_db).pool._max_overflow == 0


def test_an_exhausted_pool_answers_503_not_500(pool):
    results = []

    def hold():
        try:
            results.append(call("hold", seconds=1.5))
        except FazhiError as exc:
            results.append(exc)
    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.4)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        call("hold", seconds=0)
    assert time.monotonic() - started < 1.5
    for t in threads:
        t.join()
    assert results == ["held", "held"]


def test_read_only_endpoints_refuse_writes_without_a_session_setting(pool, pool_db):
    with pytest.raises(FazhiError):
        call("sneaky_write")
    with engine_for(pool_db).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM counter")).scalar() == 0
    # nothing was set on the connection that outlives the transaction
    assert call("session_settings") == "off"
