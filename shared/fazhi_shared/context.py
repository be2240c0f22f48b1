"""The caller context: who is calling, under which grants, until when.

Each RPC carries a short-lived context signed with Ed25519 (a JWT, ``EdDSA``, whose
header ``kid`` names the signer; keys in ``fazhi_shared.keys``) in nameko context data;
services verify it and refuse calls without one. Who may sign what:

- ``user`` and ``anonymous`` contexts: the gateway only (``GATEWAY_SIGNING_KEY``) — a
  service holds no key that could mint a user;
- ``service`` contexts (``Principal.of_service(name)``): a service acting on its own
  behalf (a bootstrap, an event handler, the gateway's token refresh), signed by that
  service's own key; the receiving service accepts them only on the methods its contract
  opens to services (``Contract.service_callable``, checked by ``@endpoint``);
- ``system``: the tests' and local tools' signer, in development mode only.

Inside a service, the platform's own identities (``service``, and ``system`` in tests)
act with every power (``is_system``) — reached only through what the contract opens.
The deadline is the real time after which the caller has given up: a service does not run
a request past it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import jwt

from . import keys
from .config import DEV_MODE
from .errors import DeadlineExceeded, Forbidden, Unauthenticated
from .paths import ancestor_at, is_within

CONTEXT_DATA_KEY = "fazhi_caller"     # nameko context data key (header nameko.fazhi_caller)
REQUEST_ID_KEY = "fazhi_request_id"

ROLES = (
    "city_admin", "street_admin", "judicial_staff", "community_worker", "grid_worker",
    "property_staff", "owners_committee", "lawyer", "legal_literate", "mediator",
    "assessor", "volunteer", "auditor", "resident",
)
STAFF_ROLES = tuple(r for r in ROLES if r != "resident")
ADMIN_ROLES = ("city_admin", "street_admin")


@dataclass(frozen=True)
class Grant:
    role: str
    path: str


@dataclass(frozen=True)
class Principal:
    kind: str                              # "user", "anonymous", "service" or "system"
    account_id: str | None = None
    person_id: str | None = None
    grants: tuple = field(default_factory=tuple)
    request_id: str | None = None
    deadline: float | None = None          # epoch seconds (real time)
    lang: str = "zh"
    # A write retried by its client: the Idempotency-Key, a hash of the request and the
    # route it was sent to (the gateway fills them; see fazhi_shared.service.idempotency).
    idempotency_key: str | None = None
    request_hash: str | None = None
    route: str | None = None
    service: str | None = None             # kind "service": the service acting

    @classmethod
    def system(cls, request_id: str | None = None) -> "Principal":
        """The platform itself, in process (e.g. a use case acting for a confirmed claim).
        Signed, it is the development-only signer of the tests and local tools."""
        return cls(kind="system", request_id=request_id)

    @classmethod
    def of_service(cls, service: str, request_id: str | None = None,
                   deadline: float | None = None) -> "Principal":
        """A service acting on its own behalf, signed with its own key."""
        return cls(kind="service", service=service, request_id=request_id,
                   deadline=deadline)

    @classmethod
    def anonymous(cls, request_id: str | None = None, deadline: float | None = None):
        return cls(kind="anonymous", request_id=request_id, deadline=deadline)

    @property
    def is_system(self) -> bool:
        """The platform's own identity (a service, or the development ``system``): every
        power, on the methods a contract opens to services."""
        return self.kind in ("system", "service")

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def roles(self) -> set:
        return {g.role for g in self.grants}

    def has_role(self, *roles: str) -> bool:
        return self.is_system or any(g.role in roles for g in self.grants)

    def paths_for(self, roles) -> list[str]:
        return [g.path for g in self.grants if g.role in roles]

    def can_act_at(self, roles, path: str) -> bool:
        """Holds one of ``roles`` on ``path`` or an ancestor of it."""
        return self.is_system or any(
            g.role in roles and is_within(path, g.path) for g in self.grants)

    def resident_compounds(self) -> list[str]:
        """Compound paths of the units this person is a resident of."""
        out = []
        for g in self.grants:
            if g.role == "resident":
                compound = ancestor_at(g.path, "compound")
                if compound:
                    out.append(compound)
        return out

    def require_user(self) -> "Principal":
        if self.kind not in ("user", "system", "service"):
            raise Unauthenticated()
        return self

    def require_role(self, *roles: str) -> "Principal":
        self.require_user()
        if not self.has_role(*roles):
            raise Forbidden()
        return self

    def check_deadline(self, margin: float = 0.0) -> None:
        """``DeadlineExceeded`` when the caller has given up, or will have within
        ``margin`` seconds (a commit checks with a margin that covers the commit itself)."""
        if self.deadline is not None and time.time() + margin > self.deadline:
            raise DeadlineExceeded()


def signer_of(principal: Principal) -> str:
    """Who signs a context of this principal: the gateway for users and anonymous callers,
    the service itself for a service, ``system`` (development only) for the system."""
    if principal.kind in ("user", "anonymous"):
        return keys.GATEWAY
    if principal.kind == "service" and principal.service:
        return principal.service
    if principal.kind == "system":
        return keys.SYSTEM
    raise ValueError(f"no signer for a {principal.kind!r} principal")


def sign(principal: Principal, key=None, signer: str | None = None) -> str:
    """A compact signed context for one call. The key is this process's key of ``signer``
    (default :func:`signer_of`): outside development mode a process signs only as itself
    (``ConfigError`` otherwise). ``key`` (an Ed25519 private key) is for tests."""
    signer = signer or signer_of(principal)
    now = time.time()
    exp = int(principal.deadline if principal.deadline else now + 60) + 60
    claims = {
        "k": principal.kind, "acc": principal.account_id, "pid": principal.person_id,
        "g": [[g.role, g.path] for g in principal.grants], "rid": principal.request_id,
        "dl": principal.deadline, "lang": principal.lang, "iat": int(now), "exp": exp,
    }
    if principal.service:
        claims["svc"] = principal.service
    if principal.idempotency_key:
        claims["ik"] = [principal.idempotency_key, principal.request_hash, principal.route]
    return jwt.encode(claims, key or keys.private_key(signer), algorithm="EdDSA",
                      headers={"kid": signer})


def _refused(reason_en: str) -> Unauthenticated:
    return Unauthenticated("身份上下文无效。", f"Invalid caller context: {reason_en}")


def verify(token: str | None) -> Principal:
    """The principal of a signed context; ``Unauthenticated`` when missing or forged: not
    signed by the key of its ``kid``, or by a signer that may not sign that kind of caller
    (only the gateway signs users and anonymous callers; a service signs only itself)."""
    if not token:
        raise Unauthenticated("调用缺少身份上下文。", "The call carries no caller context.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise _refused(str(exc)) from None
    signer = header.get("kid")
    if header.get("alg") != "EdDSA" or not isinstance(signer, str):
        raise _refused("not an Ed25519 context naming its signer")
    public = keys.public_key(signer)
    if public is None:
        raise _refused(f"signer {signer[:40]!r} is not trusted")
    try:
        c = jwt.decode(token, public, algorithms=["EdDSA"])
    except jwt.PyJWTError as exc:
        raise _refused(str(exc)) from None
    kind = c.get("k")
    allowed = {"user": signer == keys.GATEWAY, "anonymous": signer == keys.GATEWAY,
               "service": c.get("svc") == signer,
               "system": signer == keys.SYSTEM and DEV_MODE.get()}
    if not allowed.get(kind, False):
        raise _refused(f"{signer} may not sign a {kind!r} caller")
    return Principal(
        kind=kind, account_id=c.get("acc"), person_id=c.get("pid"),
        grants=tuple(Grant(r, p) for r, p in c.get("g", [])), request_id=c.get("rid"),
        deadline=c.get("dl"), lang=c.get("lang", "zh"),
        service=c.get("svc") if kind == "service" else None,
        **dict(zip(("idempotency_key", "request_hash", "route"), c.get("ik") or ())))
