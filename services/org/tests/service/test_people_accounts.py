"""People with protected personal data, accounts, grants and login."""
import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()


def user(role, path, account_id=None, person_id=None):
    return Principal(kind="user", account_id=account_id, person_id=person_id,
                     grants=(Grant(role, path),))


def audit_rows(org_db, action, entity_id):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text("SELECT * FROM audit_log WHERE action = :a AND entity_id = :i"),
                            {"a": action, "i": entity_id}).mappings().all()


def test_id_number_is_encrypted_masked_and_revealed_with_audit(tree, org_db):
    worker = user("community_worker", tree["communityA"]["path"], account_id="acc-w")
    p = call_as(worker, "org", "create_person", name="张三", phone="13812345678",
                id_number="321283199001011237", gender="male", unit_id=tree["unitA"]["id"])
    assert p["id_number"] == "3212**********1237" and p["phone"] == "138****5678"
    with engine_for(org_db).connect() as conn:
        raw = conn.execute(text("SELECT id_number_enc FROM people WHERE id = :i"),
                           {"i": p["id"]}).scalar()
    assert b"321283199001011237" not in bytes(raw)
    listed = call_as(worker, "org", "list_people", unit_id=tree["unitA"]["id"])
    [row] = [x for x in listed["items"] if x["id"] == p["id"]]
    assert row["phone"] == "138****5678" and row["id_number"] == "3212**********1237"
    revealed = call_as(worker, "org", "reveal_person", id=p["id"], reason="调解需要核实身份")
    assert revealed["id_number"] == "321283199001011237"
    [audit] = audit_rows(org_db, "person.reveal", p["id"])
    assert audit["actor_account_id"] == "acc-w" and audit["detail"]["reason"] == "调解需要核实身份"
    assert audit_rows(org_db, "person.create", p["id"])


def test_duplicate_id_number_conflicts(tree):
    worker = user("community_worker", tree["communityA"]["path"])
    call_as(worker, "org", "create_person", name="李四", id_number="321283198805054326",
            unit_id=tree["unitA"]["id"])
    with pytest.raises(Conflict) as info:
        call_as(worker, "org", "create_person", name="李四二", id_number="321283198805054326",
                unit_id=tree["unitA"]["id"])
    assert "id_number" in info.value.fields["zh"]


def test_bad_person_input(tree):
    worker = user("community_worker", tree["communityA"]["path"])
    with pytest.raises(ValidationFailed) as info:
        call_as(worker, "org", "create_person", name="", phone="abc", id_number="123",
                unit_id=tree["unitA"]["id"])
    assert set(info.value.fields["zh"]) == {"name", "phone", "id_number"}


def test_people_outside_scope_are_404_and_not_listed(tree):
    worker_a = user("community_worker", tree["communityA"]["path"])
    p = call_as(worker_a, "org", "create_person", name="王五", unit_id=tree["unitA"]["id"])
    worker_b = user("community_worker", tree["communityB"]["path"])
    with pytest.raises(NotFound):
        call_as(worker_b, "org", "get_person", id=p["id"])
    with pytest.raises(NotFound):
        call_as(worker_b, "org", "reveal_person", id=p["id"], reason="好奇")
    assert p["id"] not in {x["id"] for x in call_as(worker_b, "org", "list_people",
                                                     limit=200)["items"]}
    # a grid worker in scope may read but not reveal
    grid = user("grid_worker", tree["communityA"]["path"])
    assert call_as(grid, "org", "get_person", id=p["id"])["name"] == "王五"
    with pytest.raises(Forbidden):
        call_as(grid, "org", "reveal_person", id=p["id"], reason="核实")


def test_accounts_grants_and_login(tree):
    admin = user("street_admin", tree["streetA"]["path"], account_id="admin-a")
    person = call_as(admin, "org", "create_person", name="赵六", unit_id=tree["communityA"]["id"])
    acc = call_as(admin, "org", "create_account", username="zhaoliu", password="s3cret-pass",
                  person_id=person["id"])
    grant = call_as(admin, "org", "grant_role", account_id=acc["id"], role="community_worker",
                    unit_id=tree["communityA"]["id"])
    again = call_as(admin, "org", "grant_role", account_id=acc["id"], role="community_worker",
                    unit_id=tree["communityA"]["id"])
    assert again["id"] == grant["id"]
    anon = Principal.anonymous()
    logged = call_as(anon, "org", "authenticate", username="zhaoliu", password="s3cret-pass")
    assert logged["id"] == acc["id"] and logged["display_name"] == "赵六"
    assert logged["grants"] == [{"id": grant["id"], "role": "community_worker",
                                 "unit_id": tree["communityA"]["id"],
                                 "path": tree["communityA"]["path"]}]
    with pytest.raises(Unauthenticated) as info:
        call_as(anon, "org", "authenticate", username="zhaoliu", password="wrong-pass")
    assert info.value.message_zh == "用户名或密码错误。"
    with pytest.raises(Unauthenticated):
        call_as(anon, "org", "authenticate", username="nobody", password="whatever")
    with pytest.raises(Conflict):
        call_as(admin, "org", "create_account", username="zhaoliu", password="another-pass",
                person_id=person["id"])
    # anonymous callers reach nothing but authenticate and ping
    with pytest.raises(Unauthenticated):
        call_as(anon, "org", "get_unit", id=tree["unitA"]["id"])
    call_as(admin, "org", "revoke_grant", grant_id=grant["id"])
    assert call_as(SYSTEM, "org", "get_account", account_id=acc["id"])["grants"] == []


def test_street_admin_cannot_make_city_admins_or_grant_elsewhere(tree):
    admin = user("street_admin", tree["streetA"]["path"])
    person = call_as(admin, "org", "create_person", name="钱七", unit_id=tree["communityA"]["id"])
    acc = call_as(admin, "org", "create_account", username="qianqi", password="s3cret-pass",
                  person_id=person["id"])
    with pytest.raises(Forbidden):
        call_as(admin, "org", "grant_role", account_id=acc["id"], role="city_admin",
                unit_id=tree["streetA"]["id"])
    with pytest.raises(NotFound):
        call_as(admin, "org", "grant_role", account_id=acc["id"], role="grid_worker",
                unit_id=tree["communityB"]["id"])
