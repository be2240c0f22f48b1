"""``python -m fazhi_shared.service.deadletters``: list, show and replay dead letters.

A handler's message lands in its dead-letter queue ``<queue>.dlq`` after its last retry
(or at once when it cannot be decoded or is no event envelope, see ``service.events``).
Once the cause is fixed, an operator replays it::

    python -m fazhi_shared.service.deadletters list                 # every *.dlq with a count
    python -m fazhi_shared.service.deadletters list QUEUE [--json]  # its letters, no bodies
    python -m fazhi_shared.service.deadletters show QUEUE EVENT_ID  # one letter, in full
    python -m fazhi_shared.service.deadletters replay QUEUE EVENT_ID [--force]
    python -m fazhi_shared.service.deadletters replay QUEUE --all [--force]

``QUEUE`` is a handler's queue (``evt-org-unit.moved--disputes.on_unit_moved``) or its
``.dlq``. Looking takes nothing away (letters are read unacknowledged and handed back). A
replay publishes the letter to the handler's queue with confirms, then removes it from the
dead-letter queue, with a fresh retry count.

**A replayed event takes effect once**: handlers record processed event ids and skip
them (``@idempotent``), and those ids are kept ``FAZHI_PROCESSED_EVENTS_DAYS`` (30) days,
counted from processing, which is never before the event occurred. So a replay is refused
for an event that occurred longer ago than that — its id might have been pruned and a copy
of it processed already — unless ``--force`` says the operator has checked. Undecodable
letters are shown but never replayed (they would only fail again).

Listing every dead-letter queue asks RabbitMQ's management API (the ``AMQP_URI`` host,
port 15672, or ``--management-url``); naming queues needs only AMQP.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from base64 import b64encode
from datetime import datetime, timedelta, timezone

from kombu import Connection

from ..config import AMQP_URI, PROCESSED_EVENTS_DAYS
from .events import ATTEMPTS_HEADER, ERROR_HEADER, FAILED_AT_HEADER

LIMIT = 1000


def dlq_of(queue: str) -> str:
    return queue if queue.endswith(".dlq") else f"{queue}.dlq"


def origin_of(dlq: str) -> str:
    return dlq[: -len(".dlq")]


class Letter:
    """One dead letter, read from its queue but not yet acknowledged."""

    def __init__(self, position: int, message):
        self.position = position
        self.message = message
        self.headers = dict(message.headers or {})
        self.envelope = None
        try:
            body = json.loads(message.body)
            if isinstance(body, dict) and "event_id" in body:
                self.envelope = body
        except (ValueError, UnicodeDecodeError):
            pass

    @property
    def event_id(self):
        if self.envelope is not None:
            return self.envelope.get("event_id")
        return (self.message.properties or {}).get("message_id")

    def occurred_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.envelope["occurred_at"])
        except (TypeError, KeyError, ValueError):
            return None

    def failed_at(self):
        if FAILED_AT_HEADER in self.headers:
            return self.headers[FAILED_AT_HEADER]
        deaths = self.headers.get("x-death") or []
        return str(deaths[0].get("time")) if deaths else None

    def summary(self) -> dict:
        return {"position": self.position, "event_id": self.event_id,
                "type": (self.envelope or {}).get("type"),
                "occurred_at": (self.envelope or {}).get("occurred_at"),
                "attempts": int(self.headers.get(ATTEMPTS_HEADER) or 0),
                "error": self.headers.get(ERROR_HEADER) or (
                    "rejected" if self.headers.get("x-death") else None),
                "failed_at": self.failed_at(), "decodable": self.envelope is not None,
                "bytes": len(self.message.body or b"")}

    def too_old(self, now: datetime) -> bool:
        occurred = self.occurred_at()
        days = PROCESSED_EVENTS_DAYS.get()
        return occurred is None or occurred < now - timedelta(days=days)


def read(channel, dlq: str, limit: int = LIMIT) -> list[Letter]:
    """Up to ``limit`` letters of ``dlq``, unacknowledged (closing the channel hands back
    those not acked)."""
    letters = []
    while len(letters) < limit:
        raw = channel.basic_get(dlq, no_ack=False)
        if raw is None:
            break
        letters.append(Letter(len(letters) + 1, channel.message_to_python(raw)))
    return letters


def all_dead_letter_queues(amqp_uri: str, management_url: str | None) -> list[tuple]:
    """``(name, messages)`` of every ``*.dlq`` in the vhost of ``amqp_uri``."""
    parts = urllib.parse.urlsplit(amqp_uri)
    vhost = urllib.parse.unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    base = management_url or f"http://{parts.hostname}:15672"
    request = urllib.request.Request(
        f"{base.rstrip('/')}/api/queues/{urllib.parse.quote(vhost, safe='')}"
        "?columns=name,messages")
    user = urllib.parse.unquote(parts.username or "guest")
    password = urllib.parse.unquote(parts.password or "guest")
    request.add_header("Authorization",
                       "Basic " + b64encode(f"{user}:{password}".encode()).decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        queues = json.load(response)
    return sorted((q["name"], q.get("messages", 0)) for q in queues
                  if q["name"].endswith(".dlq"))


def cmd_list(args, conn) -> int:
    if not args.queues:
        try:
            found = all_dead_letter_queues(args.amqp_uri, args.management_url)
        except OSError as exc:
            print(f"cannot reach RabbitMQ's management API ({exc}); name the queues "
                  "instead, or give --management-url", file=sys.stderr)
            return 2
        for name, count in found:
            print(json.dumps({"queue": name, "messages": count}) if args.json
                  else f"{count:6d}  {name}")
        return 0
    for queue in args.queues:
        with conn.channel() as channel:
            letters = read(channel, dlq_of(queue), args.limit)
            for letter in letters:
                s = letter.summary()
                if args.json:
                    print(json.dumps({"queue": dlq_of(queue), **s}, ensure_ascii=False))
                else:
                    print(f"{s['position']:4d}  {s['event_id']}  {s['type'] or '(undecodable)'}"
                          f"  occurred {s['occurred_at']}  failed {s['failed_at']}"
                          f"  attempts {s['attempts']}  {s['error'] or ''}")
            if not args.json:
                print(f"{len(letters)} dead letter(s) in {dlq_of(queue)}")
    return 0


def cmd_show(args, conn) -> int:
    with conn.channel() as channel:
        letters = [letter for letter in read(channel, dlq_of(args.queue))
                   if letter.event_id == args.event_id]
        if not letters:
            print(f"no dead letter {args.event_id} in {dlq_of(args.queue)}", file=sys.stderr)
            return 1
        for letter in letters:
            print(json.dumps({**letter.summary(), "headers": {
                k: v for k, v in letter.headers.items() if k != "x-death"},
                "envelope": letter.envelope,
                "raw": None if letter.envelope is not None else
                letter.message.body[:500].decode("utf-8", "replace")},
                ensure_ascii=False, indent=2, default=str))
    return 0


def cmd_replay(args, conn) -> int:
    dlq = dlq_of(args.queue)
    origin = origin_of(dlq)
    now = datetime.now(timezone.utc)
    replayed = refused = 0
    with conn.channel() as channel:
        channel.queue_declare(origin, passive=True)    # the handler's queue must exist
        channel.confirm_select()
        letters = read(channel, dlq)
        chosen = [letter for letter in letters if args.all or letter.event_id == args.event_id]
        if not chosen:
            print(f"no dead letter {args.event_id} in {dlq}", file=sys.stderr)
            return 1
        for letter in chosen:
            if letter.envelope is None:
                print(f"{letter.position}: undecodable, not replayed (show it, then purge it "
                      "by hand)", file=sys.stderr)
                refused += 1
                continue
            if letter.too_old(now) and not args.force:
                print(f"{letter.event_id}: occurred {letter.envelope.get('occurred_at')}, more "
                      f"than FAZHI_PROCESSED_EVENTS_DAYS={PROCESSED_EVENTS_DAYS.get()} days "
                      "ago: its processed id may be pruned, so a copy already handled could "
                      "take effect twice. Check, then replay with --force.", file=sys.stderr)
                refused += 1
                continue
            headers = {k: v for k, v in letter.headers.items()
                       if k not in ("x-death", ATTEMPTS_HEADER, ERROR_HEADER,
                                    FAILED_AT_HEADER) and not k.startswith("x-first-death")}
            props = letter.message.properties or {}
            # A publisher-checked handler believes only the publisher's broker user: the
            # letter goes back stamped as it came (RabbitMQ checks user_id against the
            # connection), so replay it with that user's AMQP_URI.
            publisher = props.get("user_id")
            me = urllib.parse.unquote(urllib.parse.urlsplit(args.amqp_uri).username or "")
            if publisher and publisher != me:
                print(f"{letter.event_id}: published by {publisher}; replay it with "
                      f"{publisher}'s AMQP_URI (--amqp-uri) so its handler believes it.",
                      file=sys.stderr)
                refused += 1
                continue
            properties = {"delivery_mode": 2, "message_id": props.get("message_id")}
            if publisher:
                properties["user_id"] = publisher
            message = channel.prepare_message(
                letter.message.body, properties=properties,
                content_type=props.get("content_type") or "application/json",
                content_encoding=props.get("content_encoding") or "utf-8", headers=headers)
            # confirmed and routed (mandatory) before the letter leaves the DLQ
            channel.basic_publish_confirm(message, exchange="", routing_key=origin,
                                          mandatory=True)
            channel.basic_ack(letter.message.delivery_tag)
            replayed += 1
    print(f"{replayed} replayed, {refused} refused, from {dlq} to {origin}")
    return 0 if replayed or not refused else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fazhi_shared.service.deadletters",
                                     description="List, show and replay dead letters.")
    parser.add_argument("--amqp-uri", default=None, help="default: AMQP_URI")
    parser.add_argument("--management-url", default=None,
                        help="RabbitMQ management API (listing every queue)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="dead-letter queues, or the letters of the named ones")
    p.add_argument("queues", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=LIMIT)
    p = sub.add_parser("show", help="one letter, envelope and headers")
    p.add_argument("queue")
    p.add_argument("event_id")
    p = sub.add_parser("replay", help="back into the handler's queue, then out of the DLQ")
    p.add_argument("queue")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("event_id", nargs="?")
    which.add_argument("--all", action="store_true")
    p.add_argument("--force", action="store_true",
                   help="also letters older than FAZHI_PROCESSED_EVENTS_DAYS")
    args = parser.parse_args(argv)
    args.amqp_uri = args.amqp_uri or AMQP_URI.get()
    with Connection(args.amqp_uri, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=1)
        return {"list": cmd_list, "show": cmd_show, "replay": cmd_replay}[args.command](
            args, conn)


if __name__ == "__main__":
    sys.exit(main())
