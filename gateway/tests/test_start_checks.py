"""The gateway refuses development secrets outside development mode (issue 7, point 3): a
resident's token re-signed with the JWT key published in config.py listed every account.

``create_app`` (every gunicorn worker) and gunicorn's ``on_starting`` (the arbiter, before
any worker) check the settings; ``tests/test_dev_defaults_refused.py`` starts the real
processes. A gateway holding a real key refuses tokens signed with the published one.
"""
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from fazhi_shared.config import ConfigError
from fazhi_shared.service.testing import production_keys

from gateway.app import create_app

PUBLISHED_JWT_KEY = "dev-jwt-secret-change-me-0123456789abcdef"


@pytest.fixture
def production(monkeypatch, gateway_db):
    monkeypatch.setenv("FAZHI_DEV_MODE", "false")
    for name in ("GATEWAY_JWT_SECRET", "GATEWAY_SIGNING_KEY", "FAZHI_SIGNING_PUBLIC_KEYS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_outside_development_mode_the_published_keys_stop_the_gateway(production):
    with pytest.raises(ConfigError) as info:
        create_app({"TESTING": True})
    message = str(info.value)
    assert "GATEWAY_JWT_SECRET" in message and "GATEWAY_SIGNING_KEY" in message
    assert "FAZHI_DEV_MODE" in message
    production.setenv("GATEWAY_JWT_SECRET", PUBLISHED_JWT_KEY)      # set, but the default
    production_keys(production, "gateway")
    with pytest.raises(ConfigError, match="GATEWAY_JWT_SECRET"):
        create_app({"TESTING": True})


def test_the_gunicorn_arbiter_refuses_before_any_worker(production):
    from gateway import gunicorn_conf

    with pytest.raises(SystemExit) as info:
        gunicorn_conf.on_starting(None)
    assert info.value.code == 2


def test_a_token_signed_with_the_published_key_is_refused(production, fake_rpc):
    production.setenv("GATEWAY_JWT_SECRET", "a-real-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c")
    production_keys(production, "gateway")
    client = create_app({"TESTING": True}).test_client()
    now = datetime.now(timezone.utc)
    forged = jwt.encode({"typ": "access", "sub": "acc", "pid": "p", "sid": "s", "gv": 99,
                         "g": [["city_admin", "/c"]], "jti": "j", "iat": now,
                         "exp": now + timedelta(minutes=5)}, PUBLISHED_JWT_KEY,
                        algorithm="HS256")
    r = client.get("/api/v1/org/accounts", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    assert not fake_rpc.calls_to("org", "list_accounts")
