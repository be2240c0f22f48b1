"""Which of org's methods other services may call as themselves (issue 7, point 3).

A service acting on its own (a bootstrap, an event handler) calls with a *service
principal* signed by its own key. org's contract names the methods open to services
(``CONTRACT.service_callable``): ``export_units`` for every service's unit-tree bootstrap,
``get_account`` for the gateway's token refresh. Anything else answers 403 to a service,
whatever powers the platform's own identity had before.
"""
import pytest

from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden
from fazhi_shared.service.testing import call_as

from fazhi_org_contract import CONTRACT

SYSTEM = Principal.system()          # development mode: the tests' own signer
LEGAL = Principal.of_service("legal")
GATEWAY = Principal.of_service("gateway")


CONSUMERS = ("legal", "deliberation", "disputes")
READS = ("get_unit", "list_units", "get_person", "list_people", "list_accounts",
         "account_labels", "get_public_profile", "list_owners", "compound_owners",
         "unit_owners", "list_residents", "list_bodies", "get_compound_organisation",
         "get_grid")


def test_the_contract_opens_exactly_the_methods_other_services_call():
    assert CONTRACT.service_callable == {
        "export_units": "*", "get_account": ("gateway", *CONSUMERS),
        **{m: CONSUMERS for m in READS},
        "person_facts": ("legal",), "grant_person_role": ("legal",),
        "seat_mediation_committee_member": ("legal",), "electorate": ("deliberation",)}


def test_any_service_exports_the_unit_tree(tree):
    page = call_as(LEGAL, "org", "export_units", root_id=tree["streetA"]["id"])
    assert tree["unitA"]["id"] in {u["id"] for u in page["items"]}


def test_the_gateway_and_the_consumers_read_an_account_and_no_other_service_does(tree):
    person = call_as(SYSTEM, "org", "create_person", name="服务调用者",
                     unit_id=tree["unitA"]["id"])
    account = call_as(SYSTEM, "org", "create_account", username="svc_caller_1",
                      password="correct-horse-42", person_id=person["id"])
    for caller in (GATEWAY, LEGAL):
        assert call_as(caller, "org", "get_account",
                       account_id=account["id"])["id"] == account["id"]
    with pytest.raises(Forbidden):
        call_as(Principal.of_service("notices"), "org", "get_account",
                account_id=account["id"])


@pytest.mark.parametrize("method,kwargs", [
    ("reveal_person", {"id": "00000000-0000-0000-0000-000000000000", "reason": "核实"}),
    ("export_workbook", {"compound_id": "00000000-0000-0000-0000-000000000000"}),
    ("create_unit", {"parent_id": None, "kind": "city", "name": "伪造市"}),
    ("authenticate", {"username": "svc_caller_1", "password": "correct-horse-42"}),
])
def test_a_service_identity_gets_nothing_else(tree, method, kwargs):
    for caller in (LEGAL, GATEWAY):
        with pytest.raises(Forbidden):
            call_as(caller, "org", method, **kwargs)
