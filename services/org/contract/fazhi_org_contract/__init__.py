"""The org service's contract: what other teams may depend on.

- ``schemas`` — marshmallow inputs and outputs of every RPC method and event payloads;
- ``events`` — every event org emits, with its payload schema;
- ``roles`` — who may do what (the gateway's first gate and org's own checks);
- ``vocabulary`` — codes with Chinese and English labels, and input limits;
- ``http`` — the routes the gateway mounts under ``/api/v1/org``.

It depends on marshmallow and the pure part of fazhi-shared only.
"""
from fazhi_shared.http import Contract

from fazhi_org_contract.events import EVENTS
from fazhi_org_contract.http import ROUTES
from fazhi_org_contract.vocabulary import VOCABULARIES

CONTRACT = Contract(service="org", title="组织架构、人员与账号 / organisation, people, accounts",
                    routes=ROUTES, events=EVENTS, vocabularies=VOCABULARIES)
