"""No personal data in the logs (issue 7, point 10, the shared part).

A failed statement was logged with its parameters (name, phone, blind index, password
hash) — SQLAlchemy writes them into the exception — and PostgreSQL's own detail repeats
key values and whole failing rows; any log line could carry a phone or an ID number.

Each path is forced here, on the real broker and database, with the platform's own log
configuration (``fazhi_shared.logs.configure``, JSON lines), and the captured logs are
searched: no full phone, no ID number, no password hash.
"""
import io
import json
import logging
import time
import uuid

import pytest
from kombu import Connection, Producer
from sqlalchemy import Column, MetaData, String, Table, text

from fazhi_shared import logs
from fazhi_shared.config import database_setting
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, FazhiError
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.defaults import Database
from fazhi_shared.service.events import handle_event, idempotent, queue_name
from fazhi_shared.service.outbox import make_envelope
from fazhi_shared.service.rpc import ServiceBase, endpoint
from fazhi_shared.service.tables import platform_tables
from fazhi_shared.service.testing import (TEST_PG, call_as, queue_depth, running_services,
                                          wait_until)

PHONE = "13912345678"
ID_NUMBER = "32128319900101123X"      # 18 characters, check character X
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
NAME = "王小明"
SECRETS = (PHONE, ID_NUMBER, PASSWORD_HASH, PASSWORD_HASH.split("$")[-1])

metadata = MetaData()
tables = platform_tables(metadata)
people = Table("people", metadata,
               Column("id", String(36), primary_key=True),
               Column("name", String(50), nullable=False),
               Column("phone", String(20), nullable=False, unique=True),
               Column("id_number", String(18)),
               Column("password_hash", String(200), nullable=False))
DB = database_setting("redact")


class Redact(ServiceBase):
    name = "redact"
    tables = tables
    db = Database(DB)

    @endpoint()
    def add_person(self, caller, data):
        """Inserts the person twice: a unique violation on the phone."""
        for _ in range(2):
            self.db.execute(people.insert().values(
                id=str(uuid.uuid4()), name=NAME, phone=PHONE, id_number=ID_NUMBER,
                password_hash=PASSWORD_HASH))
        return "never"

    @endpoint()
    def add_nameless(self, caller, data):
        """A NOT NULL violation: PostgreSQL's detail shows the whole failing row."""
        self.db.execute(people.insert().values(
            id=str(uuid.uuid4()), name=None, phone="13912340000", id_number=ID_NUMBER,
            password_hash=PASSWORD_HASH))
        return "never"

    @endpoint()
    def add_long_id(self, caller, data):
        """A value too long: an unexpected database error, its statement and parameters."""
        self.db.execute(people.insert().values(
            id=str(uuid.uuid4()), name=NAME, phone="13912349999",
            id_number=ID_NUMBER + ID_NUMBER, password_hash=PASSWORD_HASH))
        return "never"

    @handle_event("org", "person.created")
    @idempotent
    def on_person_created(self, session, envelope, principal):
        raise ValueError(f"cannot take {envelope['payload']}")   # payload in the message


@pytest.fixture(scope="module")
def redact_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_redact_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    mp = pytest.MonkeyPatch()
    mp.setenv(DB.name, url)
    mp.setenv("FAZHI_EVENT_RETRY_DELAYS", "0.1")
    yield url
    mp.undo()
    engine_for(url).dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def captured():
    """The process's logs as the platform writes them (JSON lines), for this module."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    logs.configure("redact", stream=stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


@pytest.fixture(scope="module")
def service(redact_db, captured):
    with running_services(Redact):
        yield


def assert_clean(stream):
    text_ = stream.getvalue()
    assert text_, "nothing was logged"
    leaked = [s for s in SECRETS if s in text_]
    assert not leaked, f"personal data in the logs: {leaked}\n{text_[-4000:]}"
    for line in text_.splitlines():
        json.loads(line)                       # still one JSON object a line


USER = Principal(kind="user", account_id="acc-1")


def test_a_failed_statement_logs_no_parameters_nor_key_values(service, captured):
    with pytest.raises(Conflict):
        call_as(USER, "redact", "add_person")
    with pytest.raises(FazhiError):
        call_as(USER, "redact", "add_nameless")
    with pytest.raises(FazhiError):
        call_as(USER, "redact", "add_long_id")
    assert "integrity error in add_person" in captured.getvalue()
    assert_clean(captured)


def test_an_engine_never_puts_parameters_in_its_errors(redact_db):
    with pytest.raises(Exception) as info:
        with engine_for(redact_db).begin() as conn:
            conn.execute(text("SELECT :phone, :hash, 1 / 0"),
                         {"phone": PHONE, "hash": PASSWORD_HASH})
    assert PHONE not in str(info.value) and PASSWORD_HASH not in str(info.value)


def test_undecodable_and_failing_events_log_no_body(service, captured, vhost_uri):
    queue = queue_name("org", "person.created", "redact", "on_person_created")
    raw = f'{{"payload": {{"phone": "{PHONE}", "id_number": "{ID_NUMBER}"'   # cut short
    with Connection(vhost_uri) as conn:
        producer = Producer(conn.channel())
        producer.publish(raw.encode(), exchange="", routing_key=queue,
                         content_type="application/json", content_encoding="utf-8")
        producer.publish(make_envelope("org.person.created", {"phone": PHONE,
                                                              "id_number": ID_NUMBER}),
                         exchange="", routing_key=queue, serializer="json")
    wait_until(lambda: queue_depth(vhost_uri, f"{queue}.dlq") == 2, timeout=15,
               what="both events in the dead-letter queue")
    time.sleep(0.2)
    assert "undecodable message dead-lettered" in captured.getvalue()
    assert_clean(captured)


def test_a_log_line_with_a_phone_and_an_id_number_is_masked(captured):
    log = logging.getLogger("fazhi.test")
    log.warning("sent to %s (ID %s)", PHONE, ID_NUMBER, extra={"who": {"phone": PHONE},
                                                              "ids": [ID_NUMBER]})
    log.warning(f"+86{PHONE} / 0086 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]} / "
                f"{ID_NUMBER.lower()}")
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        log.exception("while handling %s", ID_NUMBER)
    assert_clean(captured)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()
             if "fazhi.test" in line]
    assert "139****5678" in lines[0]["message"] and "3212**********123X" in lines[0]["message"]
    assert lines[0]["who"] == {"phone": "139****5678"}
    assert "0086 139 1234 5678" not in lines[1]["message"]
    # ids, times and ordinary numbers are left alone
    log.warning("request 01a22d41-eb33-72dc-8924-a0229954df64 took 1234567 µs, 12345678901234")
    last = json.loads(captured.getvalue().splitlines()[-1])
    assert "01a22d41-eb33-72dc-8924-a0229954df64" in last["message"]
    assert "1234567 µs" in last["message"] and "12345678901234" in last["message"]
