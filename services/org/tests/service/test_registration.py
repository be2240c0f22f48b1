"""Residents register with a phone code and are confirmed; staff act on their behalf;
admins reset passwords and disable accounts. All audited."""
import re

import pytest
from sqlalchemy import text

from fazhi_shared import delivery
from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from fazhi_shared.service.testing import call_as

ANON = Principal.anonymous()
SYSTEM = Principal.system()


def user(role, path, account_id=None, person_id=None):
    return Principal(kind="user", account_id=account_id, person_id=person_id,
                     grants=(Grant(role, path),))


def code_for(phone):
    return re.search(r"验证码是(\d{6})", delivery.last_text_to(phone)).group(1)


def test_resident_registers_and_is_confirmed(tree, org_db):
    phone = "13900000001"
    assert call_as(ANON, "org", "request_phone_code", phone=phone)["sent"] is True
    with pytest.raises(Conflict):       # one code a minute
        call_as(ANON, "org", "request_phone_code", phone=phone)
    with pytest.raises(ValidationFailed) as info:
        call_as(ANON, "org", "register_resident", phone=phone, code="000000", name="居民甲",
                password="resident-pass", unit_id=tree["unitA"]["id"], relation="tenant")
    assert "code" in info.value.fields["zh"]
    result = call_as(ANON, "org", "register_resident", phone=phone, code=code_for(phone),
                     name="居民甲", password="resident-pass", unit_id=tree["unitA"]["id"],
                     relation="tenant")
    account, claim = result["account"], result["claim"]
    assert account["username"] == phone and account["grants"] == []
    assert claim["status"] == "pending" and claim["unit_id"] == tree["unitA"]["id"]
    # the code is single-use
    with pytest.raises(ValidationFailed):
        call_as(ANON, "org", "register_resident", phone="13900000009", code=code_for(phone),
                name="x", password="resident-pass", unit_id=tree["unitA"]["id"],
                relation="tenant")
    # staff of another street cannot see or decide the claim
    other = user("community_worker", tree["communityB"]["path"])
    assert claim["id"] not in {c["id"] for c in call_as(other, "org", "list_resident_claims",
                                                         status="pending")["items"]}
    with pytest.raises(NotFound):
        call_as(other, "org", "decide_resident_claim", claim_id=claim["id"], decision="confirm")
    # the compound's owners' committee confirms
    committee = user("owners_committee", tree["compoundA"]["path"], account_id="oc-1")
    pending = call_as(committee, "org", "list_resident_claims", status="pending")["items"]
    assert claim["id"] in {c["id"] for c in pending}
    decided = call_as(committee, "org", "decide_resident_claim", claim_id=claim["id"],
                      decision="confirm")
    assert decided["status"] == "confirmed"
    with pytest.raises(Conflict):
        call_as(committee, "org", "decide_resident_claim", claim_id=claim["id"],
                decision="reject")
    logged = call_as(ANON, "org", "authenticate", username=phone, password="resident-pass")
    assert [(g["role"], g["unit_id"]) for g in logged["grants"]] == [("resident",
                                                                      tree["unitA"]["id"])]
    with engine_for(org_db).connect() as conn:
        assert conn.execute(text("SELECT relation FROM residencies WHERE person_id = :p"),
                            {"p": account["person_id"]}).scalar() == "tenant"


def test_wrong_codes_run_out(tree):
    phone = "13900000002"
    call_as(ANON, "org", "request_phone_code", phone=phone)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            call_as(ANON, "org", "register_resident", phone=phone, code="999999", name="乙",
                    password="resident-pass", unit_id=tree["unitA"]["id"], relation="tenant")
    with pytest.raises(ValidationFailed):   # even the right code is refused now
        call_as(ANON, "org", "register_resident", phone=phone, code=code_for(phone), name="乙",
                password="resident-pass", unit_id=tree["unitA"]["id"], relation="tenant")


def test_volunteer_registers_an_elderly_resident_on_their_behalf(tree, org_db):
    volunteer = user("volunteer", tree["compoundA"]["path"], account_id="vol-1",
                     person_id="vol-person")
    result = call_as(volunteer, "org", "register_resident_for", name="老人丙",
                     unit_id=tree["unitA"]["id"], relation="owner_occupier",
                     note="老人不会用手机，上门登记")
    errand, claim = result["errand"], result["claim"]
    assert errand["actor_account_id"] == "vol-1"
    assert errand["resident_person_id"] == claim["person_id"]
    assert errand["ref_id"] == claim["id"]
    with engine_for(org_db).connect() as conn:
        row = conn.execute(text("SELECT actor_account_id, on_behalf_of FROM audit_log "
                                "WHERE entity_id = :c"), {"c": claim["id"]}).one()
    assert row.actor_account_id == "vol-1" and row.on_behalf_of == claim["person_id"]
    later = call_as(volunteer, "org", "record_errand", resident_person_id=claim["person_id"],
                    action="代交物业报修", note="厨房漏水")
    listed = call_as(volunteer, "org", "list_errands", resident_person_id=claim["person_id"])
    assert [e["id"] for e in listed["items"]] == [errand["id"], later["id"]]
    with pytest.raises(Forbidden):       # a lawyer is no errand runner
        call_as(user("lawyer", tree["compoundA"]["path"]), "org", "record_errand",
                resident_person_id=claim["person_id"], action="x")


def test_admin_resets_password_and_disables(tree, org_db):
    admin = user("street_admin", tree["streetA"]["path"], account_id="adm")
    person = call_as(admin, "org", "create_person", name="孙八", unit_id=tree["communityA"]["id"])
    acc = call_as(admin, "org", "create_account", username="sunba", password="first-pass",
                  person_id=person["id"])
    reset = call_as(admin, "org", "reset_password", account_id=acc["id"],
                    new_password="second-pass")
    assert reset["password_changed_at"] is not None
    with pytest.raises(Unauthenticated):
        call_as(ANON, "org", "authenticate", username="sunba", password="first-pass")
    call_as(ANON, "org", "authenticate", username="sunba", password="second-pass")
    call_as(admin, "org", "set_account_disabled", account_id=acc["id"], disabled=True)
    with pytest.raises(Unauthenticated):
        call_as(ANON, "org", "authenticate", username="sunba", password="second-pass")
    call_as(admin, "org", "set_account_disabled", account_id=acc["id"], disabled=False)
    me = user("community_worker", tree["communityA"]["path"], account_id=acc["id"])
    call_as(me, "org", "change_password", old_password="second-pass", new_password="third-pass")
    with pytest.raises(Unauthenticated):
        call_as(me, "org", "change_password", old_password="wrong", new_password="fourth-pass")
    assert acc["id"] in {a["id"] for a in call_as(admin, "org", "list_accounts",
                                                   q="sunba")["items"]}
    other_admin = user("street_admin", tree["streetB"]["path"])
    with pytest.raises(NotFound):
        call_as(other_admin, "org", "reset_password", account_id=acc["id"],
                new_password="hijack-pass")
    with engine_for(org_db).connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log WHERE entity_id = :a "
                                    "ORDER BY at"), {"a": acc["id"]}).scalars().all()
    assert actions == ["account.create", "account.reset_password", "account.login",
                       "account.disable", "account.enable", "account.change_password"]
