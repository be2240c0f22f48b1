"""JSON logs carrying one request id from the gateway through RPC and events.

The request id lives in a thread-local (green-local under eventlet's monkey patching):
the gateway sets it per HTTP request, a service sets it per worker from the caller
context or the event's header, and every log line picks it up.
"""
from __future__ import annotations

import logging
import sys
import threading

from pythonjsonlogger.json import JsonFormatter

from .config import LOG_FORMAT, LOG_LEVEL

_local = threading.local()


def set_request_id(request_id: str | None) -> None:
    _local.request_id = request_id


def get_request_id() -> str | None:
    return getattr(_local, "request_id", None)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record):
        record.service = self.service
        record.request_id = get_request_id()
        return True


def configure(service: str, stream=None) -> None:
    """Configure the root logger once for a process."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if LOG_FORMAT.get() == "text":
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(service)s [%(request_id)s] %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(service)s %(request_id)s %(name)s %(message)s",
            rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False))
    handler.addFilter(_ContextFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(LOG_LEVEL.get())
    for noisy in ("amqp", "kombu", "nameko", "alembic", "sqlalchemy", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
