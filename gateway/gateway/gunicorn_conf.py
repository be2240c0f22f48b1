"""gunicorn settings for the gateway (``python -m gateway serve`` and the container use it).

Threads, not greenlets: the gateway does not monkey-patch; each thread keeps its own
long-lived RPC client, and every RPC has a timeout far below the worker timeout.
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
# gunicorn's control socket is unused, and two gateways on one host (tests, bench) would
# fight over its default path.
control_socket_disable = True


def on_starting(server):
    """Apply migrations once, in the arbiter, before any worker serves (the start command
    owns the schema, as for every service)."""
    logs.configure("gateway")
    try:
        migrate()
    except RuntimeError as exc:
        logging.getLogger("gateway").error("%s", exc)
        sys.exit(2)


def post_fork(server, worker):
    """Each worker logs JSON lines carrying the service name and request id."""
    logs.configure("gateway")
