"""The error envelope: every error response is ``{"error": {"code", "message", "fields"?}}``.

Typed errors from the services (``fazhi_shared.errors``) keep their status and code;
Flask's own errors (unknown route, wrong method, bad JSON, a crash) get the same shape,
in Chinese unless the client asks for English. A crash never shows internals.
"""
from __future__ import annotations

import json
import logging
import re

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from fazhi_shared.errors import BadRequest, FazhiError, NotFound
from fazhi_shared.i18n import pick_language

log = logging.getLogger(__name__)


class MethodNotAllowed(FazhiError):
    status = 405
    code = "method_not_allowed"
    default_zh = "该地址不支持此请求方法。"
    default_en = "Method not allowed for this URL."


class UnsupportedMediaType(FazhiError):
    """A body that is not JSON sent to a JSON endpoint: refused, never silently ignored."""
    status = 415
    code = "unsupported_media_type"
    default_zh = "请求体须为 JSON（Content-Type: application/json）。"
    default_en = "The body must be JSON (Content-Type: application/json)."


class UriTooLong(FazhiError):
    status = 414
    code = "uri_too_long"
    default_zh = "请求地址过长。"
    default_en = "The request URI is too long."


class HeadersTooLarge(FazhiError):
    status = 431
    code = "request_header_fields_too_large"
    default_zh = "请求头过大。"
    default_en = "Request headers too large."


# What gunicorn itself refuses before Flask runs (a request line or header beyond its
# limits, a malformed request): the same envelope, in Chinese (no language is known yet).
_GUNICORN = {400: BadRequest, 414: UriTooLong, 431: HeadersTooLarge}


def envelope_bytes(status: int, reason: str) -> bytes:
    """A complete HTTP response in the error envelope, for gunicorn's own refusals
    (``gunicorn_conf`` installs it in place of gunicorn's HTML page)."""
    error = (_GUNICORN.get(status) or (BadRequest if status < 500 else FazhiError))()
    body = json.dumps({"error": error.to_payload("zh")}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class HttpError(FazhiError):
    """Any other HTTP error Werkzeug raises (413, 415, …), with its own status."""

    default_zh = "请求无法处理。"

    def __init__(self, exc: HTTPException):
        super().__init__(None, exc.description or exc.name)
        self.status = exc.code or 500
        self.code = re.sub(r"\W+", "_", (exc.name or "error").lower()).strip("_")


def lang() -> str:
    """The response language of the current request ('zh' unless the client prefers en)."""
    return pick_language(request.headers.get("Accept-Language"))


def error_response(error: FazhiError, headers=None):
    """The HTTP response of a typed error."""
    response = jsonify({"error": error.to_payload(lang())})
    response.status_code = error.status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if error.status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="fazhi"')
    return response


def _from_http(exc: HTTPException) -> FazhiError:
    if exc.code == 404:
        return NotFound("请求的地址不存在。", "No such URL.")
    if exc.code == 405:
        return MethodNotAllowed()
    if exc.code == 400:
        return BadRequest()
    if exc.code == 500:
        return FazhiError()
    if exc.code == 415:
        return UnsupportedMediaType()
    return HttpError(exc)


def handle_fazhi_error(error: FazhiError):
    if error.status >= 500:
        log.warning("%s %s -> %s", request.method, request.path, error)
    return error_response(error)


def handle_http_exception(exc: HTTPException):
    # Keep headers Werkzeug computed (e.g. Allow on 405), but not its HTML content type.
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return error_response(_from_http(exc), headers)


def handle_unexpected(exc: Exception):
    log.exception("unhandled error in %s %s", request.method, request.path)
    return error_response(FazhiError())


def register(app: Flask) -> None:
    """Install the handlers that render every error in the envelope."""
    app.register_error_handler(FazhiError, handle_fazhi_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
