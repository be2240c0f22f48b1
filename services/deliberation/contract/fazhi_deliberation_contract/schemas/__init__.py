"""The deliberation contract's schemas by area: RPC inputs and outputs and event payloads.

Consumers (the gateway, other services, tests) import these, so a change that breaks the
contract breaks their tests. ``EVENTS`` maps every event this service emits (short name)
to its payload schema. Schema class names are OpenAPI component names shared by every
service behind the gateway: they are named after this domain.
"""
from fazhi_deliberation_contract.schemas.matters import *  # noqa: F401,F403
from fazhi_deliberation_contract.schemas.matters import EVENTS as _MATTER_EVENTS
from fazhi_deliberation_contract.schemas.ballots import *  # noqa: F401,F403,E402
from fazhi_deliberation_contract.schemas.ballots import EVENTS as _BALLOT_EVENTS  # noqa: E402
from fazhi_deliberation_contract.schemas.appeals import *  # noqa: F401,F403,E402
from fazhi_deliberation_contract.schemas.appeals import EVENTS as _APPEAL_EVENTS  # noqa: E402
from fazhi_deliberation_contract.schemas.meetings import *  # noqa: F401,F403,E402
from fazhi_deliberation_contract.schemas.meetings import EVENTS as _MEETING_EVENTS  # noqa: E402

EVENTS = {**_MATTER_EVENTS, **_BALLOT_EVENTS, **_APPEAL_EVENTS, **_MEETING_EVENTS}
