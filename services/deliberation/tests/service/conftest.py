"""Fixtures of the deliberation service tests: the real org service and deliberation in
this process on a private vhost with fresh databases, the gateway's Flask app in front of
them (its test client: real logins, real role checks, real envelopes). No fake org: the
electorate comes from org's registry, filled through org's own workbook import.

Everything costly is module- or package-scoped (this folder is a package so that its org
and deliberation end with its last test); ``test_zz_org_down.py`` stops org for good,
so it runs last. The folder has its own vhost: in a whole-repository run, an org left on a
vhost another package's org also consumes from would answer from the wrong database.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone

import pytest

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.testing import (call_as, private_vhost, running_services,
                                          wait_for_ping, wait_until)

# Overdue appeals are flagged by a timer: every second in the tests (read at import).
os.environ.setdefault("DELIBERATION_OVERDUE_CHECK_SECONDS", "1")

SERVICE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOT = os.path.dirname(os.path.dirname(SERVICE_DIR))
MIGRATIONS = os.path.join(SERVICE_DIR, "migrations")
ORG_MIGRATIONS = os.path.join(ROOT, "services", "org", "migrations")
GATEWAY_MIGRATIONS = os.path.join(ROOT, "gateway", "migrations")
SYSTEM = Principal.system()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def user(role, path, account_id=None, person_id=None):
    return Principal(kind="user", account_id=account_id or str(uuid.uuid4()),
                     person_id=person_id, grants=(Grant(role, path),) if role else ())


class Runner:
    """A service in this process that a test may stop and start again."""

    def __init__(self, cls_path: str, name: str):
        self.cls_path, self.name, self.stack = cls_path, name, None

    def start(self):
        module, cls = self.cls_path.rsplit(".", 1)
        service_cls = getattr(__import__(module, fromlist=[cls]), cls)
        self.stack = ExitStack()
        self.stack.enter_context(running_services(service_cls))
        wait_for_ping(self.name)

    def stop(self):
        if self.stack is not None:
            self.stack.close()
            self.stack = None


@pytest.fixture(scope="package")
def deliberation_vhost():
    """This folder's own vhost (``AMQP_URI`` points at it until its last test ends)."""
    with private_vhost("fazhi-deliberation-test") as uri:
        yield uri


@pytest.fixture(scope="package")
def databases(deliberation_vhost, make_database):
    return {"org": make_database("org", ORG_MIGRATIONS),
            "deliberation": make_database("deliberation", MIGRATIONS),
            "gateway": make_database("gateway", GATEWAY_MIGRATIONS)}


@pytest.fixture(scope="package")
def clock_path(tmp_path_factory):
    """One clock for every in-process service: tests move the business date with
    :func:`set_today`."""
    path = str(tmp_path_factory.mktemp("clock") / "clock.json")
    previous = os.environ.get("FAZHI_CLOCK_FILE")
    os.environ["FAZHI_CLOCK_FILE"] = path
    yield path
    if previous is None:
        os.environ.pop("FAZHI_CLOCK_FILE", None)
    else:
        os.environ["FAZHI_CLOCK_FILE"] = previous


@pytest.fixture(scope="package")
def set_today(clock_path):
    """``set_today(date)``: the platform's clock at 10:00 Asia/Shanghai that day
    (``None``: the real clock)."""
    def set_(day):
        with open(clock_path, "w", encoding="utf-8") as fh:
            if day is None:
                json.dump({}, fh)
            else:
                at = datetime(day.year, day.month, day.day, 2, 0, tzinfo=timezone.utc)
                json.dump({"frozen": at.isoformat()}, fh)
        # a new mtime even within the same clock tick
        os.utime(clock_path, (time.time(), time.time() + 1e-3 * uuid.uuid4().int % 1000))
    set_(None)
    return set_


@pytest.fixture(scope="package")
def org(databases, clock_path):
    runner = Runner("org.service.OrgService", "org")
    runner.start()
    yield runner
    runner.stop()


