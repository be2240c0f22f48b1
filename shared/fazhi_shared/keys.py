"""Identities of the platform's processes: Ed25519 signing keys and broker users.

**Signing keys.** Caller contexts (``fazhi_shared.context``) are JWTs signed with Ed25519
(``EdDSA``); the header's ``kid`` names the signer. The gateway alone signs user and
anonymous contexts (``GATEWAY_SIGNING_KEY``); each service signs the calls it makes on its
own behalf with its own key (``<SERVICE>_SIGNING_KEY``, held by that service's processes
only). Everyone verifies with the public keys of one shared setting,
``FAZHI_SIGNING_PUBLIC_KEYS`` (``gateway=<base64>,org=<base64>`` or a JSON object): adding
a service adds one entry there and changes nothing else.

In development mode (``FAZHI_DEV_MODE``) a signer without a configured key uses its
development key, derived from its name (the seed is SHA-256 of ``fazhi-dev:<name>``), so
nothing needs configuring; the tests and local tools also have the signer ``system``,
which exists only in development mode. Outside it, development keys are refused
everywhere: as a process's own key (it does not start), and as a key to trust (a context
signed by one is refused even when its public key was copied into the setting).

``python -m fazhi_shared.keys new <name>`` makes a key pair for operators
(deploy/README.md, Secrets).

**Broker users.** Each service connects to RabbitMQ as its own user ``fazhi-<service>``,
whose permissions (:func:`broker_permissions`) let it publish only to its own event
exchange ``<service>.events``; the outbox relay stamps every event with that user
(``user_id``, which RabbitMQ checks), so handlers of security-relevant events know the
publisher (``handle_event(..., publisher="org")``).
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import sys
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)

from .config import (DEV_MODE, SIGNING_PUBLIC_KEYS, ConfigError, dev_signing_key,
                     signing_key_setting)

GATEWAY = "gateway"      # the one signer of user and anonymous contexts
SYSTEM = "system"        # the tests' and local tools' signer: development mode only
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


# -- key material -------------------------------------------------------------------------
def _b64_32(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(f"{what} is not base64 of 32 bytes")
    return raw


def _public_b64(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


@lru_cache(maxsize=64)
def _private(seed_b64: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_b64_32(seed_b64, "a signing key"))


@lru_cache(maxsize=256)
def _public(public_b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_b64_32(public_b64, "a public key"))


@lru_cache(maxsize=256)
def dev_public_key(name: str) -> str:
    """The public key (base64) of ``name``'s development key."""
    return _public_b64(_private(dev_signing_key(name)))


def new_key_pair() -> tuple[str, str]:
    """A fresh ``(private, public)`` pair, each base64 of 32 bytes."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    return base64.b64encode(seed).decode(), _public_b64(private)


@lru_cache(maxsize=16)
def parse_public_keys(raw: str) -> dict:
    """``FAZHI_SIGNING_PUBLIC_KEYS`` → ``{signer: base64 public key}``. Either a JSON
    object or ``name=base64`` pairs separated by commas; ``ValueError`` naming the entry."""
    raw = (raw or "").strip()
    if not raw:
        return {}
    if raw.startswith(("{", "[")):
        try:
            pairs = json.loads(raw)
        except ValueError:
            raise ValueError("FAZHI_SIGNING_PUBLIC_KEYS is not valid JSON") from None
        if not isinstance(pairs, dict):
            raise ValueError("FAZHI_SIGNING_PUBLIC_KEYS must be a JSON object of name: key")
        pairs = list(pairs.items())
    else:
        pairs = []
        for entry in filter(None, (e.strip() for e in raw.split(","))):
            name, sep, key = entry.partition("=")
            if not sep:
                raise ValueError(f"FAZHI_SIGNING_PUBLIC_KEYS: {entry[:40]!r} is not name=key")
            pairs.append((name.strip(), key.strip()))
    keys = {}
    for name, key in pairs:
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ValueError(f"FAZHI_SIGNING_PUBLIC_KEYS: {str(name)[:40]!r} is not a "
                             f"service name")
        if not isinstance(key, str):
            raise ValueError(f"FAZHI_SIGNING_PUBLIC_KEYS: the key of {name} is not text")
        _b64_32(key, f"FAZHI_SIGNING_PUBLIC_KEYS: the key of {name}")
        if name in keys:
            raise ValueError(f"FAZHI_SIGNING_PUBLIC_KEYS: {name} is given twice")
        keys[name] = key
    return keys


# -- what a process signs with and trusts ----------------------------------------------------
def private_key(name: str) -> Ed25519PrivateKey:
    """``name``'s signing key as this process holds it (``<NAME>_SIGNING_KEY``).

    ``ConfigError`` when this process may not sign as ``name``: outside development mode,
    a signer whose key it does not hold (its setting at the development default) or the
    development-only ``system``."""
    dev = DEV_MODE.get()
    if name == SYSTEM:
        if not dev:
            raise ConfigError("the signer 'system' exists only in development mode "
                              "(FAZHI_DEV_MODE)")
        return _private(dev_signing_key(SYSTEM))
    setting = signing_key_setting(name)
    seed = setting.get()
    if not dev and seed == dev_signing_key(name):
        raise ConfigError(f"{setting.name} is not set: this process cannot sign as {name} "
                          f"outside development mode (FAZHI_DEV_MODE)")
    try:
        return _private(seed)
    except ValueError:
        raise ConfigError(f"{setting.name} is not base64 of a 32-byte Ed25519 seed") from None


def public_key(name: str) -> Ed25519PublicKey | None:
    """The key that verifies ``name``'s signatures, or None when ``name`` is not trusted:
    not in ``FAZHI_SIGNING_PUBLIC_KEYS`` (development mode: its development key), or,
    outside development mode, ``system`` or a development key."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return None
    dev = DEV_MODE.get()
    if name == SYSTEM and not dev:
        return None
    configured = SIGNING_PUBLIC_KEYS.get().get(name)
    if configured is None:
        return _public(dev_public_key(name)) if dev else None
    if not dev and configured == dev_public_key(name):
        return None
    return _public(configured)


