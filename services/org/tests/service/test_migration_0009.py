"""Migration 0009 on a database holding what 0008 allowed (issue 9, point 2): siblings
sharing a name after normalisation are renamed with a visible suffix — the oldest keeps
its name — each rename is listed (report table, log), audited and sent as
``org.unit.renamed`` with a new version; from then on the database refuses a second
live sibling of the same normalised name."""
import logging
import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from fazhi_shared.service.db import drop_database, engine_for
from fazhi_shared.service.migrations import upgrade
from fazhi_shared.service.testing import TEST_PG

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "migrations")
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def at_0008():
    url = f"{TEST_PG.get()}/fazhi_org_test_m9_{uuid.uuid4().hex[:8]}"
    upgrade(MIGRATIONS, url, "0008")
    yield url
    engine_for(url).dispose()
    drop_database(url)


def _unit(conn, parent, kind, name, minutes):
    uid = str(uuid.uuid4())
    path = (parent[1] if parent else "") + "/" + uid
    conn.execute(text(
        "INSERT INTO units (id, parent_id, kind, name, path, created_at, updated_at) "
        "VALUES (:i, :p, :k, :n, :path, :t, :t)"),
        {"i": uid, "p": parent[0] if parent else None, "k": kind, "n": name, "path": path,
         "t": T0 + timedelta(minutes=minutes)})
    return uid, path


def test_duplicates_are_renamed_listed_audited_and_sent(at_0008, caplog):
    with engine_for(at_0008).begin() as conn:
        city = _unit(conn, None, "city", "市", 0)
        cpd = _unit(conn, city, "compound", "小区", 1)      # (levels skipped: plain rows)
        other = _unit(conn, city, "compound", "另一小区", 1)
        first = _unit(conn, cpd, "building", "9幢", 2)
        wide = _unit(conn, cpd, "building", "９幢", 3)
        spaced = _unit(conn, cpd, "building", "9 幢", 4)
        taken = _unit(conn, cpd, "building", "９幢（重复2）", 1)   # the suffix is taken
        ten = _unit(conn, cpd, "building", "10幢", 5)
        elsewhere = _unit(conn, other, "building", "9幢", 6)      # another parent: kept
        versions = dict(conn.execute(text("SELECT id, version FROM units")).all())
    with caplog.at_level(logging.WARNING):
        upgrade(MIGRATIONS, at_0008, "0009")
    with engine_for(at_0008).connect() as conn:
        names = dict(conn.execute(text("SELECT id, name FROM units")).all())
        after = dict(conn.execute(text("SELECT id, version FROM units")).all())
        report = conn.execute(text(
            "SELECT unit_id, parent_id, old_name, new_name FROM unit_name_renames")).all()
        audit = conn.execute(text(
            "SELECT entity_id, detail FROM audit_log WHERE action = 'unit.rename'")).all()
        sent = conn.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = 'org.unit.renamed'")).scalars().all()
    assert names[first[0]] == "9幢" and names[ten[0]] == "10幢"
    assert names[elsewhere[0]] == "9幢" and names[taken[0]] == "９幢（重复2）"
    assert names[wide[0]] == "９幢（重复3）" and names[spaced[0]] == "9 幢（重复4）"
    assert {tuple(r) for r in report} == {
        (wide[0], cpd[0], "９幢", "９幢（重复3）"), (spaced[0], cpd[0], "9 幢", "9 幢（重复4）")}
    assert {r.entity_id for r in audit} == {wide[0], spaced[0]}
    assert {e["payload"]["id"]: e["payload"]["name"] for e in sent} == {
        wide[0]: "９幢（重复3）", spaced[0]: "9 幢（重复4）"}
    for e in sent:
        uid = e["payload"]["id"]
        assert e["payload"]["version"] == after[uid] > versions[uid]
        assert e["path"] == e["payload"]["path"]
    assert after[first[0]] == versions[first[0]]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert wide[0] in logged and spaced[0] in logged

    # the database now refuses a second live sibling of the same normalised name
    with pytest.raises(IntegrityError):
        with engine_for(at_0008).begin() as conn:
            _unit(conn, cpd, "building", "１０ 幢", 7)
    with engine_for(at_0008).begin() as conn:
        _unit(conn, cpd, "building", "11幢", 8)             # a new name is fine


def test_down_and_up_again(at_0008):
    from alembic import command

    from fazhi_shared.service.migrations import alembic_config

    upgrade(MIGRATIONS, at_0008, "0009")
    command.downgrade(alembic_config(MIGRATIONS, at_0008), "0008")
    upgrade(MIGRATIONS, at_0008, "0009")
