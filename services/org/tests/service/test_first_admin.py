"""``python -m org.first_admin``: a real deployment's first city and administrator
(issue 8, point 11).

Until now the only way to get a city and a first login was the demo seed, with its
published password. The command creates the city and one ``city_admin`` account (a
person, an account, a grant) and nothing else, with a password read from stdin that is
never a published default and never weak; it refuses a city that exists unless told to
reuse it, never takes over an existing username, and every change is audited and goes
out as an event. Tested on a fresh database, with org running on it: the account logs
in through ``authenticate`` and holds ``city_admin`` on the city.
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal, sign
from fazhi_shared.errors import Unauthenticated
from fazhi_shared.service.db import dispose_all, drop_database, engine_for
from fazhi_shared.service.migrations import upgrade
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import TEST_PG, private_vhost, service_process, wait_until

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "migrations")
STRONG = "Lan-Shan-Qiao-7719-He!"
TABLES = ("units", "people", "accounts", "grants")


@pytest.fixture(scope="module")
def fresh_db():
    url = f"{TEST_PG.get()}/fazhi_org_first_{uuid.uuid4().hex[:8]}"
    upgrade(MIGRATIONS, url)
    yield url
    dispose_all()
    drop_database(url)


def first_admin(db_url: str, *args: str, password: str | None = STRONG) -> subprocess.CompletedProcess:
    """The command as an operator runs it: the password on stdin, nothing else given."""
    env = {**os.environ, "ORG_DATABASE_URL": db_url, "FAZHI_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "org.first_admin", *args],
                          input=(password + "\n") if password is not None else "",
                          capture_output=True, text=True, env=env, timeout=120)


def counts(db_url: str) -> dict:
    with engine_for(db_url).connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def rows(db_url: str, sql: str, **params) -> list:
    with engine_for(db_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def call(client: RpcClient, principal: Principal, method: str, **kwargs):
    p = dataclasses.replace(principal, deadline=time.time() + 10)
    return client.call("org", method, kwargs, context_for(sign(p), "test-first-admin"), 10)


@pytest.fixture(scope="module")
def created(fresh_db):
    """The command run once on the fresh database."""
    before = counts(fresh_db)
    done = first_admin(fresh_db, "--city", "泰兴市", "--username", "chief_admin",
                       "--name", "王首任")
    return {"run": done, "before": before}


def test_it_creates_the_city_and_its_first_administrator_and_nothing_else(created, fresh_db):
    run = created["run"]
    assert run.returncode == 0, run.stderr
    assert created["before"] == {"units": 0, "people": 0, "accounts": 0, "grants": 0}
    out = json.loads(run.stdout)
    assert out["city"]["name"] == "泰兴市" and out["city"]["reused"] is False
    assert out["account"]["username"] == "chief_admin" and out["role"] == "city_admin"
    assert STRONG not in run.stdout + run.stderr                 # never echoed
    assert counts(fresh_db) == {"units": 1, "people": 1, "accounts": 1, "grants": 1}
    [(city_id, kind, path)] = rows(fresh_db, "SELECT id, kind, path FROM units")
    assert kind == "city" and city_id == out["city"]["id"] and path == f"/{city_id}"
    [(role, unit_id, grant_path)] = rows(fresh_db, "SELECT role, unit_id, path FROM grants")
    assert (role, unit_id, grant_path) == ("city_admin", city_id, path)
    [(person_name, person_path)] = rows(fresh_db, "SELECT name, path FROM people")
    assert (person_name, person_path) == ("王首任", path)
    # The password is stored as an argon2 hash only.
    [(stored,)] = rows(fresh_db, "SELECT password_hash FROM accounts")
    assert stored.startswith("$argon2") and STRONG not in stored


def test_every_change_is_audited_and_goes_out_as_an_event(created, fresh_db):
    actions = {a for (a,) in rows(fresh_db, "SELECT action FROM audit_log")}
    assert {"unit.create", "person.create", "account.create", "grant.create",
            "account.first_admin"} <= actions
    events = {t for (t,) in rows(fresh_db, "SELECT event_type FROM outbox")}
    assert {"org.unit.created", "org.person.created", "org.account.created",
            "org.grant.created"} <= events


def test_the_administrator_logs_in_and_acts_as_city_admin(created, fresh_db, tmp_path):
    assert created["run"].returncode == 0, created["run"].stderr
    with private_vhost("fazhi-first-admin") as uri:
        proc = service_process("org", "org", str(tmp_path), env={
            "AMQP_URI": uri, "ORG_DATABASE_URL": fresh_db, "FAZHI_LOG_LEVEL": "WARNING"})
        proc.start()
        client = RpcClient(uri)
        try:
            wait_until(lambda: call(client, Principal.anonymous(), "ping"), 30, 0.2,
                       "org to answer")
            account = call(client, Principal.anonymous(), "authenticate",
                           username="chief_admin", password=STRONG)
            city = json.loads(created["run"].stdout)["city"]
            assert [(g["role"], g["unit_id"]) for g in account["grants"]] == [
                ("city_admin", city["id"])]
            with pytest.raises(Unauthenticated):
                call(client, Principal.anonymous(), "authenticate", username="chief_admin",
                     password="Fazhi2026!")
            admin = Principal(kind="user", account_id=account["id"],
                              person_id=account["person_id"],
                              grants=tuple(Grant(g["role"], g["path"]) for g in account["grants"]))
            street = call(client, admin, "create_unit", parent_id=city["id"], kind="street",
                          name="济川街道")
            assert street["path"].startswith(city["path"] + "/")
        finally:
            client.close()
            proc.stop()


def test_a_city_that_exists_is_refused_unless_reused(created, fresh_db):
    before = counts(fresh_db)
    again = first_admin(fresh_db, "--city", "泰兴市", "--username", "second_admin")
    assert again.returncode == 1
    assert "已存在" in again.stderr and "already exists" in again.stderr and "--reuse-city" in again.stderr
    assert counts(fresh_db) == before
    reused = first_admin(fresh_db, "--city", "泰兴市", "--username", "second_admin",
                         "--reuse-city")
    assert reused.returncode == 0, reused.stderr
    out = json.loads(reused.stdout)
    assert out["city"]["reused"] is True
    assert out["city"]["id"] == json.loads(created["run"].stdout)["city"]["id"]
    assert counts(fresh_db) == {"units": before["units"], "people": before["people"] + 1,
                                "accounts": before["accounts"] + 1,
                                "grants": before["grants"] + 1}


def test_an_existing_username_is_never_taken_over(created, fresh_db):
    before = counts(fresh_db)
    taken = first_admin(fresh_db, "--city", "泰兴市", "--username", "chief_admin",
                        "--reuse-city", password="Another-Strong-Pass-77")
    assert taken.returncode == 1 and "chief_admin" in taken.stderr
    assert counts(fresh_db) == before
    [(stored,)] = rows(fresh_db, "SELECT password_hash FROM accounts WHERE username = 'chief_admin'")
    from argon2 import PasswordHasher
    assert PasswordHasher().verify(stored, STRONG)               # unchanged


@pytest.mark.parametrize("password, why", [
    ("Fazhi2026!", "the demo seed's published password"),
    ("Sh0rt!pw", "shorter than 12"),
    ("alllowercaseletters", "one kind of character"),
    ("passwordpassword1", "two kinds only"),
    ("Chief_Admin-2026!x", "holds the username"),
    ("Password123!", "a common password"),
    ("", "empty"),
])
def test_weak_or_published_passwords_are_refused(fresh_db, password, why):
    before = counts(fresh_db)
    run = first_admin(fresh_db, "--city", "如皋市", "--username", "chief_admin", password=password)
    assert run.returncode == 1, why
    assert "密码" in run.stderr and "password" in run.stderr.lower(), run.stderr
    if password:
        assert password not in run.stdout + run.stderr
    assert counts(fresh_db) == before


def test_bad_names_are_refused_like_the_api_refuses_them(fresh_db):
    before = counts(fresh_db)
    for args in (["--city", "泰兴\x07市", "--username", "x_admin"],
                 ["--city", "如皋市", "--username", "no spaces allowed"]):
        run = first_admin(fresh_db, *args)
        assert run.returncode == 1, args
    assert counts(fresh_db) == before


def test_outside_development_mode_development_secrets_are_refused(fresh_db):
    before = counts(fresh_db)
    env = {**os.environ, "ORG_DATABASE_URL": fresh_db, "FAZHI_DEV_MODE": "false"}
    run = subprocess.run([sys.executable, "-m", "org.first_admin", "--city", "如皋市",
                          "--username", "prod_admin"], input=STRONG + "\n",
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2 and "development" in run.stderr
    assert counts(fresh_db) == before
