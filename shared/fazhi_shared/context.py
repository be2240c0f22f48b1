"""The caller context: who is calling, under which grants, until when.

The gateway signs a short-lived context (HS256, ``FAZHI_CONTEXT_KEY``) for each request
and sends it in nameko context data; services verify it and refuse calls without one.
Event handlers act as the ``system`` principal. The deadline is the real time after
which the caller has given up: a service does not run a request past it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import jwt

from .config import CONTEXT_KEY
from .errors import DeadlineExceeded, Forbidden, Unauthenticated
from .paths import ancestor_at, is_within

CONTEXT_DATA_KEY = "fazhi_caller"     # nameko context data key (header nameko.fazhi_caller)
REQUEST_ID_KEY = "fazhi_request_id"

ROLES = (
    "city_admin", "street_admin", "judicial_staff", "community_worker", "grid_worker",
    "property_staff", "owners_committee", "lawyer", "legal_literate", "mediator",
    "volunteer", "auditor", "resident",
)
STAFF_ROLES = tuple(r for r in ROLES if r != "resident")
ADMIN_ROLES = ("city_admin", "street_admin")


@dataclass(frozen=True)
class Grant:
    role: str
    path: str


@dataclass(frozen=True)
class Principal:
    kind: str                              # "user", "system" or "anonymous"
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

    @classmethod
    def system(cls, request_id: str | None = None) -> "Principal":
        return cls(kind="system", request_id=request_id)

    @classmethod
    def anonymous(cls, request_id: str | None = None, deadline: float | None = None):
        return cls(kind="anonymous", request_id=request_id, deadline=deadline)

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

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
        if self.kind not in ("user", "system"):
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


def sign(principal: Principal, key: str | None = None) -> str:
    """A compact signed context for one call (the gateway and tests use this)."""
    now = time.time()
    exp = int(principal.deadline if principal.deadline else now + 60) + 60
    claims = {
        "k": principal.kind, "acc": principal.account_id, "pid": principal.person_id,
        "g": [[g.role, g.path] for g in principal.grants], "rid": principal.request_id,
        "dl": principal.deadline, "lang": principal.lang, "iat": int(now), "exp": exp,
    }
    if principal.idempotency_key:
        claims["ik"] = [principal.idempotency_key, principal.request_hash, principal.route]
    return jwt.encode(claims, key or CONTEXT_KEY.get(), algorithm="HS256")


def verify(token: str | None, key: str | None = None) -> Principal:
    """The principal of a signed context; ``Unauthenticated`` when missing or forged."""
    if not token:
        raise Unauthenticated("调用缺少身份上下文。", "The call carries no caller context.")
    try:
        c = jwt.decode(token, key or CONTEXT_KEY.get(), algorithms=["HS256"])
    except jwt.PyJWTError as exc:
        raise Unauthenticated("身份上下文无效。", f"Invalid caller context: {exc}") from None
    return Principal(
        kind=c.get("k", "user"), account_id=c.get("acc"), person_id=c.get("pid"),
        grants=tuple(Grant(r, p) for r, p in c.get("g", [])), request_id=c.get("rid"),
        deadline=c.get("dl"), lang=c.get("lang", "zh"),
        **dict(zip(("idempotency_key", "request_hash", "route"), c.get("ik") or ())))
