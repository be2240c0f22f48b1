"""Every role a contract route declares is one org accepts (issue 7, point 8): one source
of truth for who may call what.

The test walks every route of ``fazhi_org_contract.http.ROUTES`` that names its roles:
for each declared role, a caller holding that role at a covering path (the city; a
resident: a unit of the compound concerned) calls the route's RPC method with valid input
on fresh records, and the call must succeed — org may not answer 403 (nor anything else:
the input is built to be valid, so a refusal is the role check). For writes, each role
the route does not declare is refused by org too (403, or 404 outside what it may see),
so the declaration is exactly what org accepts. Public routes are called anonymously.
Routes a caller uses for themself (``SIGNED_IN``: their own password, their own Party
identity) are left to their own tests.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from fazhi_shared import delivery, files
from fazhi_shared.context import ROLES, Grant, Principal
from fazhi_shared.errors import FazhiError, Forbidden, NotFound
from fazhi_shared.http import PUBLIC, SIGNED_IN
from fazhi_shared.ids import new_id
from fazhi_shared.service.testing import call_as

from fazhi_org_contract.http import ROUTES

from org.samples import id_number

SYSTEM = Principal.system()
ANON = Principal.anonymous()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = date.today()


def uniq(prefix: str = "名") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def sys_call(method, **kwargs):
    return call_as(SYSTEM, "org", method, **kwargs)


class World:
    """A street of its own under the session's city, with fresh records on demand."""

    def __init__(self, tree):
        self.city = tree["city"]
        self.street = sys_call("create_unit", parent_id=self.city["id"], kind="street",
                               name=uniq("路线街道"))
        self.community = sys_call("create_unit", parent_id=self.street["id"],
                                  kind="community", name=uniq("社区"))
        self.shared = self.compound()
        self.committee = sys_call("create_party_org", kind="street_working_committee",
                                  name="街道党工委", unit_id=self.street["id"])
        self.branch = sys_call("create_party_org", kind="judicial_office_branch",
                               name="司法所党支部", unit_id=self.street["id"])
        community_branch = sys_call("create_party_org", kind="community_branch",
                                    name="社区党支部", unit_id=self.community["id"])
        self.group = sys_call("create_party_org", kind="compound_group", name="小区党小组",
                              unit_id=self.shared.compound["id"],
                              parent_id=community_branch["id"])
        sys_call("ensure_grid", compound_id=self.shared.compound["id"])
        template = sys_call("import_template")
        self.template = files.read_bytes(template)
        self.job = sys_call("start_import", compound_id=self.shared.compound["id"],
                            file=files.put_bytes(self.template, XLSX, "模板.xlsx"))

    def compound(self) -> SimpleNamespace:
        """A fresh compound with two buildings, a unit in each, and a person."""
        cpd = sys_call("create_unit", parent_id=self.community["id"], kind="compound",
                       name=uniq("小区"))
        b1 = sys_call("create_unit", parent_id=cpd["id"], kind="building", name="1幢")
        b2 = sys_call("create_unit", parent_id=cpd["id"], kind="building", name="2幢")
        u1 = sys_call("create_unit", parent_id=b1["id"], kind="unit", name="101")
        u2 = sys_call("create_unit", parent_id=b2["id"], kind="unit", name="201")
        c = SimpleNamespace(compound=cpd, building=b1, building2=b2, unit=u1, unit2=u2)
        c.person = self.person(c)
        return c

    def person(self, c, gender=None) -> dict:
        return sys_call("create_person", name=uniq("人"), unit_id=c.unit["id"], gender=gender)

    def account(self, c, role=None) -> dict:
        acc = sys_call("create_account", username=uniq("u_"), password="long-password-1",
                       person_id=self.person(c)["id"])
        if role:
            acc["grant"] = sys_call("grant_role", account_id=acc["id"], role=role,
                                    unit_id=c.compound["id"])
        return acc


def _id_number() -> str:
    return id_number(f"3212831960{uuid.uuid4().int % 10**7:07d}")


