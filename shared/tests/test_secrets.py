"""No secret has a usable default outside development mode (issue 7, point 3).

The rule is one function, ``fazhi_shared.config.check_secrets``: outside development mode
(``FAZHI_DEV_MODE``) a secret setting that holds its development default, or is empty
where it has no default, stops the process; the signing keys are checked against the one
shared public-keys setting (``fazhi_shared.keys.check_signer``). ``python -m
fazhi_shared.keys new <name>`` makes a key pair for operators.
"""
import subprocess
import sys

import pytest

from fazhi_shared import config, keys
from fazhi_shared.config import ConfigError, Setting, check_secrets, signing_key_setting
from fazhi_shared.service.testing import production_keys

SECRET = Setting("PROBE_SECRET", "dev-probe-secret-change-me", secret=True)
NO_DEFAULT = Setting("PROBE_TOKEN", None, secret=True)
OPTIONAL = Setting("PROBE_OPTIONAL", None, secret=True, optional=True)
PLAIN = Setting("PROBE_PLAIN", "x")


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("FAZHI_DEV_MODE", "false")
    for s in (SECRET, NO_DEFAULT, OPTIONAL, PLAIN):
        monkeypatch.delenv(s.name, raising=False)
    return monkeypatch


def test_in_development_mode_development_defaults_are_fine(monkeypatch):
    monkeypatch.setenv("FAZHI_DEV_MODE", "true")
    check_secrets([SECRET, NO_DEFAULT, OPTIONAL, PLAIN])


def test_outside_development_mode_a_development_default_stops_the_process(production):
    with pytest.raises(ConfigError) as info:
        check_secrets([SECRET, NO_DEFAULT, OPTIONAL, PLAIN])
    message = str(info.value)
    assert "PROBE_SECRET" in message and "PROBE_TOKEN" in message
    assert "PROBE_OPTIONAL" not in message and "PROBE_PLAIN" not in message
    assert "FAZHI_DEV_MODE" in message
    production.setenv("PROBE_SECRET", "dev-probe-secret-change-me")     # the default, set
    production.setenv("PROBE_TOKEN", "a-real-token")
    with pytest.raises(ConfigError, match="PROBE_SECRET"):
        check_secrets([SECRET, NO_DEFAULT])
    production.setenv("PROBE_SECRET", "a-real-secret")
    check_secrets([SECRET, NO_DEFAULT, OPTIONAL, PLAIN])


def test_every_common_secret_is_checked(production):
    with pytest.raises(ConfigError) as info:
        check_secrets(config.COMMON_SETTINGS + [signing_key_setting("org")])
    assert "ORG_SIGNING_KEY" in str(info.value)
    assert "FAZHI_CONTEXT_KEY" not in {s.name for s in config.COMMON_SETTINGS}


def test_a_signer_needs_its_key_in_the_shared_public_keys(production):
    with pytest.raises(ConfigError, match="FAZHI_SIGNING_PUBLIC_KEYS"):
        keys.check_signer("org")
    pairs = production_keys(production, "gateway", "org")
    keys.check_signer("org")
    keys.check_signer("gateway")
    # a private key that is not the one the others verify with
    production.setenv("ORG_SIGNING_KEY", pairs["gateway"][0])
    with pytest.raises(ConfigError, match="ORG_SIGNING_KEY"):
        keys.check_signer("org")


def test_public_keys_read_as_json_or_pairs():
    private, public = keys.new_key_pair()
    assert keys.parse_public_keys(f"org={public}, gateway={public}") == {
        "org": public, "gateway": public}
    assert keys.parse_public_keys(f'{{"org": "{public}"}}') == {"org": public}
    assert keys.parse_public_keys("") == {}
    for bad in ("org", "org=notbase64!", f"Org Name={public}", '["org"]', "org=AAAA"):
        with pytest.raises(ValueError):
            keys.parse_public_keys(bad)


def test_the_key_command_makes_a_pair_that_verifies(monkeypatch):
    out = subprocess.run([sys.executable, "-m", "fazhi_shared.keys", "new", "legal"],
                         capture_output=True, text=True, check=True).stdout
    private = next(line.split("=", 1)[1] for line in out.splitlines()
                   if line.startswith("LEGAL_SIGNING_KEY="))
    entry = next(line.split(" ", 1)[0] for line in out.splitlines()
                 if line.startswith("legal="))
    monkeypatch.setenv("FAZHI_DEV_MODE", "false")
    monkeypatch.setenv("LEGAL_SIGNING_KEY", private)
    monkeypatch.setenv("FAZHI_SIGNING_PUBLIC_KEYS", entry)
    from fazhi_shared.context import Principal, sign, verify

    assert verify(sign(Principal.of_service("legal"))).service == "legal"
