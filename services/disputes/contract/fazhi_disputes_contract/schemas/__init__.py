"""The disputes contract's schemas, by area: RPC inputs and outputs and event payloads.

Consumers (the gateway, other services, tests) import these, so a change that breaks the
contract breaks their tests. ``EVENTS`` maps every event this service emits (short name)
to its payload schema. Class names are OpenAPI component names shared by every service
behind the gateway, so they say ``Dispute…``/``Rectification…``.
"""
from fazhi_disputes_contract.schemas.cases import *  # noqa: F401,F403
from fazhi_disputes_contract.schemas.casefile import *  # noqa: F401,F403
from fazhi_disputes_contract.schemas.campaigns import *  # noqa: F401,F403
from fazhi_disputes_contract.schemas.stats import *  # noqa: F401,F403
from fazhi_disputes_contract.schemas.events import EVENTS  # noqa: F401
