"""Configuration from environment variables.

Every setting a package reads is declared once as a :class:`Setting` in that package's
``config.py``; nothing else reads ``os.environ``. This lets a test check statically that
``docker-compose.yml`` passes every variable the code reads.

Secrets (``secret=True``) have development defaults so a fresh machine runs, and
:func:`check_secrets` — called by every process at start — refuses them outside
development mode (``FAZHI_DEV_MODE``): a secret that holds its development default, or is
empty where it has none, stops the process with a message naming it.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from typing import Any, Callable


class ConfigError(RuntimeError):
    """A setting has a value the code cannot use."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any = None
    cast: Callable[[str], Any] = str
    doc: str = ""
    # Secrets have development defaults so a fresh machine runs; deployments must set them
    # (check_secrets). An optional secret may stay empty (e.g. S3 keys the SDK finds itself).
    secret: bool = False
    optional: bool = False

    def get(self) -> Any:
        raw = os.environ.get(self.name)
        if raw is None or raw == "":
            return self.default
        try:
            return self.cast(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{self.name}={raw!r}: {exc}") from exc


def as_bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DEV_MODE = Setting(
    "FAZHI_DEV_MODE", False, as_bool,
    doc="development mode: development defaults of secrets are accepted and development "
        "conveniences (the last phone code readable) are on. make run, the tests and the "
        "demo compose file set it; a production deployment never does")
AMQP_URI = Setting(
    "AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/",
    doc="RabbitMQ URI, with this process's own broker user (fazhi-<service>; see "
        "deploy/README.md, Broker users)")


def _public_keys(raw: str) -> dict:
    from .keys import parse_public_keys   # keys imports this module

    return parse_public_keys(raw)


SIGNING_PUBLIC_KEYS = Setting(
    "FAZHI_SIGNING_PUBLIC_KEYS", {}, _public_keys,
    doc="the Ed25519 public key of every signer of caller contexts: name=base64 pairs "
        "separated by commas, or a JSON object (gateway=...,org=...). The same value "
        "everywhere; python -m fazhi_shared.keys new <name> makes a pair. Empty in "
        "development mode: keys derive from the signers' names")


def dev_signing_key(name: str) -> str:
    """The development signing key of ``name`` (base64 of an Ed25519 seed): SHA-256 of
    ``fazhi-dev:<name>``. Anyone can compute it, so outside development mode it is refused
    both as a process's own key and as a key to trust."""
    return base64.b64encode(hashlib.sha256(f"fazhi-dev:{name}".encode()).digest()).decode()


def signing_key_setting(name: str) -> Setting:
    """The private signing key of one signer (``ORG_SIGNING_KEY``, ``GATEWAY_SIGNING_KEY``):
    only that service's processes hold it. Its default is the development key."""
    return Setting(
        f"{name.upper()}_SIGNING_KEY", dev_signing_key(name), secret=True,
        doc=f"{name}'s Ed25519 private key (base64 of its 32-byte seed): signs the calls "
            f"{name} makes on its own behalf; its public key is {name}=... in "
            f"FAZHI_SIGNING_PUBLIC_KEYS")
LOG_LEVEL = Setting("FAZHI_LOG_LEVEL", "INFO", doc="Python log level")
LOG_FORMAT = Setting("FAZHI_LOG_FORMAT", "json", doc="json (default) or text")
CLOCK_FILE = Setting(
    "FAZHI_CLOCK_FILE", None,
    doc="Path of a JSON file that sets the clock for every process (tests and demos only)")
CALENDAR_FILE = Setting(
    "FAZHI_CALENDAR_FILE", None,
    doc="Optional JSON file of extra holidays / make-up working days that operators add")
MAX_WORKERS = Setting("FAZHI_MAX_WORKERS", 10, int, doc="nameko worker greenthreads")
DB_POOL_SIZE = Setting(
    "FAZHI_DB_POOL_SIZE", 0, int,
    doc="database connections a process keeps per database (0: FAZHI_MAX_WORKERS + 2; no "
        "overflow); see deploy/README.md, Connection budget")
DB_POOL_TIMEOUT = Setting(
    "FAZHI_DB_POOL_TIMEOUT", 1.0, float,
    doc="seconds a request waits for a free database connection before a 503")
RPC_TIMEOUT = Setting("FAZHI_RPC_TIMEOUT", 1.5, float, doc="default RPC timeout, seconds")
OUTBOX_RETENTION_DAYS = Setting(
    "FAZHI_OUTBOX_RETENTION_DAYS", 7, int,
    doc="days a published event stays in the outbox (for inspection) before it is pruned")


def seconds_list(raw: str) -> tuple:
    """``"1,10,60"`` → ``(1.0, 10.0, 60.0)``: positive seconds, comma-separated."""
    values = tuple(float(v) for v in raw.split(",") if v.strip())
    if not values or any(v <= 0 for v in values):
        raise ValueError("expected positive seconds separated by commas, e.g. 1,10,60")
    return values


EVENT_RETRY_DELAYS = Setting(
    "FAZHI_EVENT_RETRY_DELAYS", (1.0, 10.0, 60.0), seconds_list,
    doc="seconds before each retry of a failing event handler (one retry queue per delay); "
        "after the last, the event goes to the handler's dead-letter queue")
PROCESSED_EVENTS_DAYS = Setting(
    "FAZHI_PROCESSED_EVENTS_DAYS", 30, int,
    doc="days a handled event's id is kept (so a redelivery or replay takes no effect "
        "twice); dead letters older than this are not replayed without --force")
OFFLOAD_PROCESSES = Setting(
    "FAZHI_OFFLOAD_PROCESSES", 2, int,
    doc="worker processes a service process may start (lazily, spawned) for CPU-bound work "
        "that holds the GIL: workbook parsing and rendering (fazhi_shared.service.offload)")
OFFLOAD_TASK_SECONDS = Setting(
    "FAZHI_OFFLOAD_TASK_SECONDS", 120.0, float,
    doc="seconds one offloaded task may take (waiting for a worker included); past it the "
        "task is stopped, its worker replaced, and the caller told the work took too long")
OFFLOAD_THREADS = Setting(
    "FAZHI_OFFLOAD_THREADS", 2, int,
    doc="CPU bursts that release the GIL (password hashing) run at once in native threads "
        "per service process; more wait their turn without stopping the event loop")
DELIVERY_CHANNEL = Setting(
    "FAZHI_DELIVERY_CHANNEL", "log",
    doc="how texts reach phones: 'log' (development); SMS/WeChat arrive with notify")

IDEMPOTENCY_HOURS = Setting(
    "FAZHI_IDEMPOTENCY_HOURS", 24, int,
    doc="hours a write's stored answer replays for a retry with the same Idempotency-Key")
PDF_FONT = Setting(
    "FAZHI_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    doc="the TrueType CJK font every printable PDF embeds (fazhi_shared.service.pdf; a .ttc "
        "uses its first face); Debian package fonts-wqy-zenhei")
COMMIT_MARGIN = Setting(
    "FAZHI_COMMIT_MARGIN", 0.15, float,
    doc="seconds before the caller's deadline after which a write is not committed "
        "(covers the commit itself, so nothing commits after the client was told 503)")
FILE_STORE = Setting(
    "FAZHI_FILE_STORE", "/tmp/fazhi-files",
    doc="the shared file store: a directory every process reaches (one machine, compose "
        "volume) or s3://bucket/prefix (Kubernetes)")
S3_ENDPOINT = Setting("FAZHI_S3_ENDPOINT", None,
                      doc="S3-compatible endpoint URL when FAZHI_FILE_STORE is s3://…")
S3_ACCESS_KEY = Setting("FAZHI_S3_ACCESS_KEY", None, secret=True, optional=True,
                        doc="access key of the S3-compatible file store")
S3_SECRET_KEY = Setting("FAZHI_S3_SECRET_KEY", None, secret=True, optional=True,
                        doc="secret key of the S3-compatible file store")

COMMON_SETTINGS = [DEV_MODE, AMQP_URI, SIGNING_PUBLIC_KEYS, LOG_LEVEL, LOG_FORMAT, CLOCK_FILE,
                   CALENDAR_FILE, PDF_FONT, MAX_WORKERS, DB_POOL_SIZE, DB_POOL_TIMEOUT, RPC_TIMEOUT, DELIVERY_CHANNEL,
                   OUTBOX_RETENTION_DAYS, IDEMPOTENCY_HOURS, COMMIT_MARGIN, FILE_STORE,
                   S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, EVENT_RETRY_DELAYS,
                   PROCESSED_EVENTS_DAYS, OFFLOAD_PROCESSES, OFFLOAD_TASK_SECONDS,
                   OFFLOAD_THREADS]


def database_setting(service: str) -> Setting:
    """The database URL setting of one service (``ORG_DATABASE_URL`` …)."""
    return Setting(
        f"{service.upper()}_DATABASE_URL",
        f"postgresql+pg8000://postgres@127.0.0.1:5432/fazhi_{service}",
        doc=f"PostgreSQL database owned by {service}")


def development_secrets(settings) -> list[str]:
    """The secret settings among ``settings`` that a deployment has not set: holding their
    development default, or empty where they have none (optional ones may be empty)."""
    found = []
    for s in settings:
        if not s.secret:
            continue
        raw = os.environ.get(s.name)
        if raw is None or raw == "":
            if s.default is not None:
                found.append(f"{s.name} holds its development default")
            elif not s.optional:
                found.append(f"{s.name} is not set")
        elif s.default is not None and raw == s.default:
            found.append(f"{s.name} is set to its development default")
    return found


def check_secrets(settings) -> None:
    """Outside development mode, ``ConfigError`` naming every secret of ``settings`` that
    still holds a development value (see module doc). Every process calls it at start."""
    if DEV_MODE.get():
        return
    found = development_secrets(settings)
    if found:
        raise ConfigError(
            "refusing to start outside development mode: " + "; ".join(found) + ". Set real "
            "values (deploy/README.md, Secrets), or FAZHI_DEV_MODE=true on a development "
            "machine.")
