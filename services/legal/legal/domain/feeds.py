"""Rules of calendar feeds: a feed's secret is a random token shown once; only its hash
is kept, so the database alone cannot rebuild a subscription URL. Pure."""
from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/api/v1/legal/feeds/{token}/calendar.ics"
