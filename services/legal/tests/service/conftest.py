"""Fixtures of the legal service tests (the ``fazhi`` pytest plugin gives ``vhost_uri``
and ``make_database``; see ``fazhi_shared/service/testing.py``).

The service runs in this process on the real broker (a private vhost) and a fresh
migrated database; the unit-tree read model is written directly (as org's bootstrap
would), so org need not run. ``tests/unit`` needs none of this: pure rules only.
"""
import os

import pytest
from kombu import Connection
from sqlalchemy.orm import Session

from fazhi_shared.ids import new_id
from fazhi_shared.paths import LEVELS, child_path
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.outbox import event_exchange, make_envelope
from fazhi_shared.service.testing import running_services, service_amqp_uri

SERVICE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIGRATIONS = os.path.join(SERVICE_DIR, "migrations")


def unit_row(parent, kind, name, version=1):
    """A unit's whole state, as org's unit events and ``export_units`` carry it."""
    unit_id = new_id()
    return {"id": unit_id, "parent_id": parent["id"] if parent else None, "kind": kind,
            "name": name, "path": child_path(parent["path"] if parent else None, unit_id),
            "version": version}


@pytest.fixture(scope="session")
def service_db(vhost_uri, make_database):
    return make_database("legal", MIGRATIONS)


@pytest.fixture(scope="session")
def tree(service_db):
    """city → streets A and B → a community, compound, building and unit under each."""
    from fazhi_shared.service.events import apply_newer

    from legal.models import tables

    city = unit_row(None, "city", "泰兴市")
    t = {"city": city}
    for s in ("A", "B"):
        parent = city
        for kind in LEVELS[1:]:
            parent = t[f"{kind}{s}"] = unit_row(parent, kind, f"{kind}{s}")
    with Session(engine_for(service_db)) as session, session.begin():
        for row in t.values():
            apply_newer(session, tables.unit_tree, row)
    return t


@pytest.fixture(scope="session")
def service(tree):
    """The service in this process (after the read model is seeded: no bootstrap)."""
    from legal.service import LegalService

    with running_services(LegalService):
        yield


@pytest.fixture
def new_unit():
    """``new_unit(parent, kind, name)`` → a unit row as org's events carry it (not stored)."""
    return unit_row


@pytest.fixture
def publish_org_event(vhost_uri):
    """``publish_org_event(type, payload, path)``: an org event, as org's outbox relay
    publishes it (exchange ``org.events``, routing key ``<entity>.<verb>``, on org's own
    broker user, which stamps it: the handlers take unit events from org only)."""
    org = service_amqp_uri("org", vhost_uri)

    def publish(event_type, payload, path=None):
        envelope = make_envelope(f"org.{event_type}", payload, path)
        exchange = event_exchange("org")
        with Connection(org) as conn:
            conn.Producer(serializer="json").publish(
                envelope, exchange=exchange, routing_key=event_type, declare=[exchange],
                user_id="fazhi-org")
        return envelope

    return publish
