"""The org service's contract: RPC inputs and outputs and event payloads, by area.

Consumers (the gateway, other services' read models, tests) import these, so a change
that breaks the contract breaks their tests. ``EVENTS`` maps every event this service
emits to its payload schema.
"""
from fazhi_org_contract.schemas.core import *  # noqa: F401,F403
from fazhi_org_contract.schemas.core import EVENTS as _CORE_EVENTS

EVENTS = dict(_CORE_EVENTS)
from fazhi_org_contract.schemas.organisation import *  # noqa: F401,F403,E402
from fazhi_org_contract.schemas.organisation import EVENTS as _ORGANISATION_EVENTS  # noqa: E402
from fazhi_org_contract.schemas.registry import *  # noqa: F401,F403,E402
from fazhi_org_contract.schemas.registry import EVENTS as _REGISTRY_EVENTS  # noqa: E402

EVENTS.update(_REGISTRY_EVENTS)
EVENTS.update(_ORGANISATION_EVENTS)
