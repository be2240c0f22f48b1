"""The disputes service behind the real gateway, beside the real org service.

Each test module gets its own world (module scope, as ``tests/gateway_org``): a private
RabbitMQ vhost, fresh gateway, org and disputes databases, org and disputes running in
this process, and the gateway's Flask app (test client) in front of them. Logins are real
(org's accounts, the gateway's tokens). The unit tree reaches disputes the way it does in
production: bootstrapped from org's ``export_units`` and then org's unit events.
"""
from __future__ import annotations

import os
import time
import uuid
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from fazhi_shared.context import Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import (call_as, private_vhost, running_services,
                                          wait_for_ping, wait_until)

SERVICE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOT = os.path.dirname(os.path.dirname(SERVICE_DIR))
MIGRATIONS = os.path.join(SERVICE_DIR, "migrations")
ORG_MIGRATIONS = os.path.join(ROOT, "services", "org", "migrations")
SYSTEM = Principal.system()


class Api:
    """One signed-in user of the gateway (Flask test client): ``get``/``post`` answer
    ``(status, json)``."""

    def __init__(self, client, account):
        self.client, self.account = client, account
        for _ in range(5):      # a login is argon2 in org: on a busy machine it may be 503
            r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                        "password": account["password"]})
            if r.status_code != 503:
                break
            time.sleep(1)
        assert r.status_code == 200, r.get_json()
        self.headers = {"Authorization": f"Bearer {r.get_json()['access_token']}"}
        self.person_id = account["person_id"]

    def get(self, path, **params):
        r = self.client.get("/api/v1/disputes" + path, query_string=params,
                            headers=self.headers)
        return r.status_code, (r.get_json() if r.is_json else r.data)

    def post(self, path, body=None, **kw):
        r = self.client.post("/api/v1/disputes" + path, json=body, headers=self.headers, **kw)
        return r.status_code, (r.get_json() if r.is_json else r.data)

    def ok(self, method, path, body=None, status=(200, 201), **params):
        code, data = (self.get(path, **params) if method == "GET"
                      else self.post(path, body))
        assert code in ((status,) if isinstance(status, int) else status), (code, data)
        return data


