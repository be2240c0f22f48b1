"""Every process refuses to start with a development secret outside development mode
(issue 7, point 3): the JWT key, the signing keys and the personal-data keys had public
defaults in config.py, compose and the kustomize base, and nothing refused them.

Each process kind — a service (``python -m org``), the gateway under gunicorn
(``python -m gateway serve``) and its session listener (``python -m gateway.listener``) —
is started with ``FAZHI_DEV_MODE=false`` and its secrets left at their defaults: it exits
with code 2 and says which settings and how to fix it, before touching anything. With real
values it starts (org answers a ping signed with the gateway's real key, and refuses one
signed with a development key). With development mode on, the same processes start from
the defaults: the other cross-service tests run them so (``tests/conftest.py``).
"""
from __future__ import annotations

import os
import secrets
import sys
import base64

import pytest

from fazhi_shared.context import Principal, sign
from fazhi_shared.errors import Unauthenticated
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import (ServiceProcess, private_vhost, production_keys,
                                          wait_until)

pytestmark = pytest.mark.timeout(120)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(**extra) -> dict:
    """This environment outside development mode, with no secret set."""
    env = {k: v for k, v in os.environ.items()
           if not k.endswith(("_SIGNING_KEY", "_JWT_SECRET", "_PII_KEY", "_INDEX_KEY"))
           and k != "FAZHI_SIGNING_PUBLIC_KEYS"}
    return {**env, "FAZHI_DEV_MODE": "false", **extra}


def run_until_exit(name, argv, env, logs_dir, timeout=30) -> tuple[int | None, str]:
    log_path = os.path.join(logs_dir, f"refused-{name}.log")
    proc = ServiceProcess(name, argv, env, log_path)
    proc.env = env                   # exactly this environment
    proc.start()
    try:
        code = proc.proc.wait(timeout)
    except Exception:
        code = None                  # still running: it did not refuse
    finally:
        proc.stop(5)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return code, f.read()


@pytest.mark.parametrize("name,argv,secrets_named", [
    ("org", [sys.executable, "-m", "org", "--no-migrate"],
     ["ORG_PII_KEY", "ORG_BLIND_INDEX_KEY", "ORG_SIGNING_KEY"]),
    ("gateway", [sys.executable, "-m", "gateway", "serve"],
     ["GATEWAY_JWT_SECRET", "GATEWAY_SIGNING_KEY"]),
    ("gateway-listener", [sys.executable, "-m", "gateway.listener", "--no-migrate"],
     ["GATEWAY_JWT_SECRET", "GATEWAY_SIGNING_KEY"]),
])
def test_outside_development_mode_development_secrets_stop_the_process(
        name, argv, secrets_named, org_db, gateway_db, logs_dir):
    env = production_env(GATEWAY_BIND=f"127.0.0.1:{free_port()}")
    code, log = run_until_exit(name, argv, env, logs_dir)
    assert code == 2, f"{name} did not refuse to start (exit {code}):\n{log[-3000:]}"
    for secret in secrets_named:
        assert secret in log, f"{name}'s refusal does not name {secret}:\n{log[-3000:]}"
    assert "FAZHI_DEV_MODE" in log, log[-3000:]


def real_values(monkeypatch, *signers) -> dict:
    """Real (random) values for every secret org and the gateway read, and key pairs for
    ``signers`` (also set in this process, which signs as the gateway)."""
    pairs = production_keys(monkeypatch, *signers)
    values = {f"{name.upper()}_SIGNING_KEY": private for name, (private, _) in pairs.items()}
    values["FAZHI_SIGNING_PUBLIC_KEYS"] = os.environ["FAZHI_SIGNING_PUBLIC_KEYS"]
    for name in ("ORG_PII_KEY", "ORG_BLIND_INDEX_KEY", "GATEWAY_JWT_SECRET"):
        values[name] = base64.b64encode(secrets.token_bytes(32)).decode()
    return values


@pytest.fixture
def own_vhost():
    """A vhost of its own: no other org (the session's, in development mode) answers here."""
    with private_vhost("fazhi-prodkeys") as uri:
        yield uri


def test_with_real_secrets_org_starts_and_trusts_only_real_keys(monkeypatch, own_vhost,
                                                                 org_db, logs_dir):
    values = real_values(monkeypatch, "gateway", "org")
    env = production_env(**values)
    log_path = os.path.join(logs_dir, "org-production.log")
    proc = ServiceProcess("org-production", [sys.executable, "-m", "org", "--no-migrate"],
                          env, log_path)
    proc.env = env
    proc.start()
    client = RpcClient()
    try:
        ping = lambda token: client.call("org", "ping", {}, context_for(token, "t"), timeout=1)
        wait_until(lambda: ping(sign(Principal.anonymous())), timeout=30,
                   what="org to start outside development mode")
        assert proc.proc.poll() is None
        monkeypatch.setenv("FAZHI_DEV_MODE", "true")      # this process signs with dev keys
        monkeypatch.delenv("GATEWAY_SIGNING_KEY")
        with pytest.raises(Unauthenticated):
            ping(sign(Principal.anonymous()))
    finally:
        client.close()
        proc.stop()


def test_in_development_mode_the_same_processes_start_from_the_defaults(
        org_process, gateway_url, session_listener):
    """The session's own processes run with no secret set and FAZHI_DEV_MODE=true (the
    pytest plugin sets it, as make run and the demo compose file do)."""
    import requests

    assert os.environ["FAZHI_DEV_MODE"] == "true"
    assert not any(os.environ.get(f"{n}_SIGNING_KEY") for n in ("ORG", "GATEWAY"))
    for proc in (org_process, session_listener):
        assert proc.proc.poll() is None, f"{proc.name} is not running"
    assert requests.get(f"{gateway_url}/readyz", timeout=5).status_code == 200
