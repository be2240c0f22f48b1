"""Protecting personal data (DOMAIN-RULES §6) and passwords.

ID numbers: AES-256-GCM at rest, a keyed blind index (HMAC-SHA256) for de-duplication,
and a masked form for display. Passwords: argon2id.

A ciphertext is ``version byte || nonce (12) || ciphertext and tag``. The version names
the key (``ORG_PII_KEY`` holds the current key and older ones); the associated data is
the person's id and that version, so a ciphertext moved to another person's row, or
relabelled with another version, does not decrypt. Version 0 marks the rows written
before migration 0006 (key version 1, no binding) until ``python -m org.rekey`` binds them.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fazhi_shared.errors import Conflict
from fazhi_shared.service import offload

from org.config import BLIND_INDEX_KEY, PII_KEY, parse_pii_keys

log = logging.getLogger("org.identity")
_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

LEGACY = 0                      # written before migration 0006: key 1, no binding
_LEGACY_AD = b"org.person"
UNREADABLE = ("该人员的身份证号码无法解密：密文与本条记录不符，或其密钥未配置。已记录，请联系系统管理员。",
              "This person's ID number cannot be decrypted: the stored ciphertext does not "
              "belong to this record, or its key is not configured. It has been logged; "
              "contact the administrator.")


class Sealed(bytes):
    """An ID-number ciphertext that knows the person it belongs to: made by
    :func:`encrypt`, or read from a ``people`` row (``org.models`` seals it on load), so
    :func:`decrypt` binds it to its own row even where a caller passes the bytes alone."""

    person_id: str | None = None

    def __new__(cls, blob: bytes, person_id: str | None):
        sealed = super().__new__(cls, blob)
        sealed.person_id = person_id
        return sealed


def normalise_id_number(value: str) -> str:
    return value.strip().upper()


@functools.lru_cache(maxsize=4)
def _keyring(raw: str) -> tuple[int, dict[int, bytes]]:
    return parse_pii_keys(raw)


def current_key_version() -> int:
    return _keyring(PII_KEY.get())[0]


def _associated_data(person_id: str, version: int) -> bytes:
    return f"org.person.id_number:{person_id}:{version}".encode()


def encrypt(value: str, person_id: str) -> Sealed:
    """``value`` encrypted under the current key, bound to the person ``person_id``."""
    if not person_id:
        raise ValueError("an ID number is encrypted for a person: give the person's id")
    version, keys = _keyring(PII_KEY.get())
    nonce = os.urandom(12)
    sealed = AESGCM(keys[version]).encrypt(nonce, value.encode(),
                                           _associated_data(person_id, version))
    return Sealed(bytes([version]) + nonce + sealed, person_id)


def key_version(blob: bytes) -> int:
    """The version of the key a ciphertext is under (0: written before migration 0006)."""
    return blob[0]


def decrypt(blob: bytes, person_id: str | None = None) -> str:
    """The ID number in ``blob``, which must belong to ``person_id`` (by default the person
    a :class:`Sealed` blob was read from). A ciphertext of another person, or under a key
    no longer configured, is a ``Conflict`` (logged with the person id, never a number)."""
    person_id = person_id or getattr(blob, "person_id", None)
    if not person_id:
        raise ValueError("an ID number is decrypted for the person whose row holds it")
    version = key_version(blob)
    _, keys = _keyring(PII_KEY.get())
    if version == LEGACY:
        key, ad = keys.get(1), _LEGACY_AD
    else:
        key, ad = keys.get(version), _associated_data(person_id, version)
    try:
        if key is None:
            raise InvalidTag()
        return AESGCM(key).decrypt(bytes(blob[1:13]), bytes(blob[13:]), ad).decode()
    except InvalidTag:
        log.error("the ID number of person %s does not decrypt (key version %s): its "
                  "ciphertext is another row's, or that key is not configured",
                  person_id, version)
        raise Conflict(*UNREADABLE) from None


def blind_index(id_number: str) -> str:
    return hmac.new(BLIND_INDEX_KEY.get().encode(), normalise_id_number(id_number).encode(),
                    hashlib.sha256).hexdigest()


def mask_id_number(id_number: str | None) -> str | None:
    """``321283199001011234`` → ``3212**********1234``."""
    if not id_number:
        return None
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str | None) -> str | None:
    """``13812345678`` → ``138****5678`` (shorter numbers keep only their last 2 digits)."""
    if not phone:
        return None
    if len(phone) >= 11:
        return phone[:-8] + "****" + phone[-4:]
    return "*" * (len(phone) - 2) + phone[-2:]


# argon2 takes ~0.2 s of CPU and releases the GIL: hashing and verifying run in a native
# thread, a few at once (fazhi_shared.service.offload.burst), so logins queue and the event
# loop keeps answering meanwhile. ``deadline`` (the caller's): a call still queued then
# gives up (DeadlineExceeded) rather than hash for a client already told 503.
def hash_password(password: str, deadline: float | None = None) -> str:
    return offload.burst(_hasher.hash, password, deadline=deadline)


def verify_password(password_hash: str | None, password: str,
                    deadline: float | None = None) -> bool:
    try:
        return offload.burst(_hasher.verify, password_hash or _DUMMY_HASH, password,
                             deadline=deadline) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
