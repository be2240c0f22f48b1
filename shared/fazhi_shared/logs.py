"""JSON logs carrying one request id from the gateway through RPC and events — and no
personal data.

The request id lives in a thread-local (green-local under eventlet's monkey patching):
the gateway sets it per HTTP request, a service sets it per worker from the caller
context or the event's header, and every log line picks it up.

Every record passes :class:`Redacting` on its way out (:func:`configure` installs it):
mainland mobile numbers (``+86``/``0086`` or not, grouped or not) become ``139****5678``,
18-character ID numbers ``3212**********123X``, and PostgreSQL's details that repeat
data — ``Key (phone)=(…)`` and ``Failing row contains (…)`` — lose their values; in the
message, its arguments, extra fields, tracebacks and stacks. Statement parameters never
reach a log in the first place (``service.db``: ``hide_parameters``).
"""
from __future__ import annotations

import logging
import re
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


# A mainland mobile number: 1[3-9] and 9 digits, with +86 / 0086 / 86 in front or not,
# grouped 3-4-4 by spaces or hyphens or not; not inside a longer run of letters or digits.
_PHONE = re.compile(r"(?<![0-9A-Za-z])(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9])[ -]?[0-9]{4}"
                    r"[ -]?([0-9]{4})(?![0-9A-Za-z])")
# An ID number (GB 11643): 17 digits and a check character; not inside a longer run.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
# PostgreSQL's details repeat the data of a failed statement.
_KEY_DETAIL = re.compile(r"(Key \(.*?\)=)\(.*?\)(?= already exists| is not present| conflicts "
                         r"with)")
_FAILING_ROW = re.compile(r"Failing row contains \(.*")


def redact(text: str) -> str:
    """``text`` without phones, ID numbers and PostgreSQL's repeated values."""
    if not text:
        return text
    text = _FAILING_ROW.sub("Failing row contains (…)", text)
    text = _KEY_DETAIL.sub(r"\1(…)", text)
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(v) for v in value)
    return value


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "service",
                                                  "request_id"}


class Redacting(logging.Filter):
    """Masks personal data in every part of a record (see the module doc). The message is
    formatted here with its arguments, so a phone passed as an argument is caught too."""

    _traceback = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:        # a broken format string: leave it to the formatter
            message = None
        if message is not None:
            record.msg, record.args = redact(message), None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, _redact_value(value))
        if record.exc_info:
            record.exc_text = self._traceback.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
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
    handler.addFilter(Redacting())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(LOG_LEVEL.get())
    for noisy in ("amqp", "kombu", "nameko", "alembic", "sqlalchemy", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
