"""Migration 0006 on a database holding what 0005 allowed: phones spelled several ways
become their canonical form (issue 7, point 7)."""
import os
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from fazhi_shared.service.db import drop_database, engine_for
from fazhi_shared.service.migrations import upgrade
from fazhi_shared.service.testing import TEST_PG

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "migrations")
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def at_0005():
    url = f"{TEST_PG.get()}/fazhi_org_test_m6_{uuid.uuid4().hex[:8]}"
    upgrade(MIGRATIONS, url, "0005")
    yield url
    engine_for(url).dispose()
    drop_database(url)


def _person(conn, phone, username=None):
    pid = str(uuid.uuid4())
    conn.execute(text("INSERT INTO people (id, name, phone, path, created_at, updated_at) "
                      "VALUES (:i, '某人', :p, '/x', :t, :t)"), {"i": pid, "p": phone, "t": NOW})
    if username is not None:
        conn.execute(text("INSERT INTO accounts (id, username, person_id, password_hash, "
                          "disabled, created_at) VALUES (:i, :u, :p, 'h', false, :t)"),
                     {"i": pid, "u": username, "p": pid, "t": NOW})
    return pid


def test_phones_and_phone_usernames_become_canonical(at_0005):
    with engine_for(at_0005).begin() as conn:
        plus = _person(conn, "+8613900001111", "+8613900001111")
        full = _person(conn, "１３９００００２２２２", "１３９００００２２２２")
        newline = _person(conn, "13900003333\n", "13900003333\n")
        plain = _person(conn, "13900003333", "13900003333")       # the same phone, twice
        staff = _person(conn, "051287654321", "zhang.san")
        conn.execute(text("INSERT INTO phone_codes (id, phone, code_hash, expires_at, "
                          "created_at) VALUES ('c1', '008613900004444', 'h', :t, :t)"),
                     {"t": NOW})
    upgrade(MIGRATIONS, at_0005, "0006")
    with engine_for(at_0005).connect() as conn:
        phones = dict(conn.execute(text("SELECT id, phone FROM people")).all())
        usernames = dict(conn.execute(text("SELECT id, username FROM accounts")).all())
        code_phone = conn.execute(text("SELECT phone FROM phone_codes")).scalar()
    assert phones == {plus: "13900001111", full: "13900002222", newline: "13900003333",
                      plain: "13900003333", staff: "051287654321"}
    assert usernames[plus] == "13900001111" and usernames[full] == "13900002222"
    # the second spelling of an already registered phone is left for an administrator
    assert usernames[newline] == "13900003333\n" and usernames[plain] == "13900003333"
    assert usernames[staff] == "zhang.san"
    assert code_phone == "13900004444"


def test_id_number_ciphertexts_of_before_still_read_and_are_marked_legacy(at_0005):
    """Rows encrypted before 0006 (no binding, no version) read after it; ``org.rekey``
    binds them."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from org import identity
    from org.config import PII_KEY

    raw = PII_KEY.get()
    key = base64.b64decode(raw.split(",")[-1].split(":")[-1])
    nonce = os.urandom(12)
    legacy = nonce + AESGCM(key).encrypt(nonce, b"440524188001010014", b"org.person")
    with engine_for(at_0005).begin() as conn:
        pid = _person(conn, None)
        conn.execute(text("UPDATE people SET id_number_enc = :e WHERE id = :i"),
                     {"e": legacy, "i": pid})
    upgrade(MIGRATIONS, at_0005, "0006")
    with engine_for(at_0005).connect() as conn:
        blob = bytes(conn.execute(text("SELECT id_number_enc FROM people WHERE id = :i"),
                                  {"i": pid}).scalar())
    assert blob[0] == 0 and identity.key_version(blob) == 0
    assert identity.decrypt(blob, pid) == "440524188001010014"
