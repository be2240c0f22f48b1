"""``python -m gateway migrate`` applies the gateway's migrations (creating the database
if needed); ``python -m gateway listen`` runs the session listener (``gateway.listener``);
``python -m gateway serve`` becomes gunicorn with ``gateway/gunicorn_conf.py``
(whose ``on_starting`` hook migrates too, so a bare ``gunicorn -c …`` start is safe)."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from fazhi_shared import logs

from gateway.models import migrate

log = logging.getLogger("gateway")
GUNICORN_CONF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gunicorn_conf.py")


def serve() -> None:
    """Replace this process by gunicorn (signals then reach gunicorn's arbiter directly)."""
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONF,
                              "gateway.wsgi:app"])


def listen() -> None:
    """Replace this process by the session listener (a nameko service on eventlet, which
    must be monkey-patched before anything else is imported: hence a fresh interpreter)."""
    os.execv(sys.executable, [sys.executable, "-m", "gateway.listener"])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations and exit")
    sub.add_parser("serve", help="run gunicorn (it applies migrations first)")
    sub.add_parser("listen", help="end or refresh sessions on org's account/grant events")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve()
    if args.command == "listen":
        listen()
    logs.configure("gateway")
    try:
        migrate()
    except RuntimeError as exc:
        log.error("%s", exc)
        sys.exit(2)
    log.info("gateway database migrated")


if __name__ == "__main__":
    main()
