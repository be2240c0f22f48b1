"""A person's phone is masked on every read but the audited reveal (issue 7, point 9;
DOMAIN-RULES §6): single reads, the answers of writes, and a resident's record."""
import pytest
from sqlalchemy import text

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

PHONE, MASKED = "13912345678", "139****5678"


def user(role, path, account_id="acc"):
    return Principal(kind="user", account_id=account_id, grants=(Grant(role, path),))


@pytest.fixture
def person(tree):
    worker = user("community_worker", tree["communityA"]["path"])
    return call_as(worker, "org", "create_person", name="掩码甲", phone=PHONE,
                   unit_id=tree["unitA"]["id"])


def reveals(org_db, person_id):
    with engine_for(org_db).connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'person.reveal' "
                                 "AND entity_id = :i"), {"i": person_id}).scalar()


@pytest.mark.parametrize("role", ["volunteer", "grid_worker", "lawyer", "community_worker",
                                  "street_admin", "auditor"])
def test_a_single_read_masks_the_phone_for_every_staff_role(tree, person, role):
    got = call_as(user(role, tree["streetA"]["path"]), "org", "get_person", id=person["id"])
    assert got["phone"] == MASKED


def test_writes_answer_with_the_phone_masked(tree, person):
    assert person["phone"] == MASKED                       # create
    worker = user("community_worker", tree["communityA"]["path"])
    patched = call_as(worker, "org", "update_person", id=person["id"], gender="female")
    assert patched["phone"] == MASKED                      # a write that did not touch it


def test_moving_a_known_person_in_does_not_show_their_phone(tree, person):
    worker = user("community_worker", tree["communityA"]["path"])
    resident = call_as(worker, "org", "move_in", unit_id=tree["unitA"]["id"],
                       person_id=person["id"], relation="tenant")
    assert resident["phone"] == MASKED


def test_the_reveal_stays_the_one_unmasked_read_and_is_audited(tree, person, org_db):
    before = reveals(org_db, person["id"])
    worker = user("community_worker", tree["communityA"]["path"])
    assert call_as(worker, "org", "reveal_person", id=person["id"],
                   reason="核实联系方式")["phone"] == PHONE
    assert reveals(org_db, person["id"]) == before + 1