def rows(db_url, sql, **params):
    with engine_for(db_url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def execute(db_url, sql, **params):
    with engine_for(db_url).begin() as conn:
        return conn.execute(text(sql), params).rowcount


def _unit(parent, kind, name):
    return call_as(SYSTEM, "org", "create_unit", parent_id=parent and parent["id"], kind=kind,
                   name=name)


@pytest.fixture(scope="module")
def world(make_database):
    """city → street → community → compounds 甲 and 乙 (building, units 101 and 102 in 甲);
    a second street with its own compound; logins for each role the tests use."""
    from gateway.app import create_app
    from gateway.models import MIGRATIONS_DIR
    from gateway.testing import make_login
    from org.service import OrgService

    from disputes.service import DisputesService

    with private_vhost("fazhi-disputes-test") as uri, pytest.MonkeyPatch.context() as mp, \
            ExitStack() as stack:
        for name in ("GATEWAY", "ORG", "DISPUTES"):
            mp.delenv(f"{name}_DATABASE_URL", raising=False)
        make_database("gateway", MIGRATIONS_DIR)
        make_database("org", ORG_MIGRATIONS)
        db = make_database("disputes", MIGRATIONS)
        stack.enter_context(running_services(OrgService))
        wait_for_ping("org")
        u = {"city": _unit(None, "city", "泰兴市")}
        u["street"] = _unit(u["city"], "street", "济川街道")
        u["community"] = _unit(u["street"], "community", "阳光社区")
        u["compound"] = _unit(u["community"], "compound", "阳光花园")
        u["compound2"] = _unit(u["community"], "compound", "滨江小区")
        u["building"] = _unit(u["compound"], "building", "1幢")
        u["unit1"] = _unit(u["building"], "unit", "101室")
        u["unit2"] = _unit(u["building"], "unit", "102室")
        u["street_b"] = _unit(u["city"], "street", "黄桥镇")
        u["community_b"] = _unit(u["street_b"], "community", "东街社区")
        u["compound_b"] = _unit(u["community_b"], "compound", "东街公寓")
        stack.enter_context(running_services(DisputesService))
        wait_for_ping("disputes")
        wait_until(lambda: rows(db, "SELECT 1 FROM unit_tree WHERE id = :i",
                                i=u["compound_b"]["id"]), timeout=30,
                   what="the unit tree to reach disputes")
        tag = uuid.uuid4().hex[:6]
        logins = {
            "admin": make_login(u["city"]["id"], "city_admin", username=f"admin_{tag}"),
            "street": make_login(u["street"]["id"], "street_admin", username=f"street_{tag}"),
            "worker": make_login(u["community"]["id"], "community_worker",
                                 username=f"worker_{tag}"),
            "worker_b": make_login(u["community_b"]["id"], "community_worker",
                                   username=f"worker_b_{tag}"),
            "mediator": make_login(u["compound"]["id"], "mediator", username=f"med_{tag}"),
            "auditor": make_login(u["city"]["id"], "auditor", username=f"aud_{tag}"),
            "resident": make_login(u["unit1"]["id"], "resident", username=f"res_{tag}"),
            "neighbour": make_login(u["unit2"]["id"], "resident", username=f"nb_{tag}"),
        }
        # The gateway mounts org's and this service's contracts only: the others' services
        # do not run here (and a neighbour's work in progress cannot break this world).
        from gateway import contracts

        from fazhi_disputes_contract import CONTRACT
        from fazhi_org_contract import CONTRACT as ORG

        mp.setattr(contracts, "installed", lambda: [CONTRACT, ORG])
        client = create_app({"TESTING": True}).test_client()
        yield SimpleNamespace(units=u, db=db, amqp_uri=uri, logins=logins,
                              api={k: Api(client, a) for k, a in logins.items()},
                              client=client)


def new_case(api, world, unit="compound", **over):
    """Register a case through the gateway as ``api`` (a handler), with the world's
    resident as applicant and the neighbour as respondent."""
    body = {"unit_id": world.units[unit]["id"], "source": "party_application",
            "category": "neighbours", "subtype": "leak",
            "description": "楼上邻居家漏水导致天花板受损，双方协商赔偿未果。",
            "parties": [{"person_id": world.logins["resident"]["person_id"],
                         "role": "applicant"},
                        {"person_id": world.logins["neighbour"]["person_id"],
                         "role": "respondent"}]}
    body.update(over)
    return api.ok("POST", "/cases", body, status=201)


def act(api, case, action, **fields):
    return api.ok("POST", f"/cases/{case['id']}/actions", {"action": action, **fields},
                  status=200)


def settle(api, case, **over):
    """Mediate and settle ``case`` (accept, start, a session record, a written agreement
    signed by all and sealed)."""
    if case["state"] == "registered":
        case = act(api, case, "accept")
    if case["state"] == "accepted":
        case = act(api, case, "start_mediation")
    api.ok("POST", f"/cases/{case['id']}/records", {"kind": "session",
                                                     "text": "第一次调解：双方陈述。"}, status=201)
    parties = [p["person_id"] for p in case["parties"]]
    body = {"form": "written", "facts": "漏水系楼上管道老化所致，楼上承担维修责任。",
            "terms": [{"content": "楼上住户赔偿维修费 2000 元", "method": "转账",
                       "place": "阳光社区调委会", "due_on": "2026-12-31"}],
            "signed_by": parties, "mediator_signed": True, "sealed": True}
    body.update(over)
    return api.ok("POST", f"/cases/{case['id']}/agreement", body, status=200)


@pytest.fixture
def flows():
    """The helpers above, for test modules (``--import-mode=importlib``: no conftest imports)."""
    return SimpleNamespace(new_case=new_case, act=act, settle=settle, rows=rows,
                           execute=execute)
