"""The data of the administrator's pages from org (issue 9, point 9): the operation log
(who changed what, on whose behalf, when — by name), the unmasked-data reads for
auditors, and the labels of accounts the gateway's login log and sessions show. Each is
for the roles allowed and in their scope (outside it: 404; another role: 403)."""
import uuid

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()


def user(role, path, account=None):
    return Principal(kind="user", account_id=account and account["id"],
                     person_id=account and account["person_id"], grants=(Grant(role, path),))


def account(unit, name, role=None, username=None):
    person = call_as(SYSTEM, "org", "create_person", name=name, unit_id=unit["id"])
    acc = call_as(SYSTEM, "org", "create_account", username=username or f"a_{uuid.uuid4().hex[:8]}",
                  password="long-password-1", person_id=person["id"])
    if role:
        call_as(SYSTEM, "org", "grant_role", account_id=acc["id"], role=role, unit_id=unit["id"])
    return acc


def entries(principal, method="list_audit_log", **kw):
    out, cursor = [], None
    while True:
        page = call_as(principal, "org", method, cursor=cursor, limit=200, **kw)
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


@pytest.fixture(scope="module")
def acts(tree):
    """A street A worker (with a name) builds and registers things; so does one in B."""
    tag = uuid.uuid4().hex[:6]
    a_acc = account(tree["communityA"], "李操作", "community_worker")
    worker_a = user("community_worker", tree["communityA"]["path"], a_acc)
    cpd = call_as(worker_a, "org", "create_unit", parent_id=tree["buildingA"]["id"],
                  kind="unit", name=f"审计{tag}")
    resident = call_as(SYSTEM, "org", "create_person", name="赵居民", unit_id=cpd["id"])
    errand = call_as(worker_a, "org", "record_errand", resident_person_id=resident["id"],
                     action="代缴物业费")
    revealer = user("street_admin", tree["streetA"]["path"],
                    account(tree["streetA"], "钱查看", "street_admin"))
    call_as(revealer, "org", "reveal_person", id=resident["id"], reason="核实身份以办理调解")
    b_acc = account(tree["communityB"], "孙别处", "community_worker")
    other = call_as(user("community_worker", tree["communityB"]["path"], b_acc), "org",
                    "create_unit", parent_id=tree["buildingB"]["id"], kind="unit",
                    name=f"审计{tag}")
    return {"worker_a": worker_a, "a_acc": a_acc, "unit": cpd, "other": other,
            "resident": resident, "errand": errand, "tag": tag}


def test_the_operation_log_says_who_did_what_for_whom_by_name(acts, tree):
    street_a = user("street_admin", tree["streetA"]["path"])
    log = entries(street_a)
    created = [e for e in log if e["action"] == "unit.create" and e["entity_id"] == acts["unit"]["id"]]
    [entry] = created
    assert entry["actor_account_id"] == acts["a_acc"]["id"] and entry["actor_name"] == "李操作"
    assert [p["name"] for p in entry["place"]] == ["泰兴市", "街道A", "社区A", "小区A", "1幢",
                                                   acts["unit"]["name"]]
    assert entry["detail"]["name"] == acts["unit"]["name"]
    [errand] = [e for e in log if e["action"] == "errand.record"
                and e["entity_id"] == acts["errand"]["id"]]
    assert errand["on_behalf_of"] == acts["resident"]["id"]
    assert errand["on_behalf_of_name"] == "赵居民"
    # newest first
    assert [e["id"] for e in log] == sorted((e["id"] for e in log), reverse=True)
    # nothing of street B
    assert acts["other"]["id"] not in {e["entity_id"] for e in log}


