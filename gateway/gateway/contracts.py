"""Mount every installed service contract: routes declared as data become Flask views.

A service's contract package registers itself under the ``fazhi.contracts`` entry point
group (``fazhi_shared.http``); the gateway finds what is installed and mounts each
contract's routes under ``/api/v1/<service>`` with the same OpenAPI document, role checks
at the door (``gateway.auth``), error envelope and pagination as its own routes. It also
gives every contract ``GET /ping`` (one round trip to the service) and
``GET /vocabularies`` (its codes and labels). Adding a service edits nothing here.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from importlib.metadata import entry_points
from urllib.parse import quote

from flask import Response, request
from marshmallow import Schema, fields
from werkzeug.exceptions import RequestEntityTooLarge

from fazhi_shared import files
from fazhi_shared.context import ROLES
from fazhi_shared.errors import ValidationFailed
from fazhi_shared.http import ENTRY_POINT_GROUP, PUBLIC, SIGNED_IN, Contract, Route
from fazhi_shared.schemas import BaseSchema

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import allow, authenticated, public
from gateway.schemas import Pong

log = logging.getLogger(__name__)

MULTIPART_SLACK = 64 * 1024          # boundaries and part headers around an uploaded file


def installed() -> list[Contract]:
    """Every contract installed in this environment, by service name."""
    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        contract = ep.load()
        if not isinstance(contract, Contract) or contract.service != ep.name:
            raise TypeError(f"entry point {ep.name} = {ep.value} is not the Contract of {ep.name}")
        found[contract.service] = contract
    contracts = [found[name] for name in sorted(found)]
    check_schema_names(contracts)
    return contracts


def _schema_classes(schema, seen: set) -> None:
    cls = schema if isinstance(schema, type) else type(schema)
    if cls in seen:
        return
    seen.add(cls)
    for field in cls._declared_fields.values():
        nested = getattr(field, "nested", None) or getattr(getattr(field, "inner", None),
                                                           "nested", None)
        if isinstance(nested, Schema) or (isinstance(nested, type)
                                          and issubclass(nested, Schema)):
            _schema_classes(nested, seen)


def check_schema_names(contracts) -> None:
    """All services share one OpenAPI document, whose components are named after the
    schema classes: two services may not use one name for different schemas."""
    owner: dict = {}
    for contract in contracts:
        seen: set = set()
        for route in contract.routes:
            for schema in (route.input, route.output):
                if schema is not None:
                    _schema_classes(schema, seen)
        for cls in seen:
            name = cls.__name__.removesuffix("Schema")
            other = owner.setdefault(name, (contract.service, cls))
            if other[1] is not cls and not cls.__module__.startswith("fazhi_shared"):
                raise TypeError(f"schema name {name} of {contract.service} is also used by "
                                f"{other[0]}: rename one (the OpenAPI document is shared)")


# -- schemas for the door ----------------------------------------------------------------------
_derived: dict = {}
_names: dict = {}


def door_schema(route: Route):
    """The RPC's input schema less what the URL, ``fixed`` and the upload give: what the
    client sends in the body or query string. ``None`` when the route has no input."""
    if route.input is None:
        return None
    declared = set(route.input().fields)
    exclude = tuple(sorted(route.given_keywords() & declared))
    suffix = "Params" if route.location == "query" else "Body"
    key = (route.input, exclude, suffix)
    if key in _derived:
        return _derived[key]
    if not exclude:
        schema = route.input
    else:
        name = f"{route.input.__name__}{suffix}"
        if _names.get(name, key) != key:     # the same input cut differently elsewhere
            name = route.input.__name__ + "".join(
                f"Without{''.join(p.title() for p in f.split('_'))}" for f in exclude) + suffix
        meta = type("Meta", (getattr(route.input, "Meta", object),), {"exclude": exclude})
        schema = type(name, (route.input,), {"Meta": meta, "__module__": route.input.__module__})
        _names[name] = key
    _derived[key] = schema
    return schema


def upload_form(route: Route):
    """Documents and requires the ``multipart/form-data`` upload (the view reads the file
    itself)."""
    field = route.upload.field
    return type(f"{route.rpc.title().replace('_', '')}Upload", (BaseSchema,), {
        field: fields.Raw(required=True, metadata={
            "type": "string", "format": "binary",
            "description": f"{route.upload.label_en}, at most "
                           f"{route.upload.max_bytes // (1024 * 1024)} MB"})})


# -- files ---------------------------------------------------------------------------------------
def _too_big(upload) -> ValidationFailed:
    mb = upload.max_bytes // (1024 * 1024)
    return ValidationFailed.for_field(upload.field, f"{upload.label_zh}不能超过 {mb} MB。",
                                      f"The {upload.label_en} is larger than {mb} MB.")


def _missing(upload) -> ValidationFailed:
    return ValidationFailed.for_field(upload.field, f"请选择要上传的{upload.label_zh}。",
                                      f"Choose a {upload.label_en} to upload.")


def _upload_name(name: str | None, fallback: str) -> str:
    """The uploaded file's own name (no directories, no control characters), for the
    record: a browser's odd file name is not the user's mistake to be refused for."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or fallback


