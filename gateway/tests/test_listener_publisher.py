"""The session listener believes only org (issue 7, point 3): any broker client could
publish a forged ``org.account.credentials_changed`` on ``org.events`` and end anyone's
sessions (or a forged grant event and stale their tokens).

The listener runs in this process as in production (``gateway.listener``, the gateway's
broker user). A forged event — published on the exchange by a client that is not org's
user, or straight into the listener's queue by another service with a made-up publisher
header — is not applied (it goes to the dead-letter queue); org's own event, stamped
with org's user by the broker connection it came through, is.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from kombu import Connection, Producer
from sqlalchemy import select

from fazhi_shared.ids import new_id
from fazhi_shared.service.db import transaction
from fazhi_shared.service.events import queue_name
from fazhi_shared.service.outbox import make_envelope
from fazhi_shared.service.testing import queue_depth, running_services, wait_until

from gateway.models import AuthSession

QUEUE = queue_name("org", "account.credentials_changed", "gateway_sessions",
                   "on_credentials_changed")


@pytest.fixture(scope="module")
def listener(gateway_db, vhost_uri):
    from gateway.listener import SessionListener

    with running_services(SessionListener):
        yield


def open_session(url) -> tuple[str, str]:
    account_id, session_id = new_id(), new_id()
    now = datetime.now(timezone.utc)
    with transaction(url) as session:
        session.add(AuthSession(id=session_id, account_id=account_id, created_at=now,
                                expires_at=now + timedelta(hours=1)))
    return account_id, session_id


def ended(url, session_id) -> bool:
    with transaction(url) as session:
        return session.execute(select(AuthSession.revoked_at).where(
            AuthSession.id == session_id)).scalar() is not None


def credentials_changed(account_id) -> dict:
    return make_envelope("org.account.credentials_changed",
                         {"id": account_id, "reason": "password_reset"})


def publish(uri, body, exchange="org.events", routing_key="account.credentials_changed",
            **properties):
    with Connection(uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(body, exchange=exchange, routing_key=routing_key,
                                         serializer="json", retry=False, **properties)


def test_a_credentials_change_published_by_another_client_ends_no_session(
        listener, gateway_db, vhost_uri):
    account_id, session_id = open_session(gateway_db)
    publish(vhost_uri, credentials_changed(account_id))          # any broker client
    time.sleep(1.5)
    assert not ended(gateway_db, session_id), "a forged event ended the session"


def test_only_orgs_own_event_ends_the_session(listener, gateway_db, vhost_uri):
    from fazhi_shared.service.testing import service_amqp_uri

    account_id, session_id = open_session(gateway_db)
    before = queue_depth(vhost_uri, f"{QUEUE}.dlq") or 0
    # another service, straight into the listener's queue, claiming to be org
    publish(service_amqp_uri("legal"), credentials_changed(account_id), exchange="",
            routing_key=QUEUE, user_id="fazhi-legal",
            headers={"x-fazhi-publisher": "fazhi-org"})
    wait_until(lambda: (queue_depth(vhost_uri, f"{QUEUE}.dlq") or 0) > before, timeout=5,
               what="the forged event in the dead-letter queue")
    assert not ended(gateway_db, session_id)
    publish(service_amqp_uri("org"), credentials_changed(account_id), user_id="fazhi-org")
    wait_until(lambda: ended(gateway_db, session_id), timeout=10,
               what="org's own event to end the session")
