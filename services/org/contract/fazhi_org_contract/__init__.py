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

# The services built on org's records: they read units, people (masked), accounts, owners
# and bodies as themselves — in their seeds, and to show names beside ids.
CONSUMERS = ("legal", "deliberation", "disputes")

# What other services may call as themselves (a service principal, signed with their own
# key); every other method refuses them. Users reach org through the gateway's contexts.
SERVICE_CALLABLE = {
    # every service's unit-tree bootstrap; the gateway's token refresh
    "export_units": "*", "get_account": ("gateway", *CONSUMERS),
    # reads: names beside ids (masked: never an ID number or a phone in clear)
    "get_unit": CONSUMERS, "list_units": CONSUMERS,
    "get_person": CONSUMERS, "list_people": CONSUMERS, "list_accounts": CONSUMERS,
    "account_labels": CONSUMERS, "get_public_profile": CONSUMERS,
    "list_owners": CONSUMERS, "compound_owners": CONSUMERS, "unit_owners": CONSUMERS,
    "list_residents": CONSUMERS, "list_bodies": CONSUMERS,
    "get_compound_organisation": CONSUMERS, "get_grid": CONSUMERS,
    # legal: eligibility (age, gender) and appointments (roles, mediation seats)
    "person_facts": ("legal",), "grant_person_role": ("legal",),
    "seat_mediation_committee_member": ("legal",),
    # deliberation: who votes, with what area, in which building
    "electorate": ("deliberation",),
}

CONTRACT = Contract(service="org", title="组织架构、人员与账号 / organisation, people, accounts",
                    routes=ROUTES, events=EVENTS, vocabularies=VOCABULARIES,
                    service_callable=SERVICE_CALLABLE)