def _phone() -> str:
    return f"139{uuid.uuid4().int % 10**8:08d}"


def _registration(w, c):
    phone = _phone()
    call_as(ANON, "org", "request_phone_code", phone=phone)
    code = re.search(r"验证码是(\d{6})", delivery.last_text_to(phone)).group(1)
    return {"phone": phone, "code": code, "name": uniq(), "password": "long-password-1",
            "unit_id": c.unit["id"], "relation": "tenant"}


def _owner(w, c):
    return sys_call("create_owner", compound_id=c.compound["id"], kind="person",
                    name=uniq("业主"), id_number=_id_number())


def _members(w, c, n, female=True):
    people = [w.person(c, gender="female" if female and i == 0 else "male") for i in range(n)]
    return [{"person_id": p["id"], "position": "chair" if i == 0 else "member"}
            for i, p in enumerate(people)]


def _fresh_street_party_org(w, c):
    street = sys_call("create_unit", parent_id=w.city["id"], kind="street", name=uniq("街道"))
    return {"kind": "judicial_office_branch", "name": "司法所党支部", "unit_id": street["id"]}


def _member_to_remove(w, c):
    person = w.person(c)
    sys_call("add_party_member", party_org_id=w.branch["id"], person_id=person["id"])
    return {"party_org_id": w.branch["id"], "person_id": person["id"]}


def _body_to_dissolve(w, c):
    body = sys_call("set_up_property_company", compound_id=c.compound["id"], name=uniq("物业"),
                    contract_start=str(TODAY - timedelta(days=30)),
                    contract_end=str(TODAY + timedelta(days=300)))
    return {"id": body["id"], "reason": "合同终止"}


def _worker_to_unassign(w, c):
    person = w.person(c)
    sys_call("assign_grid_worker", compound_id=c.compound["id"], person_id=person["id"])
    return {"compound_id": c.compound["id"], "person_id": person["id"]}


def _seat(w, c):
    sys_call("set_up_mediation_committee", compound_id=c.compound["id"],
             term_start=str(TODAY - timedelta(days=10)), members=_members(w, c, 3))
    return {"person_id": w.person(c)["id"], "unit_id": c.compound["id"], "reason": "聘任"}


def _developer_representative(w, c):
    dev = sys_call("create_owner", compound_id=c.compound["id"], kind="developer",
                   name="开发公司")
    return {"owner_id": dev["id"], "person_id": w.person(c)["id"]}


