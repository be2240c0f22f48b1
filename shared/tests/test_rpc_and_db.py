"""The RPC endpoint contract and the green database driver, on the real broker and DB."""
import time
import uuid

import pytest
from marshmallow import fields, validate
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, text

from fazhi_shared.config import database_setting
from fazhi_shared.context import Principal, sign
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.defaults import Database
from fazhi_shared.errors import (Conflict, DeadlineExceeded, FazhiError, ServiceUnavailable,
                                 Unauthenticated, ValidationFailed)
from fazhi_shared.service.rpc import ServiceBase, endpoint
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.schemas import BaseSchema
from fazhi_shared.service.testing import TEST_PG, running_services, wait_until

metadata = MetaData()
writes = Table("probe_writes", metadata, Column("id", Integer, primary_key=True),
               Column("value", String(50)))


@pytest.fixture(scope="module")
def probe_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_probe_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    with engine_for(url).begin() as conn:      # an exclusion constraint: no overlapping slots
        conn.execute(text("CREATE TABLE probe_slots (during int4range NOT NULL, "
                          "EXCLUDE USING gist (during WITH &&))"))
    mp = pytest.MonkeyPatch()
    mp.setenv("PROBE_DATABASE_URL", url)
    yield url
    mp.undo()
    engine_for(url).dispose()
    drop_database(url)


class Sleep(BaseSchema):
    seconds = fields.Float(required=True, validate=validate.Range(min=0, max=2))


class Write(BaseSchema):
    value = fields.String(required=True, validate=validate.Length(max=50))


class ProbeService(ServiceBase):
    name = "probe"
    db = Database(database_setting("probe"))

    @endpoint(Sleep)
    def sleepy(self, caller, data):
        self.db.execute(text("SELECT pg_sleep(:s)"), {"s": data["seconds"]})
        return "slept"

    @endpoint(Write)
    def write(self, caller, data):
        self.db.execute(writes.insert().values(value=data["value"]))
        self.db.commit()
        return "written"

    @endpoint(Write, readonly=True)
    def write_by_mistake(self, caller, data):
        self.db.execute(writes.insert().values(value=data["value"]))
        self.db.commit()
        return "written"

    @endpoint(Sleep)
    def occupy(self, caller, data):
        """Takes the slot [0, seconds·10) (any second call overlaps the first)."""
        self.db.execute(text("INSERT INTO probe_slots VALUES (int4range(0, :e))"),
                        {"e": int(data["seconds"] * 10) + 1})
        return "occupied"

    @endpoint(readonly=True)
    def count_writes(self, caller, data):
        return self.db.execute(select(func.count()).select_from(writes)).scalar()

    @endpoint()
    def boom(self, caller, data):
        raise RuntimeError("secret internals")


@pytest.fixture(scope="module")
def probe(probe_db):
    with running_services(ProbeService, config={"max_workers": 4}):
        yield


@pytest.fixture
def client(probe):
    c = RpcClient()
    yield c
    c.close()


def ctx(deadline_in=5.0):
    p = Principal(kind="user", account_id="a", deadline=time.time() + deadline_in)
    return context_for(sign(p), "req-1")


def test_two_slow_queries_overlap(client):
    start = time.monotonic()
    results = client.call_many([("probe", "sleepy", {"seconds": 0.6})] * 2, ctx(), timeout=3)
    elapsed = time.monotonic() - start
    assert results == ["slept", "slept"]
    # Serialised, they would take 1.2 s; overlapping, a little over 0.6 s.
    assert elapsed < 1.0, elapsed


def test_call_without_context_is_refused(client, probe_db):
    with pytest.raises(Unauthenticated):
        client.call("probe", "write", {"value": "no-context"}, {})
    assert _count(probe_db, "no-context") == 0


def test_forged_context_is_refused(client):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = sign(Principal.system(), key=Ed25519PrivateKey.generate())   # not its key
    with pytest.raises(Unauthenticated):
        client.call("probe", "write", {"value": "forged"}, context_for(forged, None))


def test_bad_input_names_the_field(client):
    with pytest.raises(ValidationFailed) as info:
        client.call("probe", "write", {"value": "x" * 51, "extra": 1}, ctx())
    assert set(info.value.fields["zh"]) == {"value", "extra"}


def test_request_past_its_deadline_is_not_run(client, probe_db):
    with pytest.raises(DeadlineExceeded):
        client.call("probe", "write", {"value": "too-late"}, ctx(deadline_in=-1))
    assert _count(probe_db, "too-late") == 0


def test_readonly_endpoint_reads_and_cannot_write(client, probe_db):
    client.call("probe", "write", {"value": "seen"}, ctx())
    assert client.call("probe", "count_writes", {}, ctx()) >= 1
    with pytest.raises(FazhiError):
        client.call("probe", "write_by_mistake", {"value": "sneaky"}, ctx())
    assert _count(probe_db, "sneaky") == 0


def test_a_violated_exclusion_constraint_is_a_conflict_not_an_internal_error(client, probe_db):
    # pg8000 reports an exclusion violation (SQLSTATE 23P01) as a ProgrammingError, not an
    # IntegrityError: every integrity class (23…) is a 409 all the same.
    assert client.call("probe", "occupy", {"seconds": 1}, ctx()) == "occupied"
    with pytest.raises(Conflict):
        client.call("probe", "occupy", {"seconds": 0.5}, ctx())


def test_unexpected_error_leaks_nothing(client):
    with pytest.raises(FazhiError) as info:
        client.call("probe", "boom", {}, ctx())
    assert type(info.value) is FazhiError
    assert "secret" not in str(info.value.to_payload("en"))


def test_unknown_service_is_unavailable_at_once(client):
    start = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        client.call("never-started", "ping", {}, ctx(), timeout=5)
    assert time.monotonic() - start < 1


def test_slow_answer_times_out_as_unavailable(client):
    start = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        client.call("probe", "sleepy", {"seconds": 1.5}, ctx(), timeout=0.5)
    assert time.monotonic() - start < 1
    # the late reply is discarded, the client keeps working
    assert client.call("probe", "ping", {}, ctx()) == {"service": "probe", "database": True}


def _count(url, value):
    with engine_for(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(writes)
                            .where(writes.c.value == value)).scalar()


def test_client_rebuilds_a_dropped_broker_connection(client):
    """The broker closes the client's connection (as on a broker restart or a network cut);
    the next call reconnects and succeeds without any help."""
    import requests

    from fazhi_shared.service.testing import ADMIN_URL

    assert client.call("probe", "ping", {}, ctx())["service"] == "probe"
    port = client._conn.connection.sock.getsockname()[1]
    admin = ADMIN_URL.get()

    def our_connection():
        conns = requests.get(f"{admin}/api/connections", timeout=5).json()
        return next((c["name"] for c in conns if c.get("peer_port") == port), None)

    name = wait_until(our_connection, timeout=10, what="the management API to list it")
    requests.delete(f"{admin}/api/connections/{requests.utils.quote(name, safe='')}",
                    timeout=5).raise_for_status()
    time.sleep(0.5)
    assert client.call("probe", "ping", {}, ctx())["service"] == "probe"
    assert client._conn.connection.sock.getsockname()[1] != port