def check_signer(name: str) -> None:
    """At start, outside development mode: ``ConfigError`` unless the shared setting has
    the gateway's public key (every service verifies user contexts with it) and ``name``'s,
    and this process's ``<NAME>_SIGNING_KEY`` is the private half of the latter."""
    if DEV_MODE.get():
        return
    configured = SIGNING_PUBLIC_KEYS.get()
    problems = []
    for signer in dict.fromkeys((GATEWAY, name)):
        key = configured.get(signer)
        if key is None:
            problems.append(f"FAZHI_SIGNING_PUBLIC_KEYS has no key for {signer}")
        elif key == dev_public_key(signer):
            problems.append(f"FAZHI_SIGNING_PUBLIC_KEYS holds the development key of {signer}")
    setting = signing_key_setting(name)
    seed = setting.get()
    if seed == dev_signing_key(name):
        problems.append(f"{setting.name} holds its development default")
    else:
        try:
            own = _public_b64(_private(seed))
        except ValueError:
            problems.append(f"{setting.name} is not base64 of a 32-byte Ed25519 seed")
        else:
            if configured.get(name) not in (None, own):
                problems.append(f"{setting.name} is not the private key of {name}'s entry "
                                f"in FAZHI_SIGNING_PUBLIC_KEYS")
    if problems:
        raise ConfigError("refusing to start outside development mode: " + "; ".join(problems)
                          + ". Make keys with `python -m fazhi_shared.keys new <name>` "
                          "(deploy/README.md, Secrets), or FAZHI_DEV_MODE=true on a "
                          "development machine.")


# -- broker users ---------------------------------------------------------------------------
def broker_user(service: str) -> str:
    """The RabbitMQ user a service (and every process of its package) connects as."""
    return f"fazhi-{service}"


def dev_broker_password(service: str) -> str:
    """The password ``make run`` and the tests give ``fazhi-<service>`` (development only)."""
    return f"dev-broker-password-{service}"


def broker_permissions(service: str) -> dict:
    """RabbitMQ permissions of ``fazhi-<service>`` (regular expressions on resource names,
    matched whole): it declares, binds and reads what nameko RPC, its event handlers and
    their retry and dead-letter queues need, reads every ``*.events`` exchange, and
    **publishes only to its own** ``<service>.events`` (plus ``nameko-rpc`` for calls and
    replies, ``fazhi.dlx`` for dead letters, and the default exchange for delayed
    retries). Its nameko services are named ``<service>`` or ``<service>_<part>`` (the
    gateway's session listener is ``gateway_sessions``)."""
    own = re.escape(service)
    names = rf"{own}(?:_[a-z0-9]+)?"
    mine = rf"rpc-{names}|rpc\.reply-.+|evt-.+--{names}\..+"
    return {
        "configure": rf"^(nameko-rpc|fazhi\.dlx|[a-z0-9_]+\.events|{mine})$",
        "write": rf"^(nameko-rpc|fazhi\.dlx|amq\.default|{own}\.events|{mine})$",
        "read": rf"^(nameko-rpc|fazhi\.dlx|[a-z0-9_]+\.events|{mine})$",
    }


