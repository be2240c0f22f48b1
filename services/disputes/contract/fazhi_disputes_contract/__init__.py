"""The disputes service's contract: what other teams may depend on.

- ``schemas`` — marshmallow inputs and outputs of every RPC method and event payloads;
- ``events`` — every event disputes emits, with its payload schema;
- ``roles`` — who may do what (the gateway's first gate and disputes's own checks);
- ``vocabulary`` — codes with Chinese and English labels, and input limits;
- ``http`` — the routes the gateway mounts under ``/api/v1/disputes``.

It depends on marshmallow and the pure part of fazhi-shared only.
"""
from fazhi_shared.http import Contract

from fazhi_disputes_contract.events import EVENTS
from fazhi_disputes_contract.http import ROUTES
from fazhi_disputes_contract.vocabulary import VOCABULARIES

# The methods other services may call as themselves: none yet (cases from consultations
# and appeals arrive as events).
SERVICE_CALLABLE: dict = {}

CONTRACT = Contract(service="disputes", title="纠纷化解 / dispute resolution",
                    routes=ROUTES, events=EVENTS, vocabularies=VOCABULARIES,
                    service_callable=SERVICE_CALLABLE)
