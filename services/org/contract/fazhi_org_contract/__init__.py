"""The org service's contract: what other teams may depend on.

- ``schemas`` — marshmallow inputs and outputs of every RPC method and event payloads;
- ``events`` — every event org emits, with its payload schema;
- ``roles`` — who may do what (the gateway's first gate and org's own checks);
- ``vocabulary`` — codes with Chinese and English labels, and input limits;
- ``http`` — the routes the gateway mounts under ``/api/v1/org``;
- ``CONTRACT.service_callable`` — the methods other services may call as themselves.

It depends on marshmallow and the pure part of fazhi-shared only.
"""
from fazhi_shared.http import Contract

from fazhi_org_contract.events import EVENTS
from fazhi_org_contract.http import ROUTES
from fazhi_org_contract.vocabulary import VOCABULARIES

# What other services may call as themselves (a service principal, signed with their own
# key); every other method refuses them. export_units: every service's unit-tree bootstrap;
# get_account: the gateway's token refresh. Users reach org through the gateway's contexts.
SERVICE_CALLABLE = {"export_units": "*", "get_account": ("gateway",)}

CONTRACT = Contract(service="org", title="组织架构、人员与账号 / organisation, people, accounts",
                    routes=ROUTES, events=EVENTS, vocabularies=VOCABULARIES,
                    service_callable=SERVICE_CALLABLE)