def receive_upload(upload) -> dict:
    """Stream the request's file into the shared store; its reference for the RPC."""
    limit = upload.max_bytes + MULTIPART_SLACK
    if request.content_length is not None and request.content_length > limit:
        raise _too_big(upload)
    request.max_content_length = limit      # a body of unknown length is cut off too
    try:
        part = request.files.get(upload.field)
    except RequestEntityTooLarge:
        raise _too_big(upload) from None
    if part is None:
        raise _missing(upload)
    head = part.stream.read(len(upload.magic)) if upload.magic else b""
    if upload.magic and not head:
        raise _missing(upload)
    if upload.magic and head != upload.magic:
        raise ValidationFailed.for_field(upload.field, upload.kind_zh or "文件类型不符。",
                                         upload.kind_en or "Wrong kind of file.")
    stream = _Prefixed(head, part.stream)
    try:
        address, size = files.store().put(stream, max_bytes=upload.max_bytes)
    except files.FileTooLarge:
        raise _too_big(upload) from None
    if size == 0:
        raise _missing(upload)
    content_type = (part.mimetype or "application/octet-stream")[:200]
    return {"address": address, "size": size, "content_type": content_type,
            "filename": _upload_name(part.filename, "upload")}


class _Prefixed:
    """A stream whose first bytes were already read (to check the file's magic)."""

    def __init__(self, head: bytes, rest):
        self.head, self.rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            out, self.head = self.head, b""
            return out
        return self.rest.read(n)


def file_response(ref: dict, download, url_values: dict) -> Response:
    """The stored file as the response: named in UTF-8 (RFC 6266 / 5987) with an ASCII
    fallback for old clients."""
    fallback = download.fallback_name.format(**url_values)
    name = ref.get("filename") or fallback
    response = Response(files.iter_file(ref["address"]),
                        mimetype=ref.get("content_type") or download.content_type)
    if ref.get("size") is not None:
        response.headers["Content-Length"] = str(ref["size"])
    disposition = "inline" if download.inline else "attachment"
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{fallback}"; filename*=UTF-8\'\'{quote(name, safe="")}')
    response.headers["Cache-Control"] = "no-store" if download.private else "private, max-age=300"
    return response


# -- idempotency keys ------------------------------------------------------------------------------
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:-]{1,100}")
BAD_KEY = ("幂等键须为 1–100 个字母、数字或 ._:- 字符。",
           "An Idempotency-Key is 1–100 letters, digits or ._:- characters.")