def installed_identities() -> list[str]:
    """The gateway and every service whose contract is installed (the gateway's image
    holds them all): the broker users a deployment needs."""
    from importlib.metadata import entry_points

    from .http import ENTRY_POINT_GROUP

    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return [GATEWAY, *sorted(n for n in names if n != GATEWAY)]


def setup_broker_users(api: str, password: str, identities, vhost: str = "/",
                       wait: float = 60) -> None:
    """Create (or update) each identity's user with ``password`` and its permissions on
    ``vhost`` through RabbitMQ's management API ``api`` (``http://admin:pw@host:15672``),
    waiting up to ``wait`` seconds for the API to answer."""
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    parts = urllib.parse.urlsplit(api)
    auth = base64.b64encode(f"{urllib.parse.unquote(parts.username or '')}:"
                            f"{urllib.parse.unquote(parts.password or '')}".encode()).decode()
    root = urllib.parse.urlunsplit((parts.scheme, f"{parts.hostname}:{parts.port or 15672}",
                                    parts.path.rstrip("/") + "/api", "", ""))
    q = lambda text: urllib.parse.quote(text, safe="")  # noqa: E731

    def put(path, body):
        request = urllib.request.Request(root + path, data=json.dumps(body).encode(),
                                         method="PUT", headers={
                                             "Authorization": f"Basic {auth}",
                                             "Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()

    end = time.monotonic() + wait
    for identity in identities:
        user = broker_user(identity)
        while True:
            try:
                put(f"/users/{q(user)}", {"password": password, "tags": ""})
                put(f"/permissions/{q(vhost)}/{q(user)}", broker_permissions(identity))
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > end:
                    raise
                time.sleep(2)
        print(f"broker user {user}: permissions on vhost {vhost!r} set")


# -- the operators' command -------------------------------------------------------------------
def main(argv=None) -> int:
    """``python -m fazhi_shared.keys new <name>``: a key pair, printed as settings.
    ``python -m fazhi_shared.keys public <name>``: the entry of the private key in
    ``<NAME>_SIGNING_KEY`` (to rebuild the shared setting).
    ``python -m fazhi_shared.keys broker <name>``: the ``rabbitmqctl`` commands that make
    ``fazhi-<name>`` with its permissions.
    ``python -m fazhi_shared.keys broker-setup --api URL --password PW``: make the users of
    the gateway and every installed service through the management API (compose)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m fazhi_shared.keys")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="make a signing key pair for a service (or gateway)")
    new.add_argument("name")
    public = sub.add_parser("public", help="the public entry of <NAME>_SIGNING_KEY")
    public.add_argument("name")
    broker = sub.add_parser("broker", help="rabbitmqctl commands for fazhi-<name>")
    broker.add_argument("name")
    broker.add_argument("--vhost", default="/")
    setup = sub.add_parser("broker-setup", help="make every installed package's broker user")
    setup.add_argument("--api", required=True, help="http://admin:password@host:15672")
    setup.add_argument("--password", required=True, help="the users' password")
    setup.add_argument("--vhost", default="/")
    args = parser.parse_args(argv)
    if args.command == "broker-setup":
        setup_broker_users(args.api, args.password, installed_identities(), args.vhost)
        return 0
    if not NAME.fullmatch(args.name) or args.name == SYSTEM:
        parser.error(f"{args.name!r} is not a service name")
    if args.command == "broker":
        perms, user = broker_permissions(args.name), broker_user(args.name)
        print('PASSWORD="$(openssl rand -hex 24)"     # URL-safe: it goes into AMQP_URI')
        print(f'rabbitmqctl add_user {user} "$PASSWORD"')
        print(f"rabbitmqctl set_permissions -p '{args.vhost}' {user} \\\n"
              f"  '{perms['configure']}' \\\n  '{perms['write']}' \\\n  '{perms['read']}'")
        print(f"# then the Secret fazhi-{args.name}-broker: username={user}, password=$PASSWORD")
        return 0
    setting = signing_key_setting(args.name)
    if args.command == "new":
        private, public_b64 = new_key_pair()
        print(f"# {args.name}'s signing key pair")
        print(f"# secret, for {args.name}'s own processes only (a Secret of {args.name}):")
        print(f"{setting.name}={private}")
        print("# add this entry to FAZHI_SIGNING_PUBLIC_KEYS, the same value everywhere:")
        print(f"{args.name}={public_b64}")
        return 0
    seed = setting.get()
    if seed == dev_signing_key(args.name):
        print(f"{setting.name} is not set (this is the development key)", file=sys.stderr)
        return 1
    print(f"{args.name}={_public_b64(_private(seed))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
