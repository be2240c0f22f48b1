"""What the legal, deliberation and disputes services ask of org as themselves (issues
10–12): a person's age and gender without the ID number, duty roles and mediation seats
given by a person's id, and the electorate naming who casts each vote, with each unit's
building, area and whether it is a parking space. Real broker, real database.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

from org.samples import id_number

from .conftest import user

SYSTEM = Principal.system()
LEGAL = Principal.of_service("legal")
DELIBERATION = Principal.of_service("deliberation")
DISPUTES = Principal.of_service("disputes")


def sys_call(method, **kwargs):
    return call_as(SYSTEM, "org", method, **kwargs)


def uniq(prefix="名"):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def number(birth: str, order: str) -> str:
    """A valid ID number born on ``birth`` (YYYYMMDD) with order code ``order`` (3 digits:
    the last odd for a man)."""
    return id_number(f"321283{birth}{order}")


@pytest.fixture(scope="module")
def place(tree):
    com = tree["communityA"]
    cpd = sys_call("create_unit", parent_id=com["id"], kind="compound", name=uniq("消费者小区"))
    b1 = sys_call("create_unit", parent_id=cpd["id"], kind="building", name="1幢")
    b2 = sys_call("create_unit", parent_id=cpd["id"], kind="building", name="2幢")
    units = {n: sys_call("create_unit", parent_id=b["id"], kind="unit", name=n)
             for b, names in ((b1, ("101", "102", "103")), (b2, ("201", "P01")))
             for n in names}
    return {"compound": cpd, "b1": b1, "b2": b2, **units}


# -- person_facts ------------------------------------------------------------------------
def test_legal_reads_age_and_gender_without_the_number(place):
    p = sys_call("create_person", name=uniq("陪审候选"), unit_id=place["101"]["id"],
                 id_number=number("19980301", "123"))
    facts = call_as(LEGAL, "org", "person_facts", person_id=p["id"], on="2026-02-28")
    assert facts == {"person_id": p["id"], "on": "2026-02-28", "age": 27, "gender": "male",
                     "has_id_number": True}
    assert call_as(LEGAL, "org", "person_facts", person_id=p["id"],
                   on="2026-03-01")["age"] == 28
    woman = sys_call("create_person", name=uniq("女"), unit_id=place["101"]["id"],
                     id_number=number("20000229", "124"))
    facts = call_as(LEGAL, "org", "person_facts", person_id=woman["id"], on="2028-02-29")
    assert (facts["age"], facts["gender"]) == (28, "female")
    # nothing of the number in the answer, and no reveal recorded
    assert set(facts) == {"person_id", "on", "age", "gender", "has_id_number"}
    reads = sys_call("list_unmasked_reads", limit=100)["items"]
    assert woman["id"] not in {r.get("entity_id") for r in reads}


def test_without_an_id_number_age_and_gender_are_null(place):
    p = sys_call("create_person", name=uniq("无证"), unit_id=place["101"]["id"],
                 gender="female")
    facts = call_as(LEGAL, "org", "person_facts", person_id=p["id"])
    assert facts["age"] is None and facts["gender"] is None
    assert facts["has_id_number"] is False


def test_person_facts_are_for_legal_and_staff_in_scope_only(place, tree):
    p = sys_call("create_person", name=uniq(), unit_id=place["101"]["id"],
                 id_number=number("19700101", "011"))
    staff = user("judicial_staff", tree["streetA"]["path"])
    assert call_as(staff, "org", "person_facts", person_id=p["id"])["gender"] == "male"
    with pytest.raises(NotFound):
        call_as(user("judicial_staff", tree["streetB"]["path"]), "org", "person_facts",
                person_id=p["id"])
    for service in (DELIBERATION, DISPUTES):
        with pytest.raises(Forbidden):
            call_as(service, "org", "person_facts", person_id=p["id"])
    with pytest.raises(ValidationFailed) as exc:
        call_as(LEGAL, "org", "person_facts", person_id=p["id"], on="2026-02-30")
    assert "on" in exc.value.fields["zh"]


# -- grant_person_role ---------------------------------------------------------------------
def _with_account(place):
    p = sys_call("create_person", name=uniq("陪审员"), unit_id=place["101"]["id"])
    acc = sys_call("create_account", username=uniq("u_"), password="long-password-1",
                   person_id=p["id"])
    return p, acc


def test_legal_gives_a_persons_account_the_assessor_role_once(place):
    p, acc = _with_account(place)
    args = dict(person_id=p["id"], role="assessor", unit_id=place["compound"]["id"],
                reason="区人大常委会任命（2026）3号")
    g = call_as(LEGAL, "org", "grant_person_role", **args)
    assert (g["role"], g["account_id"], g["person_id"], g["created"]) == \
        ("assessor", acc["id"], p["id"], True)
    again = call_as(LEGAL, "org", "grant_person_role", **args)
    assert again["id"] == g["id"] and again["created"] is False
    roles = [x["role"] for x in sys_call("get_account", account_id=acc["id"])["grants"]]
    assert roles.count("assessor") == 1
    log = sys_call("list_audit_log", limit=50)["items"]
    mine = [e for e in log if e.get("entity_id") == g["id"]]
    assert len(mine) == 1 and mine[0]["action"] == "grant.create"


def test_no_account_is_a_409_with_the_reason(place):
    p = sys_call("create_person", name=uniq("无账号"), unit_id=place["101"]["id"])
    with pytest.raises(Conflict) as exc:
        call_as(LEGAL, "org", "grant_person_role", person_id=p["id"], role="mediator",
                unit_id=place["compound"]["id"], reason="聘任调解员")
    assert "账号" in exc.value.message_zh and "account" in exc.value.message_en


@pytest.mark.parametrize("role", ["city_admin", "judicial_staff", "resident", "lawyer"])
def test_only_duty_roles_are_given_by_person(place, role):
    p, _ = _with_account(place)
    with pytest.raises(ValidationFailed) as exc:
        call_as(LEGAL, "org", "grant_person_role", person_id=p["id"], role=role,
                unit_id=place["compound"]["id"], reason="试图越权")
    assert "role" in exc.value.fields["zh"]


def test_judicial_staff_appoint_in_their_street_and_only_duty_roles(place, tree):
    p, _ = _with_account(place)
    staff = user("judicial_staff", tree["streetA"]["path"])
    g = call_as(staff, "org", "grant_person_role", person_id=p["id"], role="legal_literate",
                unit_id=place["compound"]["id"], reason="法律明白人培训合格")
    assert g["created"] is True
    with pytest.raises(Forbidden):
        call_as(staff, "org", "grant_person_role", person_id=p["id"], role="grid_worker",
                unit_id=place["compound"]["id"], reason="网格员")
    with pytest.raises(NotFound):
        call_as(user("judicial_staff", tree["streetB"]["path"]), "org", "grant_person_role",
                person_id=p["id"], role="mediator", unit_id=place["compound"]["id"],
                reason="越界")
    for service in (DELIBERATION, DISPUTES):
        with pytest.raises(Forbidden):
            call_as(service, "org", "grant_person_role", person_id=p["id"],
                    role="mediator", unit_id=place["compound"]["id"], reason="不可")


# -- seat_mediation_committee_member -------------------------------------------------------
def _committee(place, n=3):
    people = [sys_call("create_person", name=uniq("调解"), unit_id=place["101"]["id"],
                       gender="female" if i == 0 else "male") for i in range(n)]
    return sys_call("set_up_mediation_committee", compound_id=place["compound"]["id"],
                    term_start=str(date.today() - timedelta(days=5)),
                    members=[{"person_id": x["id"], "position": "chair" if i == 0 else "member"}
                             for i, x in enumerate(people)])


def test_legal_seats_a_mediator_on_the_committee_once(place):
    body = _committee(place)
    p = sys_call("create_person", name=uniq("新调解员"), unit_id=place["101"]["id"])
    seated = call_as(LEGAL, "org", "seat_mediation_committee_member", person_id=p["id"],
                     unit_id=place["compound"]["id"], reason="司法所聘任")
    assert seated["id"] == body["id"] and len(seated["members"]) == 4
    assert {"person_id": p["id"], "name": p["name"], "position": "member"} in seated["members"]
    again = call_as(LEGAL, "org", "seat_mediation_committee_member", person_id=p["id"],
                    unit_id=place["compound"]["id"], reason="司法所聘任")
    assert len(again["members"]) == 4
    org = sys_call("get_compound_organisation", compound_id=place["compound"]["id"])
    assert len(org["mediation_committee"]["members"]) == 4


def test_a_tenth_member_is_refused_and_no_committee_is_a_409(place, tree):
    _committee(place, n=9)
    p = sys_call("create_person", name=uniq(), unit_id=place["101"]["id"])
    with pytest.raises(ValidationFailed) as exc:
        call_as(LEGAL, "org", "seat_mediation_committee_member", person_id=p["id"],
                unit_id=place["compound"]["id"], reason="聘任")
    assert "九人" in exc.value.fields["zh"]["person_id"][0]
    with pytest.raises(Conflict):
        call_as(LEGAL, "org", "seat_mediation_committee_member", person_id=p["id"],
                unit_id=tree["compoundB"]["id"], reason="聘任")


# -- electorate: named voters, buildings, parking ------------------------------------------
def _owner(place, **kw):
    return sys_call("create_owner", compound_id=place["compound"]["id"], **kw)


def test_the_electorate_names_who_votes_for_each_entry(place):
    cpd = place["compound"]["id"]
    for name, area in (("101", 8935), ("102", 9000), ("103", 10000), ("201", 12000),
                       ("P01", 1250)):
        sys_call("set_unit_area", unit_id=place[name]["id"], registered_area=area)
    sys_call("set_unit_area", unit_id=place["P01"]["id"], is_parking=True)
    wife = _owner(place, kind="person", name=uniq("妻"), id_number=number("19800101", "022"))
    husband = _owner(place, kind="person", name=uniq("夫"), id_number=number("19790101", "031"))
    seller = _owner(place, kind="person", name=uniq("卖方"), id_number=number("19600101", "051"))
    buyer = _owner(place, kind="person", name=uniq("买方"), id_number=number("19900101", "061"))
    dev = _owner(place, kind="developer", name="阳光置业有限公司")
    rep = sys_call("create_person", name=uniq("开发商代表"), unit_id=place["101"]["id"])
    set_rep = sys_call("set_owner_representative", owner_id=dev["id"], person_id=rep["id"])
    assert (set_rep["representative_person_id"], set_rep["representative_name"]) == \
        (rep["id"], rep["name"])
    again = _owner(place, kind="developer", name="阳光置业有限公司")
    assert again["created"] is False and again["representative_name"] == rep["name"]
    listed = sys_call("list_owners", compound_id=place["compound"]["id"], kind="developer")
    assert listed["items"][0]["representative_person_id"] == rep["id"]
    t0 = datetime.now(timezone.utc) - timedelta(days=30)
    sys_call("transfer_unit", unit_id=place["101"]["id"], at=t0.isoformat(),
             owners=[{"owner_id": wife["id"], "is_voter": True},
                     {"owner_id": husband["id"], "is_voter": False}])
    sys_call("transfer_unit", unit_id=place["102"]["id"], at=t0.isoformat(),
             owners=[{"owner_id": seller["id"]}])
    for unit in ("103", "201", "P01"):
        sys_call("transfer_unit", unit_id=place[unit]["id"], at=t0.isoformat(),
                 owners=[{"owner_id": dev["id"]}])
    frozen = datetime.now(timezone.utc) - timedelta(days=10)
    sys_call("transfer_unit", unit_id=place["102"]["id"],
             at=(frozen + timedelta(days=5)).isoformat(), owners=[{"owner_id": buyer["id"]}])

    e = call_as(DELIBERATION, "org", "electorate", compound_id=cpd, as_of=frozen.isoformat())
    by_owner = {x["owner_id"]: x for x in e["owners"]}
    assert e["total_owners"] == 3 and set(by_owner) == {wife["id"], seller["id"], dev["id"]}
    assert by_owner[wife["id"]]["voter_person_id"] == wife["person_id"]
    assert by_owner[wife["id"]]["unit_ids"] == [place["101"]["id"]]
    # the seller sold after as_of: still the voter of 102 as of that date
    assert by_owner[seller["id"]]["voter_person_id"] == seller["person_id"]
    developer = by_owner[dev["id"]]
    assert developer["voter_person_id"] == rep["id"] and developer["heads"] == 1
    units = {u["unit_id"]: u for u in developer["units"]}
    assert units[place["201"]["id"]] == {"unit_id": place["201"]["id"],
                                         "building_id": place["b2"]["id"], "area": 12000,
                                         "is_parking": False}
    assert units[place["P01"]["id"]]["is_parking"] is True
    assert units[place["103"]["id"]]["building_id"] == place["b1"]["id"]
    assert developer["area"] == 10000 + 12000 + 1250
    now = call_as(DELIBERATION, "org", "electorate", compound_id=cpd)
    assert buyer["id"] in {x["owner_id"] for x in now["owners"]}
    assert seller["id"] not in {x["owner_id"] for x in now["owners"]}
    # cleared: the developer's entry names nobody
    sys_call("set_owner_representative", owner_id=dev["id"], person_id=None)
    now = call_as(DELIBERATION, "org", "electorate", compound_id=cpd)
    assert {x["owner_id"]: x for x in now["owners"]}[dev["id"]]["voter_person_id"] is None
    for service in (LEGAL, DISPUTES):
        with pytest.raises(Forbidden):
            call_as(service, "org", "electorate", compound_id=cpd)


def test_a_person_owner_has_no_representative(place):
    owner = _owner(place, kind="person", name=uniq("业主"), id_number=number("19850505", "071"))
    with pytest.raises(ValidationFailed) as exc:
        sys_call("set_owner_representative", owner_id=owner["id"], person_id=owner["person_id"])
    assert "owner_id" in exc.value.fields["zh"]


# -- reads open to the consumers ----------------------------------------------------------
@pytest.mark.parametrize("service", [LEGAL, DELIBERATION, DISPUTES])
def test_consumers_read_people_masked_units_and_accounts(place, service):
    p, acc = _with_account(place)
    sys_call("update_person", id=p["id"], phone="13912345678")
    got = call_as(service, "org", "get_person", id=p["id"])
    assert got["phone"] == "139****5678"
    page = call_as(service, "org", "list_people", unit_id=place["101"]["id"], q=p["name"])
    assert [x["id"] for x in page["items"]] == [p["id"]]
    units = call_as(service, "org", "list_units", parent_id=place["compound"]["id"])
    assert {u["name"] for u in units["items"]} == {"1幢", "2幢"}
    accounts = call_as(service, "org", "list_accounts", q=acc["username"])
    assert [a["person_id"] for a in accounts["items"]] == [p["id"]]
    with pytest.raises(Forbidden):
        call_as(service, "org", "reveal_person", id=p["id"], reason="查看")
