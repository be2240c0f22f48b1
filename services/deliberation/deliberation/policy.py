"""What the settings say for one compound (its local rules) and calls to org as this
service itself, within the caller's deadline."""
from __future__ import annotations

import secrets
import time

from fazhi_shared.calendar import default_calendar
from fazhi_shared.config import RPC_TIMEOUT
from fazhi_shared.context import Principal
from fazhi_shared.errors import DeadlineExceeded
from fazhi_shared.service.calls import call, service_context

from deliberation import config
from deliberation.domain.local_rules import LocalRules, rules_for

# Codes people read out or type: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def local_rules(compound_path: str) -> LocalRules:
    defaults = LocalRules(
        notice_days=config.NOTICE_DAYS.get(), voting_days=config.VOTING_DAYS.get(),
        posting_days=config.POSTING_DAYS.get(),
        electronic_ballots=config.ELECTRONIC_BALLOTS.get(),
        parking_counts=config.PARKING_COUNTS.get(), proxy_limit=config.PROXY_LIMIT.get(),
        proxy_property_staff_barred=config.PROXY_PROPERTY_STAFF_BARRED.get(),
        deemed_consent_allowed=config.DEEMED_CONSENT_ALLOWED.get())
    return rules_for(compound_path, defaults, config.LOCAL_RULES.get())


def calendar():
    return default_calendar()


def code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def receipt_code() -> str:
    raw = code(12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Org:
    """org called as deliberation itself (its own key), within what the caller has left.
    org down: ``ServiceUnavailable`` / ``DeadlineExceeded`` (503), before anything is
    written."""

    def __init__(self, calls, caller: Principal):
        self.amqp_uri = getattr(calls, "amqp_uri", None)
        self.caller = caller

    def call(self, method: str, **kwargs):
        left = (self.caller.deadline - time.time() if self.caller.deadline
                else RPC_TIMEOUT.get())
        if left <= 0:
            raise DeadlineExceeded()
        context = service_context("deliberation", left, self.caller.request_id)
        return call("org", method, kwargs, context=context, amqp_uri=self.amqp_uri)
