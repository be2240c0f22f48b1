"""Every setting the org service reads (the compose test checks they are all passed)."""
from __future__ import annotations

import base64
import binascii

from fazhi_shared.config import (COMMON_SETTINGS, ConfigError, Setting, database_setting,
                                 signing_key_setting)


def parse_pii_keys(raw: str) -> tuple[int, dict[int, bytes]]:
    """``ORG_PII_KEY`` → (current version, {version: 32-byte key}).

    Either one base64 key (version 1), or comma-separated ``version:base64`` entries with
    the current key first and older ones after it (versions 1–255, each once), e.g.
    ``2:<new key>,1:<old key>`` while ``python -m org.rekey`` moves rows to version 2.
    Errors never repeat the value: it is a secret.
    """
    entries = [e.strip() for e in raw.split(",") if e.strip()]
    keys: dict[int, bytes] = {}
    for entry in entries:
        version_text, _, key_text = entry.rpartition(":")
        if not version_text:
            if len(entries) > 1:
                raise ConfigError("ORG_PII_KEY: several keys need a version each "
                                  "(version:base64, the current one first)")
            version_text = "1"
        if not version_text.isascii() or not version_text.isdigit() or not (
                1 <= int(version_text) <= 255):
            raise ConfigError("ORG_PII_KEY: a key version is a number from 1 to 255")
        version = int(version_text)
        if version in keys:
            raise ConfigError(f"ORG_PII_KEY: key version {version} is given twice")
        try:
            key = base64.b64decode(key_text, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != 32:
            raise ConfigError(f"ORG_PII_KEY: key version {version} is not base64 of 32 bytes")
        keys[version] = key
    if not keys:
        raise ConfigError("ORG_PII_KEY: no key")
    return next(iter(keys)), keys


def _checked_pii_keys(raw: str) -> str:
    parse_pii_keys(raw)
    return raw


DATABASE_URL = database_setting("org")
PII_KEY = Setting(
    "ORG_PII_KEY", "ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy1sb25nISE=", _checked_pii_keys,
    secret=True,
    doc="AES-256-GCM keys of ID numbers at rest: base64 of 32 bytes (version 1), or "
        "'version:base64' entries, the current key first, older ones after it")
BLIND_INDEX_KEY = Setting(
    "ORG_BLIND_INDEX_KEY", "dev-only-blind-index-key-change-me", secret=True,
    doc="HMAC key of the ID-number blind index (de-duplication without decryption)")

# org's own Ed25519 key: signs the calls org makes as itself (its public key is org=... in
# FAZHI_SIGNING_PUBLIC_KEYS).
SIGNING_KEY = signing_key_setting("org")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, PII_KEY, BLIND_INDEX_KEY, SIGNING_KEY]
