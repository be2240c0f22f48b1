"""The legal service behind the real gateway, beside the real org service.

One world per test module (module scope): a private RabbitMQ vhost, fresh gateway, org
and legal databases, org and legal running in this process, and the gateway's Flask app
(a test client) in front. Logins are org's accounts and the gateway's tokens; legal's
unit tree is bootstrapped from org and fed by org's events, as in production.

The world: 泰兴市 → 济川街道 → 阳光社区 → 阳光花园 (buildings 1幢–6幢, 1幢 with rooms
101–102) and 滨江小区 (one building); 黄桥镇 → 东街社区 → 东街公寓 (another street).
"""
from __future__ import annotations

import itertools
import os
import uuid
from contextlib import ExitStack
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from fazhi_shared.context import Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import (call_as, private_vhost, running_services,
                                          wait_for_ping, wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE_DIR = os.path.dirname(os.path.dirname(HERE))
MIGRATIONS = os.path.join(SERVICE_DIR, "migrations")
ORG_MIGRATIONS = os.path.join(os.path.dirname(SERVICE_DIR), "org", "migrations")
SYSTEM = Principal.system()
SERIALS = itertools.count(101)       # the ID numbers' serial digits: each one new
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(born: date, serial: int = 123) -> str:
    """A valid resident ID number (GB 11643 check digit) for someone born on ``born``."""
    body = f"320123{born:%Y%m%d}{serial:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


class Gateway:
    """A signed-in user of the gateway: ``call(method, path, body|params)`` → (status,
    json or bytes) for paths under /api/v1/legal."""

    def __init__(self, client, login):
        from gateway.testing import headers_for

        self.client, self.login = client, login
        self.headers = headers_for(client, login) if login else {}
        self.person_id = login["person_id"] if login else None

    def call(self, method, path, body=None, **params):
        r = self.client.open("/api/v1/legal" + path, method=method,
                             json=body if method not in ("GET", "DELETE") else None,
                             query_string=params or None, headers=self.headers)
        return r.status_code, (r.get_json() if r.is_json else r.data)

    def expect(self, status, method, path, body=None, **params):
        code, data = self.call(method, path, body, **params)
        assert code == status, (method, path, code, data)
        return data


def db_rows(url, sql, **params):
    with engine_for(url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _unit(units, key, parent, kind, name):
    units[key] = call_as(SYSTEM, "org", "create_unit",
                         parent_id=units[parent]["id"] if parent else None,
                         kind=kind, name=name)


@pytest.fixture(scope="module")
def world(make_database):
    from gateway.app import create_app
    from gateway.models import MIGRATIONS_DIR
    from gateway.testing import make_login
    from org.service import OrgService

    from legal.service import LegalService

    with private_vhost("fazhi-legal-test") as uri, pytest.MonkeyPatch.context() as mp, \
            ExitStack() as stack:
        for name in ("GATEWAY", "ORG", "LEGAL"):
            mp.delenv(f"{name}_DATABASE_URL", raising=False)
        mp.setenv("LEGAL_PROFILE_BASE_URL", "https://fazhi.example.cn")
        make_database("gateway", MIGRATIONS_DIR)
        make_database("org", ORG_MIGRATIONS)
        db = make_database("legal", MIGRATIONS)
        org_runner = stack.enter_context(running_services(OrgService))
        wait_for_ping("org")
        u: dict = {}
        _unit(u, "city", None, "city", "泰兴市")
        _unit(u, "street", "city", "street", "济川街道")
        _unit(u, "community", "street", "community", "阳光社区")
        _unit(u, "compound", "community", "compound", "阳光花园")
        for i in range(1, 7):
            _unit(u, f"b{i}", "compound", "building", f"{i}幢")
        _unit(u, "room101", "b1", "unit", "101室")
        _unit(u, "room102", "b1", "unit", "102室")
        _unit(u, "compound2", "community", "compound", "滨江小区")
        _unit(u, "c2b1", "compound2", "building", "1幢")
        _unit(u, "street_b", "city", "street", "黄桥镇")
        _unit(u, "community_b", "street_b", "community", "东街社区")
        _unit(u, "compound_b", "community_b", "compound", "东街公寓")
        stack.enter_context(running_services(LegalService))
        wait_for_ping("legal")
        wait_until(lambda: db_rows(db, "SELECT 1 FROM unit_tree WHERE id = :i",
                                   i=u["compound_b"]["id"]), timeout=30,
                   what="the unit tree to reach legal")
        tag = uuid.uuid4().hex[:6]
        roles = {"admin": ("city", "city_admin"), "judicial": ("street", "judicial_staff"),
                 "worker": ("community", "community_worker"),
                 "worker_b": ("community_b", "community_worker"),
                 "property": ("compound", "property_staff"),
                 "resident": ("room101", "resident"), "neighbour": ("room102", "resident")}
        logins = {k: make_login(u[where]["id"], role, username=f"{k}_{tag}")
                  for k, (where, role) in roles.items()}
        client = create_app({"TESTING": True}).test_client()
        yield World(
            units=u, db=db, amqp_uri=uri, logins=logins, client=client, tag=tag,
            as_={k: Gateway(client, v) for k, v in logins.items()},
            anonymous=Gateway(client, None), make_login=make_login, org_runner=org_runner)


class World(SimpleNamespace):
    """What the fixture yields; ``rows(sql)`` reads legal's database, ``person(...)``
    makes an org person."""

    def gateway(self, login) -> Gateway:
        return Gateway(self.client, login)

    def rows(self, sql, **params):
        return db_rows(self.db, sql, **params)

    def person(self, name, unit="room101", born=None, login=False):
        """An org person (with an ID number when ``born`` is given, and an account when
        ``login``); returns the person id."""
        pid = call_as(SYSTEM, "org", "create_person", name=name,
                      unit_id=self.units[unit]["id"],
                      id_number=id_number(born, next(SERIALS)) if born else None)["id"]
        if login:
            self.make_login(self.units[unit]["id"], None, person_id=pid,
                            username=f"p_{uuid.uuid4().hex[:10]}")
        return pid

