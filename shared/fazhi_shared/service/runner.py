"""Start a service: logs, migrations, then nameko until SIGTERM.

Each service's ``__main__`` monkey-patches eventlet first and calls :func:`serve`; the
same command runs in a container and on a developer machine. ``--migrate-only``
applies migrations and exits (used by ``make run`` and the tests).

Before anything else the settings are checked (:func:`check_settings`): a bad value, or —
outside development mode — a secret still at its development value or a signing key that
does not match the shared public keys, ends the process with exit code 2 and a message
naming the settings.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys

import eventlet
from nameko.runners import ServiceRunner

from .. import keys, logs
from ..config import (AMQP_URI, COMMON_SETTINGS, MAX_WORKERS, ConfigError, check_secrets,
                      signing_key_setting)
from .migrations import upgrade
from .rpc import identity_of

log = logging.getLogger(__name__)


def nameko_config() -> dict:
    return {"AMQP_URI": AMQP_URI.get(), "max_workers": MAX_WORKERS.get(),
            "serializer": "json", "parent_calls_tracked": 10}


def check_settings(settings, identity: str | None = None) -> None:
    """Read every setting once, so a bad value stops the process at start, by name; and,
    outside development mode, refuse development secrets (``config.check_secrets``) and a
    signing key of ``identity`` that the shared public keys do not match
    (``keys.check_signer``). Exit code 2."""
    settings = list(settings or ())
    names = {s.name for s in settings}
    settings += [s for s in COMMON_SETTINGS if s.name not in names]
    if identity and signing_key_setting(identity).name not in names:
        settings.append(signing_key_setting(identity))
    for setting in settings:
        try:
            setting.get()
        except ConfigError as exc:
            log.error("bad setting: %s", exc)
            sys.exit(2)
    try:
        check_secrets(settings)
        if identity:
            keys.check_signer(identity)
    except ConfigError as exc:
        log.error("%s", exc)
        sys.exit(2)


def serve(service_cls, migrations_dir: str | None = None, database_setting=None,
          argv=None, settings=None) -> None:
    parser = argparse.ArgumentParser(prog=service_cls.name)
    parser.add_argument("--migrate-only", action="store_true")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    logs.configure(service_cls.name)
    check_settings(settings, identity_of(service_cls))
    if migrations_dir and database_setting and not args.no_migrate:
        try:
            upgrade(migrations_dir, database_setting.get())
        except Exception as exc:
            log.error("cannot migrate the %s database (%s): is PostgreSQL reachable at %s?",
                      service_cls.name, exc, database_setting.get().split("@")[-1])
            sys.exit(2)
        log.info("database migrated")
    if args.migrate_only:
        return
    runner = ServiceRunner(nameko_config())
    runner.add_service(service_cls)
    stopping = eventlet.event.Event()

    def on_signal(signum, frame):
        if not stopping.ready():
            stopping.send(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        runner.start()
    except Exception as exc:
        log.error("cannot start %s (%s): is RabbitMQ reachable at %s?", service_cls.name,
                  exc, AMQP_URI.get().split("@")[-1])
        sys.exit(2)
    log.info("%s started", service_cls.name)
    # Wake every second so the signal handler gets a chance to run.
    while not stopping.ready():
        eventlet.sleep(0.5)
    log.info("%s stopping", service_cls.name)
    runner.stop()
