"""Every setting the org service reads (the compose test checks they are all passed)."""
from fazhi_shared.config import COMMON_SETTINGS, Setting, database_setting

DATABASE_URL = database_setting("org")
PII_KEY = Setting(
    "ORG_PII_KEY", "ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy1sb25nISE=", secret=True,
    doc="base64 of 32 bytes: AES-256-GCM key for ID numbers at rest")
BLIND_INDEX_KEY = Setting(
    "ORG_BLIND_INDEX_KEY", "dev-only-blind-index-key-change-me", secret=True,
    doc="HMAC key of the ID-number blind index (de-duplication without decryption)")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, PII_KEY, BLIND_INDEX_KEY]
