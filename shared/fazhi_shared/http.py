"""A service's HTTP surface, declared as data in its contract package; the gateway mounts it.

A contract lists its routes (``Route``): method, path under ``/api/v1/<service>``, the RPC
method it calls, the RPC's input and output schemas, who may call it, the success status.
The gateway finds every installed contract through the ``fazhi.contracts`` entry point
group and mounts its routes with the same OpenAPI document, role checks at the door,
error envelope and pagination as any other route — so a service's HTTP surface needs no
gateway code. Like Decidim's components, a contract registers itself; the host edits
nothing.

How a request becomes an RPC call:

- URL variables become keyword arguments of the same name (``args`` renames them);
  ``fixed`` adds constant ones (``/compounds`` is ``list_units(kind="compound")``).
- The body (JSON) or, for GET and DELETE, the query string is loaded with the RPC's input
  schema minus the fields the URL and ``fixed`` already give — validation rules stay
  defined once, in the contract.
- ``upload``: a ``multipart/form-data`` file, streamed by the gateway into the shared file
  store (``fazhi_shared.files``); the RPC gets ``{address, size, content_type,
  filename}`` in the upload's field (the claim-check pattern: files never travel through
  the broker).
- ``download``: the RPC answers with such a file reference and the gateway streams the
  file from the store as an attachment.
- ``PUBLIC`` routes are called anonymously (the service checks what it needs, e.g. a
  secret token in the URL of a calendar feed); ``SIGNED_IN`` ones by any account.

This module is pure data: contracts import it without the gateway or nameko.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .context import ROLES

PUBLIC = "public"
SIGNED_IN = "signed_in"
ENTRY_POINT_GROUP = "fazhi.contracts"


@dataclass(frozen=True)
class Upload:
    """The route takes one file in the form field ``field``."""
    field: str = "file"
    max_bytes: int = 10 * 1024 * 1024
    content_types: tuple = ()          # accepted types ('' = any); checked with ``magic``
    magic: bytes = b""                 # the file must start with these bytes
    label_zh: str = "文件"
    label_en: str = "file"
    kind_zh: str = ""                  # "不是有效的 .xlsx 文件" … (message when magic fails)
    kind_en: str = ""


@dataclass(frozen=True)
class Download:
    """The RPC answers with a file reference; the client gets the file itself."""
    content_type: str
    fallback_name: str                  # ASCII name for old clients ({id} fills URL vars)
    private: bool = True                # no-store (personal data) or a short private cache
    inline: bool = False                # shown in the browser (feeds) instead of saved


@dataclass(frozen=True)
class Route:
    method: str
    path: str                           # below /api/v1/<service>; "<id:unit_id>" for ids
    rpc: str                            # the service's RPC method
    input: type | None = None           # the RPC's input schema
    output: type | None = None          # the response schema (None: no body)
    roles: tuple | str = ()             # roles allowed, or PUBLIC / SIGNED_IN
    status: int = 200
    summary: str = ""                   # first line of the OpenAPI description
    args: dict = field(default_factory=dict)    # URL variable -> RPC keyword
    fixed: dict = field(default_factory=dict)   # constant RPC keywords
    upload: Upload | None = None
    download: Download | None = None
    # Name of a boolean output field: when false, answer 200 instead of ``status``
    # (find-or-create: 201 when created, 200 when an existing record matched).
    created_flag: str | None = None
    timeout: float | None = None        # seconds; default FAZHI_RPC_TIMEOUT

    def __post_init__(self):
        if self.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            raise ValueError(f"{self.path}: unknown method {self.method}")
        if isinstance(self.roles, str):
            if self.roles not in (PUBLIC, SIGNED_IN):
                raise ValueError(f"{self.path}: roles must be PUBLIC, SIGNED_IN or a tuple")
        else:
            unknown = set(self.roles) - set(ROLES)
            if not self.roles or unknown:
                raise ValueError(f"{self.method} {self.path}: roles {sorted(unknown) or '()'}"
                                 " are not roles of fazhi_shared.context.ROLES")

    @property
    def readonly(self) -> bool:
        """Reads are GETs; everything else writes (idempotency keys apply to writes)."""
        return self.method == "GET"

    @property
    def location(self) -> str:
        """Where the RPC's other keywords come from: ``query``, ``json`` or ``form``."""
        if self.upload is not None:
            return "form"
        return "query" if self.method in ("GET", "DELETE") else "json"

    def url_variables(self) -> list[str]:
        """The variables of ``path`` in order (``<id:unit_id>`` → ``unit_id``)."""
        out, rest = [], self.path
        while "<" in rest:
            start, end = rest.index("<"), rest.index(">")
            out.append(rest[start + 1:end].split(":")[-1])
            rest = rest[end + 1:]
        return out

    def given_keywords(self) -> set:
        """RPC keywords the URL, ``fixed`` and the upload supply (not read from the body)."""
        given = {self.args.get(v, v) for v in self.url_variables()} | set(self.fixed)
        if self.upload is not None:
            given.add(self.upload.field)
        return given


ANY_SERVICE = "*"


@dataclass(frozen=True)
class Contract:
    """What a service declares for its consumers: its HTTP surface, events and words, and
    which of its RPC methods other services may call as themselves.

    ``service_callable`` maps an RPC method to the services whose own identity (a service
    principal, signed with that service's key: a bootstrap, an event handler, the
    gateway's token refresh) may call it — ``"*"`` for any service, or a tuple of names.
    Every other method refuses a service principal (403); users reach methods through
    the gateway's contexts as before. So adding a service changes no other service's
    configuration: it is accepted wherever a contract says ``"*"``.
    """
    service: str                        # RPC name, and the URL prefix /api/v1/<service>
    title: str                          # OpenAPI tag description, Chinese / English
    routes: tuple = ()
    events: dict = field(default_factory=dict)        # "<service>.<entity>.<verb>" -> schema
    vocabularies: dict = field(default_factory=dict)  # name -> Vocabulary
    service_callable: dict = field(default_factory=dict)  # RPC method -> "*" or services

    def __post_init__(self):
        for method, callers in self.service_callable.items():
            if callers == ANY_SERVICE:
                continue
            if isinstance(callers, str) or not isinstance(callers, (tuple, list, frozenset)) \
                    or not callers or not all(isinstance(c, str) and c for c in callers):
                raise ValueError(f"{self.service}.{method}: service_callable takes "
                                 f"'{ANY_SERVICE}' or a tuple of service names")

    @property
    def prefix(self) -> str:
        return f"/api/v1/{self.service}"

    def callable_by(self, method: str, service: str | None) -> bool:
        """May ``service``, acting as itself, call ``method``?"""
        callers = self.service_callable.get(method)
        if callers is None or not service:
            return False
        return callers == ANY_SERVICE or service in callers


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str


class Vocabulary(tuple):
    """An ordered set of codes with their Chinese and English labels (kinds, enums)."""

    def __new__(cls, *terms: Term):
        return super().__new__(cls, terms)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self]

    def label(self, code: str, lang: str = "zh") -> str:
        for t in self:
            if t.code == code:
                return t.en if lang == "en" else t.zh
        return code

    def as_json(self) -> list[dict]:
        return [{"code": t.code, "zh": t.zh, "en": t.en} for t in self]
