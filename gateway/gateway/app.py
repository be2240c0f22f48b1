"""The Flask application factory.

Per request: a request id (the client's ``X-Request-ID`` when it looks sane, else a new
one) that goes into every log line and every RPC and comes back in the response header;
the language (``Accept-Language``); the size of the query string (414) and headers (431),
refused in the error envelope (gunicorn's own limits are set above these, so Flask is the
one that answers — see ``gunicorn_conf``); then the route's role declaration is enforced.
"""
from __future__ import annotations

import logging
import re
import time

from flask import Flask, g, request

from fazhi_shared import keys
from fazhi_shared.config import check_secrets
from fazhi_shared.i18n import pick_language
from fazhi_shared.ids import new_id
from fazhi_shared.logs import set_request_id

from gateway import auth, config, errors, routes
from gateway.api import init_api, openapi_config

log = logging.getLogger("gateway.access")

REQUEST_ID_HEADER = "X-Request-ID"
# No route needs more: searches are short, ids are in the path; a bearer token carrying
# many grants stays well under a header's limit.
MAX_QUERY_BYTES = 4096
MAX_HEADER_BYTES, MAX_HEADERS_BYTES = 16384, 32768      # one header; all of them
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")   # fits audit_log.request_id


def check_start() -> None:
    """Outside development mode, ``ConfigError`` when a secret of the gateway still holds
    its development value or its signing key does not match the shared public keys (the
    same rule as every process: ``fazhi_shared.config.check_secrets``)."""
    check_secrets(config.SETTINGS)
    keys.check_signer("gateway")


def settings() -> dict:
    """The gateway's settings, read once through ``gateway.config``."""
    return {
        "GATEWAY_DATABASE_URL": config.DATABASE_URL.get(),
        "GATEWAY_JWT_SECRET": config.JWT_SECRET.get(),
        "GATEWAY_ACCESS_TTL": config.ACCESS_TTL.get(),
        "GATEWAY_REFRESH_TTL": config.REFRESH_TTL.get(),
    }


def create_app(overrides: dict | None = None) -> Flask:
    """Build the gateway app; ``overrides`` replace settings or Flask config (tests).
    Refuses development secrets outside development mode (:func:`check_start`)."""
    check_start()
    app = Flask(__name__, static_folder=None)
    app.config.update(settings())
    app.config.update(openapi_config())
    app.config.update(overrides or {})
    app.json.ensure_ascii = False       # Chinese messages readable on the wire
    # No body beyond a workbook upload (10 MB) plus form overhead: 413 in the envelope.
    app.config.setdefault("MAX_CONTENT_LENGTH", 10 * 1024 * 1024 + 64 * 1024)

    errors.register(app)
    app.before_request(begin_request)
    app.before_request(auth.enforce)
    app.after_request(end_request)
    app.teardown_request(lambda exc: set_request_id(None))

    api = init_api(app)
    # /readyz pings what is mounted: the services whose contracts are installed.
    app.config["GATEWAY_SERVICES"] = routes.register(api)
    return app


def begin_request() -> None:
    g.started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if SANE_REQUEST_ID.match(incoming) else new_id()
    g.lang = pick_language(request.headers.get("Accept-Language"))
    set_request_id(g.request_id)
    check_size()


def check_size() -> None:
    """Refuse an oversized query string or oversized headers in the envelope."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        raise errors.UriTooLong(f"请求地址过长（查询字符串最多 {MAX_QUERY_BYTES} 字节）。",
                                f"The request URI is too long (a query string of at most "
                                f"{MAX_QUERY_BYTES} bytes).")
    sizes = [len(name) + len(value) + 4 for name, value in request.headers.items()]
    if sizes and (max(sizes) > MAX_HEADER_BYTES or sum(sizes) > MAX_HEADERS_BYTES):
        raise errors.HeadersTooLarge(
            f"请求头过大（每个最多 {MAX_HEADER_BYTES} 字节，合计最多 {MAX_HEADERS_BYTES} 字节）。",
            f"Request headers too large (at most {MAX_HEADER_BYTES} bytes each, "
            f"{MAX_HEADERS_BYTES} in all).")


def end_request(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("started")
    if started is not None:
        log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1)})
    return response
