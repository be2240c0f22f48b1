"""Swapped ciphertexts are caught and keys rotate on the real service (issue 7, point 11):
an ID-number ciphertext moved to another person's row is refused (a 409 naming no
number, not a 500), and ``python -m org.rekey`` re-encrypts old rows under the current
key: old rows still read, new rows use the new key, a row that does not decrypt is
reported and left as it was."""
import base64
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Conflict
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from org.config import PII_KEY
from org.samples import id_number

_BASE = int.from_bytes(os.urandom(3)) % 9_000_000          # numbers no other test uses
NUMBERS = [id_number(f"3212831975{_BASE + n:07d}") for n in range(5)]

NEW_KEY = base64.b64encode(os.urandom(32)).decode()


def worker(tree):
    return Principal(kind="user", account_id="w", grants=(Grant("community_worker",
                                                                tree["communityA"]["path"]),))


def person(tree, name, id_number):
    return call_as(worker(tree), "org", "create_person", name=name, id_number=id_number,
                   unit_id=tree["unitA"]["id"])


def reveal(tree, p):
    return call_as(worker(tree), "org", "reveal_person", id=p["id"], reason="核实身份")


def ciphertext(org_db, person_id) -> bytes:
    with engine_for(org_db).connect() as conn:
        return bytes(conn.execute(text("SELECT id_number_enc FROM people WHERE id = :i"),
                                  {"i": person_id}).scalar())


def current_key_entries() -> str:
    raw = PII_KEY.get()
    return raw if ":" in raw else f"1:{raw}"


def test_a_ciphertext_moved_to_another_persons_row_is_refused_not_revealed(tree, org_db):
    a = person(tree, "甲", NUMBERS[0])
    b = person(tree, "乙", NUMBERS[1])
    with engine_for(org_db).begin() as conn:
        conn.execute(text("UPDATE people SET id_number_enc = (SELECT id_number_enc FROM people "
                          "WHERE id = :a) WHERE id = :b"), {"a": a["id"], "b": b["id"]})
    with pytest.raises(Conflict) as info:
        reveal(tree, b)
    assert NUMBERS[0] not in str(info.value.args)
    assert reveal(tree, a)["id_number"] == NUMBERS[0]


def test_rekey_moves_old_rows_to_the_new_key(tree, org_db, monkeypatch):
    old = person(tree, "丙", NUMBERS[2])
    old_version = ciphertext(org_db, old["id"])[0]
    rotated = f"{old_version + 1}:{NEW_KEY},{current_key_entries()}"
    monkeypatch.setenv("ORG_PII_KEY", rotated)
    assert reveal(tree, old)["id_number"] == NUMBERS[2]      # old rows still read
    new = person(tree, "丁", NUMBERS[3])
    assert ciphertext(org_db, new["id"])[0] == old_version + 1          # new rows: new key
    broken = person(tree, "戊", NUMBERS[4])
    with engine_for(org_db).begin() as conn:                            # a swapped row
        conn.execute(text("UPDATE people SET id_number_enc = (SELECT id_number_enc FROM people "
                          "WHERE id = :a) WHERE id = :b"), {"a": old["id"], "b": broken["id"]})
    before_broken = ciphertext(org_db, broken["id"])
    run = subprocess.run([sys.executable, "-m", "org.rekey"], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "ORG_PII_KEY": rotated,
                                           "ORG_DATABASE_URL": org_db})
    assert run.returncode == 1, run.stderr                 # one row could not be re-keyed
    assert broken["id"] in run.stdout + run.stderr
    assert NUMBERS[2] not in run.stdout + run.stderr
    assert ciphertext(org_db, old["id"])[0] == old_version + 1
    assert ciphertext(org_db, broken["id"]) == before_broken            # left as it was
    # with the old key retired, the re-keyed rows still read
    monkeypatch.setenv("ORG_PII_KEY", f"{old_version + 1}:{NEW_KEY}")
    assert reveal(tree, old)["id_number"] == NUMBERS[2]
    assert reveal(tree, new)["id_number"] == NUMBERS[3]
    with engine_for(org_db).connect() as conn:
        audit = conn.execute(text("SELECT detail FROM audit_log WHERE action = 'person.rekey' "
                                  "ORDER BY at DESC LIMIT 1")).scalar()
    assert audit["key_version"] == old_version + 1 and broken["id"] in audit["failed"]