def idempotency_of(service: str, route: Route, kwargs: dict):
    """``(key, request hash, route)`` when the client sent an ``Idempotency-Key``: the
    service runs the write once per key and replays its answer to a retry (see
    ``fazhi_shared.service.idempotency``)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed.for_field(IDEMPOTENCY_HEADER, *BAD_KEY)
    body = json.dumps(rpc.wire(kwargs), sort_keys=True, ensure_ascii=False, default=str)
    return key, hashlib.sha256(body.encode()).hexdigest(), f"{route.method} /{service}{route.path}"


# -- views ---------------------------------------------------------------------------------------
def _declare(view, roles):
    if roles == PUBLIC:
        return public(view)
    if roles == SIGNED_IN:
        return authenticated(view)
    return allow(*roles)(view)


def _endpoint_name(route: Route) -> str:
    slug = route.path.strip("/").replace("<id:", "").replace(">", "").replace("<", "")
    slug = "".join(c if c.isalnum() else "_" for c in slug)
    return f"{route.method.lower()}_{slug}"


def make_view(service: str, route: Route):
    """A Flask view that turns the request into ``service.<route.rpc>(**kwargs)``."""
    call = rpc.call_anonymous if route.roles == PUBLIC else rpc.call

    def view(*parsed, **url_values):
        kwargs = {route.args.get(name, name): value for name, value in url_values.items()}
        kwargs.update(route.fixed)
        if parsed:
            kwargs.update(parsed[0])
        if route.upload is not None:
            kwargs[route.upload.field] = receive_upload(route.upload)
        keyed = None if route.readonly else idempotency_of(service, route, kwargs)
        result = call(service, route.rpc, timeout=route.timeout, idempotency=keyed, **kwargs)
        if route.download is not None:
            return file_response(result, route.download, url_values)
        status = route.status
        if route.created_flag and not (result or {}).get(route.created_flag):
            status = 200
        if route.output is None:
            return "", status if status != 200 else 204
        return result, status

    view.__name__ = _endpoint_name(route)
    view.__doc__ = route.summary or route.rpc
    return view


def mount(api, contract: Contract) -> Blueprint:
    """Register the contract's routes (and its ping and vocabularies) with ``api``."""
    blp = Blueprint(contract.service, f"contract.{contract.service}",
                    url_prefix=contract.prefix, description=contract.title)
    for route in contract.routes:
        view = _declare(make_view(contract.service, route), route.roles)
        if route.upload is not None:
            view = blp.arguments(upload_form(route), location="files")(_no_args(view))
        else:
            schema = door_schema(route)
            if schema is not None:
                view = blp.arguments(schema, location=route.location)(view)
        if route.download is not None:
            view = blp.alt_response(route.status, schema={"type": "string", "format": "binary"},
                                    content_type=route.download.content_type,
                                    description=route.summary, success=True)(view)
        elif route.output is not None:
            view = blp.ok(route.status, route.output)(view)
            if route.created_flag:
                view = blp.ok(200, route.output)(view)
        blp.route(route.path, methods=[route.method], endpoint=_endpoint_name(route))(view)
    _mount_defaults(blp, contract)
    api.register_blueprint(blp)
    return blp


def _no_args(view):
    """The upload's form was documented and checked; the view reads the file itself."""
    @functools.wraps(view)
    def wrapper(_form, *args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def _mount_defaults(blp: Blueprint, contract: Contract) -> None:
    service = contract.service

    @blp.route("/ping", methods=["GET"], endpoint="ping")
    @allow(*ROLES)
    @blp.ok(200, Pong)
    def ping():
        """One round trip to the service and back (the benchmark's no-op call)."""
        return rpc.call(service, "ping")

    vocabularies = {name: vocab.as_json() for name, vocab in contract.vocabularies.items()}

    @blp.route("/vocabularies", methods=["GET"], endpoint="vocabularies")
    @public
    @blp.alt_response(200, schema={"type": "object", "additionalProperties": {
        "type": "array", "items": {"type": "object"}}}, success=True)
    def get_vocabularies():
        """The codes this service uses, each with its Chinese and English label."""
        return vocabularies


def register(api) -> list[str]:
    """Mount every installed contract; returns the services mounted."""
    services = []
    for contract in installed():
        mount(api, contract)
        services.append(contract.service)
    log.debug("mounted contracts: %s", services)
    return services
