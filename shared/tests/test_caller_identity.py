"""Forged caller contexts (issue 7, point 3): who may sign which caller, on the real broker.

The gateway alone mints user and anonymous contexts (its Ed25519 key); each service signs
the calls it makes on its own behalf with its own key, as a *service principal*; services
verify with the public keys of one shared setting and cannot sign for anyone else. A
service principal is accepted only on the methods the receiving service's contract opens
to services. Outside development mode a context signed with a development key — the
HS256 key that used to be published in config.py, or a key derived from a signer's name —
is refused.
"""
import hashlib
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fazhi_shared.config import ConfigError
from fazhi_shared.context import Grant, Principal, sign, verify
from fazhi_shared.errors import Forbidden, Unauthenticated
from fazhi_shared.http import Contract
from fazhi_shared.service.rpc import ServiceBase, endpoint
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import production_keys, running_services

PUBLISHED_HS256_KEY = "dev-context-key-change-me-0123456789abcdef"   # config.py, until now
USER = Principal(kind="user", account_id="acc-1", grants=(Grant("resident", "/c/s"),))

CONTRACT = Contract(service="identity_probe", title="probe / probe", service_callable={
    "export": "*",                    # every service's bootstrap, say
    "for_gateway": ("gateway",),      # the gateway's own calls only
})


class IdentityProbe(ServiceBase):
    name = "identity_probe"
    contract = CONTRACT

    @endpoint(readonly=True)
    def export(self, caller, data):
        return {"kind": caller.kind, "service": caller.service}

    @endpoint(readonly=True)
    def for_gateway(self, caller, data):
        return {"kind": caller.kind, "service": caller.service}

    @endpoint(readonly=True)
    def users_only(self, caller, data):
        return {"kind": caller.kind, "account_id": caller.account_id}


@pytest.fixture(scope="module")
def probe(vhost_uri):
    with running_services(IdentityProbe):
        yield


@pytest.fixture
def client(probe):
    c = RpcClient()
    yield c
    c.close()


def call(client, method, token):
    return client.call("identity_probe", method, {}, context_for(token, "req-id"), timeout=3)


def dev_key(name: str) -> Ed25519PrivateKey:
    """What anyone can compute: a development key (seed = SHA-256 of "fazhi-dev:<name>")."""
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"fazhi-dev:{name}".encode()).digest())


def claims(kind="user", **extra):
    now = time.time()
    return {"k": kind, "acc": "acc-1", "g": [["city_admin", "/c"]], "dl": now + 5,
            "iat": int(now), "exp": int(now) + 60, **extra}


def test_a_context_signed_with_the_published_hs256_key_is_refused(client):
    """The finding: a caller context signed with the default key was accepted as system."""
    forged = jwt.encode(claims("system"), PUBLISHED_HS256_KEY, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        call(client, "users_only", forged)
    with pytest.raises(Unauthenticated):
        verify(forged)


def test_contexts_are_ed25519_and_name_their_signer():
    token = sign(USER)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"] == "gateway"
    assert jwt.get_unverified_header(sign(Principal.of_service("org")))["kid"] == "org"
    assert verify(token).account_id == "acc-1"


def test_a_user_context_signed_by_a_service_is_refused(client, monkeypatch):
    production_keys(monkeypatch, "gateway", "org")
    assert call(client, "users_only", sign(USER))["account_id"] == "acc-1"   # the gateway's
    for kind in ("user", "anonymous"):
        with pytest.raises(Unauthenticated):
            call(client, "users_only", sign(Principal(kind=kind, account_id="acc-1"),
                                            signer="org"))
    # nor may a service sign as another service
    with pytest.raises(Unauthenticated):
        call(client, "export", sign(Principal.of_service("gateway"), signer="org"))


def test_a_service_may_call_only_what_the_contract_opens_to_services(client, monkeypatch):
    production_keys(monkeypatch, "gateway", "org")
    org = sign(Principal.of_service("org"))
    assert call(client, "export", org) == {"kind": "service", "service": "org"}
    with pytest.raises(Forbidden):
        call(client, "users_only", org)
    with pytest.raises(Forbidden):
        call(client, "for_gateway", org)
    gateway = sign(Principal.of_service("gateway"))
    assert call(client, "for_gateway", gateway) == {"kind": "service", "service": "gateway"}
    with pytest.raises(Forbidden):
        call(client, "users_only", gateway)


def test_a_service_holding_only_its_own_key_cannot_sign_for_others(monkeypatch):
    production_keys(monkeypatch, "gateway", "org")
    monkeypatch.delenv("GATEWAY_SIGNING_KEY")       # the org process: its own key only
    sign(Principal.of_service("org"))
    with pytest.raises(ConfigError):
        sign(USER)
    with pytest.raises(ConfigError):
        sign(Principal.system())


def test_outside_development_mode_development_keys_are_refused(client, monkeypatch):
    production_keys(monkeypatch, "gateway", "org")
    for kid, kind in (("gateway", "user"), ("org", "service"), ("system", "system")):
        forged = jwt.encode(claims(kind, svc=kid), dev_key(kid), algorithm="EdDSA",
                            headers={"kid": kid})
        with pytest.raises(Unauthenticated):
            call(client, "export", forged)
    # an unknown signer, and a context with no signer at all
    stranger = Ed25519PrivateKey.generate()
    for headers in ({"kid": "legal"}, {}):
        forged = jwt.encode(claims("service", svc="legal"), stranger, algorithm="EdDSA",
                            headers=headers)
        with pytest.raises(Unauthenticated):
            call(client, "export", forged)


def test_outside_development_mode_a_development_public_key_is_not_trusted(client, monkeypatch):
    """A deployment that copied a development public key into the shared setting still
    refuses what that key signs."""
    from cryptography.hazmat.primitives import serialization
    import base64

    keys = production_keys(monkeypatch, "gateway")
    raw = dev_key("org").public_key().public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)
    monkeypatch.setenv("FAZHI_SIGNING_PUBLIC_KEYS",
                       f"gateway={keys['gateway'][1]},org={base64.b64encode(raw).decode()}")
    forged = jwt.encode(claims("service", svc="org"), dev_key("org"), algorithm="EdDSA",
                        headers={"kid": "org"})
    with pytest.raises(Unauthenticated):
        call(client, "export", forged)


def test_in_development_mode_nothing_needs_configuring(client):
    assert call(client, "export", sign(Principal.of_service("legal")))["service"] == "legal"
    assert call(client, "users_only", sign(USER))["kind"] == "user"
    assert call(client, "users_only", sign(Principal.system()))["kind"] == "system"
