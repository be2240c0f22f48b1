"""Events from the right publisher (issue 7, point 3): any broker client could publish on
``org.events``.

Each service connects as its own RabbitMQ user ``fazhi-<service>`` (``keys.broker_user``),
whose permissions (``keys.broker_permissions``; the tests' vhost gets them through
``testing.service_amqp_uri``, ``make run`` through ``deploy/local/stack.py``) let it publish
only to its own exchange; the outbox relay stamps each event with its user (AMQP
``user_id``, which RabbitMQ checks against the connection), and a handler declared with
``publisher="org"`` runs only for events org's user published — also after its own
delayed retries, which it republishes as itself.
"""
import time
import uuid

import pytest
from kombu import Connection, Producer
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert

from fazhi_shared.config import database_setting
from fazhi_shared.service.db import drop_database, engine_for, ensure_database
from fazhi_shared.service.defaults import Database
from fazhi_shared.service.events import handle_event, idempotent, queue_name
from fazhi_shared.service.outbox import Outbox, OutboxRelay, make_envelope
from fazhi_shared.service.rpc import ServiceBase
from fazhi_shared.service.tables import platform_tables
from fazhi_shared.service.testing import TEST_PG, queue_depth, running_services, wait_until

metadata = MetaData()
tables = platform_tables(metadata)
seen = Table("seen", metadata, Column("event_id", String(60), primary_key=True),
             Column("attempts", Integer, nullable=False))
DB = database_setting("pubcheck")


class Guarded(ServiceBase):
    """Handles org's ``account.credentials_changed`` from org only; a payload asking for it
    fails the first attempt (to go through a delayed retry)."""
    name = "pubcheck"
    tables = tables
    db = Database(DB)

    @handle_event("org", "account.credentials_changed", publisher="org")
    @idempotent
    def on_credentials_changed(self, session, envelope, principal):
        if envelope["payload"].get("fail_once"):
            with engine_for(DB.get()).begin() as conn:
                n = conn.execute(insert(seen).values(event_id=envelope["event_id"] + "-try",
                                                     attempts=1).on_conflict_do_update(
                    index_elements=[seen.c.event_id], set_={"attempts": seen.c.attempts + 1})
                    .returning(seen.c.attempts)).scalar()
            if n == 1:
                raise RuntimeError("first attempt fails")
        session.execute(insert(seen).values(event_id=envelope["event_id"], attempts=1))


@pytest.fixture(scope="module")
def pub_db(vhost_uri):
    url = f"{TEST_PG.get()}/fazhi_pubcheck_test_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    metadata.create_all(engine_for(url))
    mp = pytest.MonkeyPatch()
    mp.setenv(DB.name, url)
    mp.setenv("FAZHI_EVENT_RETRY_DELAYS", "0.2,0.4")
    yield url
    mp.undo()
    engine_for(url).dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def guarded(pub_db):
    with running_services(Guarded):
        yield


QUEUE = queue_name("org", "account.credentials_changed", "pubcheck", "on_credentials_changed")


def handled(url, event_id) -> bool:
    with engine_for(url).connect() as conn:
        return conn.execute(select(seen.c.event_id).where(seen.c.event_id == event_id)
                            ).first() is not None


def envelope(**payload) -> dict:
    return make_envelope("org.account.credentials_changed", {"id": "acc-1", **payload})


def publish(uri, body, exchange="org.events", routing_key="account.credentials_changed",
            **properties):
    with Connection(uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel())
        producer.publish(body, exchange=exchange, routing_key=routing_key, serializer="json",
                         retry=False, **properties)


def test_another_services_user_cannot_publish_on_org_events(vhost_uri, guarded):
    from fazhi_shared.service.testing import service_amqp_uri

    with pytest.raises(Exception) as info:
        publish(service_amqp_uri("legal"), envelope(), user_id="fazhi-legal")
    assert "ACCESS_REFUSED" in str(info.value) or "403" in str(info.value), info.value
    # org's own user may (its relay does, below)
    publish(service_amqp_uri("org"), envelope(), user_id="fazhi-org")


def test_a_forged_event_is_not_handled(vhost_uri, pub_db, guarded):
    """Published by a client that is not org's — on the exchange (any broker client until
    now), or straight into the handler's queue with a made-up publisher header."""
    forged = [envelope(), envelope(), envelope()]
    publish(vhost_uri, forged[0])                                # guest, no user_id
    publish(vhost_uri, forged[1], user_id="guest")               # guest, says so
    from fazhi_shared.service.testing import service_amqp_uri

    publish(service_amqp_uri("legal"), forged[2], exchange="", routing_key=QUEUE,
            user_id="fazhi-legal", headers={"x-fazhi-publisher": "fazhi-org"})
    genuine = envelope()
    publish(service_amqp_uri("org"), genuine, user_id="fazhi-org")
    wait_until(lambda: handled(pub_db, genuine["event_id"]), timeout=10,
               what="org's own event to be handled")
    time.sleep(0.5)
    assert not any(handled(pub_db, e["event_id"]) for e in forged)
    # kept for the operators, not acked away
    wait_until(lambda: queue_depth(vhost_uri, f"{QUEUE}.dlq") == 3, timeout=5,
               what="the forged events in the dead-letter queue")


def test_the_relay_stamps_its_user_and_a_retry_keeps_the_publisher(vhost_uri, pub_db,
                                                                   guarded):
    from fazhi_shared.service.testing import service_amqp_uri

    outbox = Outbox("org", tables.outbox)
    with engine_for(pub_db).begin() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            env = outbox.emit(session, "account.credentials_changed",
                              {"id": "acc-2", "fail_once": True})
            session.flush()
    relay = OutboxRelay.standalone(tables.outbox, pub_db, "org",
                                   amqp_uri=service_amqp_uri("org"))
    assert relay.relay_once() >= 1
    # the first attempt fails, the retry (republished by pubcheck's own user) is handled
    wait_until(lambda: handled(pub_db, env["event_id"]), timeout=10,
               what="the retried event to be handled")


def test_a_relay_on_another_services_user_cannot_publish_org_events(vhost_uri, pub_db):
    from fazhi_shared.service.testing import service_amqp_uri

    outbox = Outbox("org", tables.outbox)
    with engine_for(pub_db).begin() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            env = outbox.emit(session, "account.credentials_changed", {"id": "acc-3"})
    relay = OutboxRelay.standalone(tables.outbox, pub_db, "org",
                                   amqp_uri=service_amqp_uri("legal"))
    with pytest.raises(Exception):
        relay.relay_once()
    with engine_for(pub_db).connect() as conn:
        published = conn.execute(select(tables.outbox.c.published_at).where(
            tables.outbox.c.id == env["event_id"])).scalar()
    assert published is None
