"""The hash-chained case log (证据留痕): canonical serialisation and the chain check.

Each entry is hashed with the previous entry's hash over a canonical serialisation:
JSON with sorted keys, no spaces, UTF-8, and every timestamp in UTC with microsecond
precision (``2026-11-30T08:00:00.000000Z``), so the same entry always gives the same
bytes. The first entry's previous hash is 64 zeros. The chain head (last sequence number
and hash) is also kept outside the log table, so deleting the last entries is detected.
Pure: no database.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

GENESIS = "0" * 64
FIELDS = ("case_id", "seq", "at", "action", "actor_kind", "actor_account_id",
          "actor_person_id", "detail")


def utc_stamp(at: datetime) -> str:
    """A timestamp as the chain hashes it: UTC, microseconds, ``Z`` (naive is refused)."""
    if at.tzinfo is None:
        raise ValueError("a log timestamp must carry its time zone")
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _normalise(value):
    if isinstance(value, datetime):
        return utc_stamp(value)
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, float):
        raise ValueError("no floats in a log entry (they do not serialise canonically)")
    return value


def canonical(entry: dict) -> bytes:
    """The bytes an entry is hashed over: its FIELDS only, normalised, sorted keys."""
    body = {k: _normalise(entry.get(k)) for k in FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, entry: dict) -> str:
    """SHA-256 over the previous hash and the entry's canonical bytes."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def chain_entry(prev: tuple[int, str] | None, entry: dict) -> dict:
    """The next entry after head ``prev`` (seq, hash): ``entry`` with seq, prev_hash, hash."""
    seq, prev_hash = prev if prev else (0, GENESIS)
    out = {**entry, "seq": seq + 1, "prev_hash": prev_hash}
    out["hash"] = entry_hash(prev_hash, out)
    return out


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None


def check_chain(entries: list[dict], head: tuple[int, str] | None) -> ChainCheck:
    """Verify a case's entries (in seq order) against the head kept outside the log.

    Names the first bad entry: a gap or a reordering, a previous hash that does not
    match, a hash that does not recompute (an altered entry), an entry past the head, or
    entries missing at the end (the head is further than the log: the first missing seq).
    """
    prev_hash, expected = GENESIS, 1
    for e in entries:
        if e["seq"] != expected:
            return ChainCheck(False, len(entries), expected, "missing")
        if e["prev_hash"] != prev_hash:
            return ChainCheck(False, len(entries), e["seq"], "broken_link")
        if entry_hash(prev_hash, e) != e["hash"]:
            return ChainCheck(False, len(entries), e["seq"], "altered")
        prev_hash, expected = e["hash"], expected + 1
    last = expected - 1
    head_seq, head_hash = head if head else (0, GENESIS)
    if head_seq > last:
        return ChainCheck(False, len(entries), last + 1, "missing")
    if head_seq < last:
        return ChainCheck(False, len(entries), head_seq + 1, "beyond_head")
    if head_hash != prev_hash:
        return ChainCheck(False, len(entries), last, "head_mismatch")
    return ChainCheck(True, len(entries))
