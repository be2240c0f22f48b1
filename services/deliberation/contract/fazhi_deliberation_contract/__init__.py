"""The deliberation service's contract: what other teams may depend on.

- ``schemas`` — marshmallow inputs and outputs of every RPC method and event payloads;
- ``events`` — every event deliberation emits, with its payload schema;
- ``roles`` — who may do what (the gateway's first gate and deliberation's own checks);
- ``vocabulary`` — codes with Chinese and English labels, and input limits;
- ``http`` — the routes the gateway mounts under ``/api/v1/deliberation``.

It depends on marshmallow and the pure part of fazhi-shared only.
"""
from fazhi_shared.http import Contract

from fazhi_deliberation_contract.events import EVENTS
from fazhi_deliberation_contract.http import ROUTES
from fazhi_deliberation_contract.vocabulary import VOCABULARIES

# The methods other services may call as themselves (a service principal signed with
# their own key: a bootstrap, an event handler): {"method": "*"} for any service, or
# {"method": ("gateway", ...)}. Every other method refuses them (403); users reach
# deliberation through the gateway.
SERVICE_CALLABLE: dict = {}

CONTRACT = Contract(service="deliberation", title="民主协商 / owners' deliberation",
                    routes=ROUTES, events=EVENTS, vocabularies=VOCABULARIES,
                    service_callable=SERVICE_CALLABLE)