# method → (needs a fresh compound, valid input on it)
CASES = {
    "list_units": (False, lambda w, c: {}),
    "create_unit": (False, lambda w, c: {"parent_id": c.building["id"], "kind": "unit",
                                         "name": uniq()}),
    "get_unit": (False, lambda w, c: {"id": c.unit["id"]}),
    "rename_unit": (False, lambda w, c: {"id": c.unit2["id"], "name": uniq()}),
    "move_unit": (True, lambda w, c: {"id": c.unit2["id"], "new_parent_id": c.building["id"]}),
    "retire_unit": (False, lambda w, c: {"id": sys_call(
        "create_unit", parent_id=c.building["id"], kind="unit", name=uniq())["id"],
        "reason": "并户"}),
    "create_person": (False, lambda w, c: {"name": uniq(), "unit_id": c.unit["id"]}),
    "list_people": (False, lambda w, c: {}),
    "get_person": (False, lambda w, c: {"id": c.person["id"]}),
    "update_person": (False, lambda w, c: {"id": w.person(c)["id"], "name": uniq()}),
    "person_facts": (False, lambda w, c: {"person_id": c.person["id"]}),
    "grant_person_role": (False, lambda w, c: {"person_id": w.account(c)["person_id"],
                                               "role": "mediator", "unit_id": c.compound["id"],
                                               "reason": "聘任调解员"}),
    "set_owner_representative": (False, _developer_representative),
    "seat_mediation_committee_member": (True, _seat),
    "reveal_person": (False, lambda w, c: {"id": c.person["id"], "reason": "核实身份"}),
    "create_account": (False, lambda w, c: {"username": uniq("u_"), "password": "long-pass-1",
                                            "person_id": w.person(c)["id"]}),
    "get_account": (False, lambda w, c: {"account_id": w.account(c)["id"]}),
    "grant_role": (False, lambda w, c: {"account_id": w.account(c)["id"], "role": "volunteer",
                                        "unit_id": c.compound["id"]}),
    "revoke_grant": (False, lambda w, c: {"grant_id": w.account(c, "volunteer")["grant"]["id"]}),
    "list_accounts": (False, lambda w, c: {}),
    "reset_password": (False, lambda w, c: {"account_id": w.account(c)["id"],
                                            "new_password": "another-pass-1"}),
    "set_account_disabled": (False, lambda w, c: {"account_id": w.account(c)["id"],
                                                  "disabled": True}),
    "request_phone_code": (False, lambda w, c: {"phone": _phone()}),
    "register_resident": (False, _registration),
    "list_resident_claims": (False, lambda w, c: {}),
    "decide_resident_claim": (False, lambda w, c: {
        "claim_id": sys_call("register_resident_for", name=uniq(), unit_id=c.unit["id"],
                             relation="tenant")["claim"]["id"], "decision": "reject"}),
    "register_resident_for": (False, lambda w, c: {"name": uniq(), "unit_id": c.unit["id"],
                                                   "relation": "tenant"}),
    "record_errand": (False, lambda w, c: {"resident_person_id": c.person["id"],
                                           "action": "代缴物业费"}),
    "list_errands": (False, lambda w, c: {}),
    "list_audit_log": (False, lambda w, c: {}),
    "list_unmasked_reads": (False, lambda w, c: {}),
    "set_unit_area": (False, lambda w, c: {"unit_id": c.unit["id"], "registered_area": 8000}),
    "create_owner": (False, lambda w, c: {"compound_id": c.compound["id"], "kind": "person",
                                          "name": uniq("业主"), "id_number": _id_number()}),
    "list_owners": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "transfer_unit": (False, lambda w, c: {"unit_id": c.unit["id"],
                                           "owners": [{"owner_id": _owner(w, c)["id"]}]}),
    "unit_owners": (False, lambda w, c: {"unit_id": c.unit["id"]}),
    "compound_owners": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "electorate": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "move_in": (False, lambda w, c: {"unit_id": c.unit["id"], "name": uniq(),
                                     "relation": "tenant"}),
    "move_out": (False, lambda w, c: {"residency_id": sys_call(
        "move_in", unit_id=c.unit["id"], name=uniq(), relation="tenant")["id"]}),
    "list_residents": (False, lambda w, c: {"unit_id": c.unit["id"]}),
    "start_import": (True, lambda w, c: {"compound_id": c.compound["id"], "file": files.put_bytes(
        w.template, XLSX, "模板.xlsx")}),
    "get_import": (False, lambda w, c: {"job_id": w.job["id"]}),
    "list_imports": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "import_template": (False, lambda w, c: {}),
    "export_workbook": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "create_party_org": (False, _fresh_street_party_org),
    "list_party_orgs": (False, lambda w, c: {"unit_id": c.compound["id"]}),
    "get_party_org": (False, lambda w, c: {"id": w.group["id"]}),
    "add_party_member": (False, lambda w, c: {"party_org_id": w.branch["id"],
                                              "person_id": w.person(c)["id"]}),
    "list_party_members": (False, lambda w, c: {"party_org_id": w.branch["id"]}),
    "remove_party_member": (False, _member_to_remove),
    "get_public_profile": (False, lambda w, c: {"person_id": c.person["id"]}),
    "set_up_owners_committee": (True, lambda w, c: {
        "compound_id": c.compound["id"], "term_start": str(TODAY - timedelta(days=10)),
        "term_end": str(TODAY + timedelta(days=700)), "members": _members(w, c, 3)}),
    "set_up_property_company": (True, lambda w, c: {
        "compound_id": c.compound["id"], "name": uniq("物业"),
        "contract_start": str(TODAY - timedelta(days=10)),
        "contract_end": str(TODAY + timedelta(days=300))}),
    "set_up_mediation_committee": (True, lambda w, c: {
        "compound_id": c.compound["id"], "term_start": str(TODAY - timedelta(days=10)),
        "members": _members(w, c, 3)}),
    "set_up_deliberation_venue": (True, lambda w, c: {
        "compound_id": c.compound["id"], "name": "议事厅", "address": "1幢一楼",
        "opening_hours": "周一至周五 9:00-17:00"}),
    "dissolve_body": (True, _body_to_dissolve),
    "list_bodies": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "get_compound_organisation": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "ensure_grid": (True, lambda w, c: {"compound_id": c.compound["id"]}),
    "get_grid": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "assign_grid_worker": (False, lambda w, c: {"compound_id": c.compound["id"],
                                                "person_id": w.person(c)["id"]}),
    "unassign_grid_worker": (False, _worker_to_unassign),
    "get_five_haves": (False, lambda w, c: {"compound_id": c.compound["id"]}),
    "five_haves_coverage": (False, lambda w, c: {"unit_id": w.community["id"]}),
    "export_five_haves_coverage": (False, lambda w, c: {"unit_id": w.community["id"]}),
}
# What a caller does for themself, not by role (their own tests cover these).
SELF_SERVICE = {"change_password", "set_show_identity"}


