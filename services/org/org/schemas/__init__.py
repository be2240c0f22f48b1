"""The org service's contract: RPC inputs and outputs and event payloads, by area.

Consumers (the gateway, other services' read models, tests) import these, so a change
that breaks the contract breaks their tests. ``EVENTS`` maps every event this service
emits to its payload schema.
"""
from org.schemas.core import *  # noqa: F401,F403
from org.schemas.core import EVENTS as _CORE_EVENTS

EVENTS = dict(_CORE_EVENTS)
