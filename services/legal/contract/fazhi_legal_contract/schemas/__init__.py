"""The legal contract's schemas: RPC inputs and outputs and event payloads, by area.

Consumers (the gateway, the disputes service, tests) import these, so a change that
breaks the contract breaks their tests. ``EVENTS`` maps every event legal emits (short
name) to its payload schema. Schema class names are OpenAPI component names shared by
every service behind the gateway.
"""
from fazhi_legal_contract.schemas.consultations import *  # noqa: F401,F403
from fazhi_legal_contract.schemas.events import *  # noqa: F401,F403
from fazhi_legal_contract.schemas.events import EVENTS  # noqa: F401
from fazhi_legal_contract.schemas.lists import *  # noqa: F401,F403
from fazhi_legal_contract.schemas.people import *  # noqa: F401,F403
from fazhi_legal_contract.schemas.rosters import *  # noqa: F401,F403
