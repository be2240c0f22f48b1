"""The hash chain (``disputes.domain.evidence``): canonical bytes, chaining, and the check
naming the first bad entry — altered, removed, reordered, truncated, extended."""
from datetime import datetime, timedelta, timezone

import pytest

from disputes.domain.evidence import (GENESIS, canonical, chain_entry, check_chain,
                                      entry_hash, utc_stamp)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 30, 16, 0, 0, 123456, tzinfo=CST)


def entry(i, **over):
    return {"case_id": "c1", "at": T0 + timedelta(seconds=i), "action": f"a{i}",
            "actor_kind": "user", "actor_account_id": "acc", "actor_person_id": "p",
            "detail": {"b": i, "a": ["x", "y"]}, **over}


def chain(n):
    out, head = [], None
    for i in range(n):
        e = chain_entry(head, entry(i))
        out.append(e)
        head = (e["seq"], e["hash"])
    return out, head


def test_canonical_form_sorts_keys_and_fixes_timestamps_in_utc():
    data = canonical(entry(0))
    assert data.startswith(b'{"action":"a0","actor_account_id":"acc"')
    assert b'"at":"2026-11-30T08:00:00.123456Z"' in data
    assert b'"detail":{"a":["x","y"],"b":0}' in data
    same = entry(0, at=T0.astimezone(timezone.utc), detail={"a": ["x", "y"], "b": 0})
    assert canonical(same) == data
    assert canonical({**entry(0), "hash": "x", "prev_hash": "y", "id": "z"}) == data


def test_timestamps_are_fixed_precision():
    assert utc_stamp(datetime(2026, 1, 1, tzinfo=timezone.utc)) == "2026-01-01T00:00:00.000000Z"
    with pytest.raises(ValueError):
        utc_stamp(datetime(2026, 1, 1))


def test_chinese_text_is_kept_as_utf8():
    assert "调解".encode() in canonical(entry(0, detail={"t": "调解"}))


def test_floats_are_refused():
    with pytest.raises(ValueError):
        canonical(entry(0, detail={"amount": 1.5}))


def test_entries_chain_from_genesis():
    entries, head = chain(3)
    assert entries[0]["prev_hash"] == GENESIS and entries[0]["seq"] == 1
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert entry_hash(entries[1]["prev_hash"], entries[1]) == entries[1]["hash"]
    assert head == (3, entries[2]["hash"])
    assert check_chain(entries, head).ok


def test_the_empty_chain_is_whole():
    assert check_chain([], None).ok


@pytest.mark.parametrize("field, value", [("action", "forged"), ("actor_person_id", "q"),
                                          ("detail", {"b": 99}),
                                          ("at", T0 + timedelta(microseconds=1))])
@pytest.mark.parametrize("victim", [1, 2, 4])
def test_an_altered_entry_is_named(field, value, victim):
    entries, head = chain(5)
    entries[victim - 1] = {**entries[victim - 1], field: value}
    check = check_chain(entries, head)
    assert not check.ok and check.first_bad_seq == victim and check.reason == "altered"


def test_an_altered_entry_rehashed_breaks_the_next_link():
    entries, head = chain(4)
    forged = {**entries[1], "action": "forged"}
    forged["hash"] = entry_hash(forged["prev_hash"], forged)
    entries[1] = forged
    check = check_chain(entries, head)
    assert (check.first_bad_seq, check.reason) == (3, "broken_link")


def test_the_last_entry_rehashed_is_caught_by_the_head():
    entries, head = chain(3)
    forged = {**entries[2], "action": "forged"}
    forged["hash"] = entry_hash(forged["prev_hash"], forged)
    check = check_chain(entries[:2] + [forged], head)
    assert (check.first_bad_seq, check.reason) == (3, "head_mismatch")


@pytest.mark.parametrize("cut", [1, 2, 5])
def test_deleting_the_last_entries_is_caught(cut):
    entries, head = chain(5)
    check = check_chain(entries[:-cut], head)
    assert not check.ok and check.first_bad_seq == 5 - cut + 1 and check.reason == "missing"


def test_deleting_a_middle_entry_is_named():
    entries, head = chain(5)
    check = check_chain(entries[:2] + entries[3:], head)
    assert (check.first_bad_seq, check.reason) == (3, "missing")


def test_an_entry_past_the_head_is_named():
    entries, head = chain(3)
    check = check_chain(entries, (2, entries[1]["hash"]))
    assert (check.first_bad_seq, check.reason) == (3, "beyond_head")


def test_entries_without_a_head_are_caught():
    entries, _ = chain(2)
    assert check_chain(entries, None).first_bad_seq == 1