@pytest.fixture(scope="package")
def deliberation(org):
    runner = Runner("deliberation.service.DeliberationService", "deliberation")
    runner.start()
    yield runner
    runner.stop()


@pytest.fixture(scope="package")
def client(deliberation):
    from gateway.app import create_app

    return create_app({"TESTING": True}).test_client()


@pytest.fixture(scope="package")
def city(deliberation):
    """city → street → community (each test module adds its own compounds)."""
    node = None
    units = {}
    for kind, name in (("city", "议事市"), ("street", "协商街道"), ("community", "共治社区")):
        node = call_as(SYSTEM, "org", "create_unit", parent_id=node and node["id"], kind=kind,
                       name=name)
        units[kind] = node
    return units


def id_number(first17: str) -> str:
    from fazhi_org_contract.identifiers import id_number_check_digit
    return first17 + id_number_check_digit(first17)


def import_compound(city: dict, name: str, rows: list[dict]) -> dict:
    """A compound made through org: its units, areas and owners from a workbook import
    (org's own path for bulk data). ``rows``: org.workbook KEYS → value."""
    from org.samples import xlsx

    compound = call_as(SYSTEM, "org", "create_unit", parent_id=city["community"]["id"],
                       kind="compound", name=name)
    ref = files.put_bytes(xlsx(rows), XLSX, "房屋.xlsx")
    job = call_as(SYSTEM, "org", "start_import", compound_id=compound["id"], file=ref)
    end = time.monotonic() + 120
    while job["status"] == "running":
        assert time.monotonic() < end, "the import did not finish"
        time.sleep(0.05)
        job = call_as(SYSTEM, "org", "get_import", job_id=job["id"])
    assert job["status"] == "done" and not job.get("errors"), job
    return compound


def owner_rows(areas: list[str], tag: int, building_of=lambda i: "1幢") -> list[dict]:
    """One person owning each unit (areas in m² as written); ``tag`` (0–9999) keeps the
    ID numbers of different compounds apart."""
    return [{"building": building_of(i), "unit": f"{i + 1:03d}", "registered_area": a,
             "owner_kind": "个人", "owner_name": f"业主{tag}-{i}",
             "owner_id_number": id_number(f"32{tag:04d}19800101{i:03d}")}
            for i, a in enumerate(areas)]


def wait_for_compound(deliberation_db: str, compound_id: str):
    """deliberation's unit tree has the compound and every unit org has under it (org's
    events arrived)."""
    from sqlalchemy import text

    from fazhi_shared.service.db import engine_for

    expected = _units_under(compound_id)

    def known():
        with engine_for(deliberation_db).connect() as conn:
            have = set(conn.execute(text("SELECT id FROM unit_tree WHERE id = ANY(:ids)"),
                                    {"ids": list(expected)}).scalars())
        return have == expected
    wait_until(known, timeout=30, what="the compound's units in deliberation's unit tree")


def _units_under(compound_id: str) -> set:
    """The compound, its buildings and their units, as org lists them."""
    out = {compound_id}
    for building in call_as(SYSTEM, "org", "list_units", parent_id=compound_id, limit=200)["items"]:
        out.add(building["id"])
        cursor = None
        while True:
            page = call_as(SYSTEM, "org", "list_units", parent_id=building["id"], limit=200,
                           **({"cursor": cursor} if cursor else {}))
            out.update(u["id"] for u in page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
    return out


def login(client, account: dict) -> dict:
    """Bearer headers from a real login. On a machine shared by many test runs a password
    check can outlast the gateway's RPC timeout (503): such a login is tried again."""
    for _ in range(4):
        r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                     "password": account["password"]})
        if r.status_code != 503:
            break
        time.sleep(1)
    assert r.status_code == 200, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


def later(days: int):
    return (datetime.now(timezone.utc) + timedelta(days=days)).date()
