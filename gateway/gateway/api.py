"""flask-smorest wiring: OpenAPI from the marshmallow schemas, errors in our envelope.

- Request validation failures become ``ValidationFailed`` (422, fields in Chinese or
  English) and bad JSON ``BadRequest`` (400), instead of flask-smorest's own payload.
- A JSON endpoint reads only JSON: another body is a 415 (never ignored, which would run
  the action with defaults), JSON nested deeper than ``MAX_JSON_DEPTH`` a 400 before it is
  parsed (Python's parser would recurse until it crashes).
- ``<id:...>`` URL parts accept only UUIDs, so a malformed id is a plain 404.
- Swagger UI is served from the ``swagger_ui_bundle`` package (no CDN: no internet).
"""
from __future__ import annotations

import functools
import re
from itertools import accumulate

import flask_smorest
from flask import Flask, send_from_directory
from flask_smorest.spec.plugins import FlaskPlugin
from marshmallow import EXCLUDE, RAISE
from swagger_ui_bundle import swagger_ui_path
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import BaseConverter

from fazhi_shared.errors import BadRequest, ValidationFailed

from gateway.auth import declaration, public
from gateway.errors import UnsupportedMediaType
from gateway.schemas import ErrorResponse

DOCS_ASSETS = "/api/docs/ui/"


class Parser(FlaskParser):
    """webargs parser that raises our typed errors (rendered by ``gateway.errors``).

    Unknown fields are refused in the query string too (webargs ignores them there by
    default): ``?name=阳`` on a list without a name filter is a 422, not every record."""

    DEFAULT_UNKNOWN_BY_LOCATION = {"json": RAISE, "form": RAISE, "json_or_form": RAISE,
                                   "query": RAISE, "querystring": RAISE, "files": RAISE,
                                   "headers": EXCLUDE, "cookies": EXCLUDE}

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise ValidationFailed.from_marshmallow(_without_locations(error.messages))

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        raise BadRequest("请求体不是有效的 JSON。", "The request body is not valid JSON.")

    def _raw_load_json(self, req):
        body = req.get_data(cache=True)
        if not is_json_request(req):
            if body:
                raise UnsupportedMediaType()
            return core.missing
        if json_depth(body) > MAX_JSON_DEPTH:
            raise BadRequest(f"请求体的 JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）。",
                             f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} "
                             "levels).")
        return core.parse_json(body)


MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = [0] * 256
for _b in b"[{":
    _DELTA[_b] = 1
for _b in b"]}":
    _DELTA[_b] = -1


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest, without parsing it (brackets
    inside strings do not count); linear, in C-speed steps."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)


def _without_locations(messages: dict) -> dict:
    """webargs keys messages by location ({"json": {...}}); clients want field names."""
    merged: dict = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            merged.update(location_messages)
        else:
            merged.setdefault("_schema", []).extend(location_messages)
    return merged


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def ok(self, status: int, schema):
        """Document the success response (the data is the service's, passed through)."""
        return self.alt_response(status, schema=schema, success=True)


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ErrorResponse

    def _register_error_handlers(self):
        """Errors are rendered by ``gateway.errors`` (one envelope for all)."""


class AccessDocPlugin(FlaskPlugin):
    """Documents each operation's role declaration, so the docs match what is enforced."""

    def __init__(self, app: Flask):
        super().__init__()
        self.app = app

    def path_helper(self, rule, operations, parameters, **kwargs):
        access = declaration(self.app.view_functions.get(rule.endpoint))
        for operation in operations.values():
            if access is None:
                continue
            if access.public:
                operation["security"] = []
                who = "public"
            else:
                who = ", ".join(access.roles) if access.roles else "any signed-in account"
            operation["x-roles"] = who
            operation["description"] = (operation.get("description", "")
                                        + f"\n\nRoles: {who}").strip()
        return super().path_helper(rule, operations, parameters, **kwargs)


class IdConverter(BaseConverter):
    """A UUID path segment (entity ids are UUIDv7 strings)."""

    regex = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def openapi_config() -> dict:
    return {
        "API_TITLE": "Fazhi API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": DOCS_ASSETS,
        "OPENAPI_SWAGGER_UI_CONFIG": {"persistAuthorization": True},
        "API_SPEC_OPTIONS": {
            "info": {"description": "法治小区平台 HTTP API. Errors: "
                     '`{"error": {"code", "message", "fields"}}`, Chinese by default, '
                     "English with `Accept-Language: en`."},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearer": []}],
        },
    }


@public
def docs_asset(filename: str):
    """Swagger UI's scripts and styles, from the installed ``swagger_ui_bundle``."""
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def init_api(app: Flask) -> Api:
    """Create the Api; mark its spec and docs views public; serve Swagger UI's files."""
    app.url_map.converters["id"] = IdConverter
    api = Api(app, spec_kwargs={"flask_plugin": AccessDocPlugin(app)})
    api.register_converter(IdConverter, lambda _: {"type": "string", "format": "uuid"})
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = public(_plain(view))
    app.add_url_rule(DOCS_ASSETS + "<path:filename>", "docs_asset", docs_asset)
    return api


def _plain(view):
    """A function wrapping a bound method, so a declaration can be set on it."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper
