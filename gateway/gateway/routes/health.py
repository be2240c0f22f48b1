"""Probes: ``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

``/readyz`` checks the gateway database, the broker, and pings every mounted service
(``GATEWAY_SERVICES``) at once, answering within about a second even when the broker is
down (the broker is probed with a short connect before any service is pinged).

The gateway is **ready** when it can serve anyone: its database, the broker and the
identity service (org: every sign-in and token refresh asks it) answer. Another service
that does not answer makes it **degraded**, still 200 and naming it: that service's own
routes answer 503 meanwhile, and the rest of the platform keeps working — a readiness
probe that failed on any one service would take the whole API out of rotation with it.
"""
from flask import current_app, jsonify
from kombu import Connection
from sqlalchemy import text

from fazhi_shared.config import AMQP_URI
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import ServiceUnavailable

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import public
from gateway.errors import lang
from gateway.schemas import Health, Readiness

blp = Blueprint("health", __name__, description="探针 / probes")

IDENTITY_SERVICE = "org"     # sign-in and token refresh; without it nobody gets in
PING_TIMEOUT = 1.0
BROKER_CONNECT_TIMEOUT = 0.5
OK, DOWN = "ok", "unavailable"


@blp.route("/healthz", methods=["GET"])
@public
@blp.alt_response(200, schema=Health, success=True)
def healthz():
    """The process is alive (no I/O)."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@public
@blp.alt_response(200, schema=Readiness, success=True)
@blp.alt_response(503, schema=Readiness, description="Something the gateway needs is down.")
def readyz():
    """Ready: database, broker and the identity service answer (a mounted service that
    does not is listed as degraded, 200); 503 naming what does not."""
    checks = {"database": database_check(), "broker": broker_check()}
    services = current_app.config["GATEWAY_SERVICES"]
    if checks["broker"] == OK:
        try:
            checks.update(rpc.ping_all(services, PING_TIMEOUT))
        except ServiceUnavailable:      # the broker went away since the probe
            checks.update({s: DOWN for s in services})
    else:
        checks.update({s: DOWN for s in services})  # unreachable without the broker
    failed = [name for name, state in checks.items() if state != OK]
    required = {"database", "broker", IDENTITY_SERVICE}
    if not required.intersection(failed):
        if not failed:
            return {"status": "ready", "checks": checks}
        return {"status": "degraded", "checks": checks, "degraded": failed}
    names = ", ".join(failed)
    error = ServiceUnavailable(f"未就绪：{names}。", f"Not ready: {names}.")
    response = jsonify({"status": "unavailable", "checks": checks,
                        "error": error.to_payload(lang())})
    response.status_code = 503
    return response


def database_check() -> str:
    try:
        with engine_for(current_app.config["GATEWAY_DATABASE_URL"]).connect() as conn:
            conn.execute(text("SELECT 1"))
        return OK
    except Exception:
        return DOWN


def broker_check() -> str:
    # One try, no kombu retry loop (its first retry sleeps 2 s).
    conn = Connection(AMQP_URI.get(), connect_timeout=BROKER_CONNECT_TIMEOUT)
    try:
        conn.ensure_connection(max_retries=0)
        return OK
    except Exception:
        return DOWN
    finally:
        conn.release()