def test_filters_and_pages(acts, tree):
    auditor = user("auditor", tree["city"]["path"])
    mine = entries(auditor, actor_account_id=acts["a_acc"]["id"])
    assert {e["action"] for e in mine} == {"unit.create", "errand.record"}
    assert [e["entity_id"] for e in entries(auditor, action="unit.create",
                                            entity_id=acts["other"]["id"])] == [acts["other"]["id"]]
    under_b = entries(auditor, unit_id=tree["communityB"]["id"])
    assert acts["other"]["id"] in {e["entity_id"] for e in under_b}
    assert acts["unit"]["id"] not in {e["entity_id"] for e in under_b}
    page = call_as(auditor, "org", "list_audit_log", limit=1)
    second = call_as(auditor, "org", "list_audit_log", limit=1, cursor=page["next_cursor"])
    assert second["items"][0]["id"] < page["items"][0]["id"]


def test_rows_without_a_unit_are_the_city_s(acts, tree):
    # a password login is audited without a unit (the account's own act)
    username = f"login_{acts['tag']}"
    acc = account(tree["communityA"], "登录者", "community_worker", username=username)
    call_as(Principal.anonymous(), "org", "authenticate", username=username,
            password="long-password-1")
    city = user("city_admin", tree["city"]["path"])
    [login] = entries(city, action="account.login", entity_id=acc["id"])
    assert login["path"] is None and login["place"] == [] and login["actor_name"] == "登录者"
    assert entries(user("street_admin", tree["streetA"]["path"]), action="account.login",
                   entity_id=acc["id"]) == []


def test_who_may_read_the_log(acts, tree):
    for role in ("community_worker", "grid_worker", "judicial_staff", "resident"):
        with pytest.raises(Forbidden):
            call_as(user(role, tree["communityA"]["path"]), "org", "list_audit_log")
    with pytest.raises(NotFound):
        call_as(user("street_admin", tree["streetA"]["path"]), "org", "list_audit_log",
                unit_id=tree["communityB"]["id"])
    with pytest.raises(ValidationFailed):
        call_as(user("auditor", tree["city"]["path"]), "org", "list_audit_log",
                action="x" * 81)


def test_unmasked_reads_for_auditors(acts, tree):
    auditor = user("auditor", tree["city"]["path"])
    reads = entries(auditor, "list_unmasked_reads")
    assert reads and {e["action"] for e in reads} <= {"person.reveal", "workbook.export"}
    [reveal] = [e for e in reads if e["entity_id"] == acts["resident"]["id"]]
    assert reveal["actor_name"] == "钱查看"
    assert reveal["detail"]["reason"] == "核实身份以办理调解"
    assert entries(user("auditor", tree["streetB"]["path"]), "list_unmasked_reads",
                   entity_id=acts["resident"]["id"]) == []
    with pytest.raises(Forbidden):
        call_as(user("community_worker", tree["communityA"]["path"]), "org",
                "list_unmasked_reads")


def test_account_labels_for_the_gateway_s_pages(tree):
    worker = account(tree["communityA"], "周工作", "community_worker")
    phone_user = account(tree["unitA"], "吴居民", None, username="13912345678")
    city_admin = account(tree["streetA"], "郑市管", "city_admin")    # filed in street A
    elsewhere = account(tree["communityB"], "王外街", "community_worker")
    ids = [worker["id"], phone_user["id"], city_admin["id"], elsewhere["id"]]
    street_a = user("street_admin", tree["streetA"]["path"])
    labels = {a["id"]: a for a in call_as(street_a, "org", "account_labels",
                                          account_ids=ids)["items"]}
    assert set(labels) == {worker["id"], phone_user["id"], city_admin["id"]}
    assert labels[worker["id"]]["display_name"] == "周工作"
    assert labels[worker["id"]]["manageable"] is True
    assert labels[city_admin["id"]]["manageable"] is False     # a higher admin's account
    assert labels[phone_user["id"]]["username"] == "139****5678"
    everyone = call_as(user("city_admin", tree["city"]["path"]), "org", "account_labels",
                       account_ids=ids)["items"]
    assert len(everyone) == 4 and all(a["manageable"] for a in everyone)
    with pytest.raises(Forbidden):
        call_as(user("auditor", tree["city"]["path"]), "org", "account_labels",
                account_ids=ids)
    with pytest.raises(ValidationFailed):
        call_as(street_a, "org", "account_labels", account_ids=ids * 60)
