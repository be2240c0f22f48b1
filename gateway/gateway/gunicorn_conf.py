"""gunicorn settings for the gateway (``python -m gateway serve`` and the container use it).

Threads, not greenlets: the gateway does not monkey-patch; each thread keeps its own
long-lived RPC client, and every RPC has a timeout far below the worker timeout.

Request limits: gunicorn's own are set above the app's (``gateway.app``: a query string
of 4 kB, a header of 16 kB, 32 kB of headers), so an oversized request is normally refused
by Flask in the error envelope (414, 431). What is beyond even gunicorn's limits (a
request line over 8,190 bytes, a header over 64 kB, a malformed request) gunicorn refuses
itself — also in the envelope: each worker replaces gunicorn's HTML error page.
"""
import logging
import sys

from fazhi_shared import logs

# Names at module level are read as gunicorn settings: import only what is not one.
from gateway.config import BIND, THREADS, WORKERS
from gateway.models import migrate

bind = BIND.get()
workers = WORKERS.get()
threads = THREADS.get()
worker_class = "gthread"
# RPCs time out in ~1.5 s; a request still running after 30 s means a stuck worker.
timeout = 30
graceful_timeout = 20
keepalive = 5
wsgi_app = "gateway.wsgi:app"
errorlog = "-"
# Above the app's own limits (see the module doc); 8190 is the longest line gunicorn allows.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 65536
# gunicorn's control socket is unused, and two gateways on one host (tests, bench) would
# fight over its default path.
control_socket_disable = True


def on_starting(server):
    """Check the settings (outside development mode no development secret: exit 2, as
    every process), then apply migrations once, in the arbiter, before any worker serves
    (the start command owns the schema, as for every service)."""
    from fazhi_shared.config import ConfigError

    from gateway.app import check_start

    logs.configure("gateway")
    try:
        check_start()
    except ConfigError as exc:
        logging.getLogger("gateway").error("%s", exc)
        sys.exit(2)
    try:
        migrate()
    except RuntimeError as exc:
        logging.getLogger("gateway").error("%s", exc)
        sys.exit(2)


def post_fork(server, worker):
    """Each worker logs JSON lines carrying the service name and request id, and answers
    gunicorn's own refusals in the error envelope."""
    logs.configure("gateway")
    from gunicorn import util

    util.write_error = write_error_envelope


def write_error_envelope(sock, status_int, reason, mesg):
    """gunicorn's ``util.write_error`` (its HTML page), in the gateway's error envelope."""
    from gunicorn import util

    from gateway.errors import envelope_bytes

    util.write_nonblock(sock, envelope_bytes(status_int, reason))
