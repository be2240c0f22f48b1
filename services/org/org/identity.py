"""Protecting personal data (DOMAIN-RULES §6) and passwords.

ID numbers: AES-256-GCM at rest, a keyed blind index (HMAC-SHA256) for de-duplication,
and a masked form for display. Passwords: argon2id.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from org.config import BLIND_INDEX_KEY, PII_KEY

_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def normalise_id_number(value: str) -> str:
    return value.strip().upper()


def encrypt(value: str) -> bytes:
    key = base64.b64decode(PII_KEY.get())
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, value.encode(), b"org.person")


def decrypt(blob: bytes) -> str:
    key = base64.b64decode(PII_KEY.get())
    return AESGCM(key).decrypt(blob[:12], blob[12:], b"org.person").decode()


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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