@pytest.fixture(scope="module")
def world(tree):
    return World(tree)


def caller(world, role: str, c) -> Principal:
    """``role`` at a covering path: the city, or for a resident a unit of the compound."""
    path = c.unit["path"] if role == "resident" else world.city["path"]
    return Principal(kind="user", account_id=new_id(), person_id=new_id(),
                     grants=(Grant(role, path),))


def _declared(route) -> tuple:
    if route.roles in (PUBLIC, SIGNED_IN):
        return ROLES if route.roles == SIGNED_IN else ()
    return tuple(route.roles)


def _inputs(world, route):
    """A compound (fresh if the case needs one) and valid input on fresh records."""
    fresh, build = CASES[route.rpc]
    c = world.compound() if fresh else world.shared
    return c, {**build(world, c), **route.fixed}


def _call(world, route, role, inputs=None):
    c, kwargs = inputs or _inputs(world, route)
    principal = ANON if role is None else caller(world, role, c)
    return call_as(principal, "org", route.rpc, **kwargs)


ROUTE_IDS = [f"{r.rpc}:{r.method} {r.path}" for r in ROUTES]


def test_every_route_has_a_case():
    assert {r.rpc for r in ROUTES} - SELF_SERVICE <= set(CASES)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_org_accepts_every_role_the_route_declares(world, route):
    if route.rpc in SELF_SERVICE:
        pytest.skip("acts on the caller themself")
    roles = [None] if route.roles == PUBLIC else _declared(route)
    refused = {}
    for role in roles:
        try:
            _call(world, route, role)
        except FazhiError as exc:
            refused[role] = f"{exc.code}: {exc.message_en}"
    assert refused == {}, f"declared but refused by org: {refused}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method != "GET"
                                   and r.roles not in (PUBLIC, SIGNED_IN)],
                         ids=[i for i, r in zip(ROUTE_IDS, ROUTES) if r.method != "GET"
                              and r.roles not in (PUBLIC, SIGNED_IN)])
def test_org_refuses_every_role_the_write_route_does_not_declare(world, route):
    accepted = []
    inputs = _inputs(world, route)      # a refused call changes nothing: one input serves all
    for role in sorted(set(ROLES) - set(route.roles)):
        try:
            _call(world, route, role, inputs)
            accepted.append(role)
        except (Forbidden, NotFound):
            pass
    assert accepted == [], f"accepted by org but not declared: {accepted}"
