"""The demo seed on org's demo data (org and legal running on a private vhost): every
page gets something, a second run creates nothing, and its JSON names what the bench and
the browser tests need."""
import os
from contextlib import ExitStack

import pytest

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as, private_vhost, running_services, wait_for_ping

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE_DIR = os.path.dirname(os.path.dirname(HERE))
ORG_MIGRATIONS = os.path.join(os.path.dirname(SERVICE_DIR), "org", "migrations")


@pytest.fixture(scope="module")
def seeded(make_database):
    from org.seed import seed as org_seed
    from org.service import OrgService

    from legal.service import LegalService

    with private_vhost("fazhi-legal-seed"), pytest.MonkeyPatch.context() as mp, \
            ExitStack() as stack:
        for name in ("ORG", "LEGAL"):
            mp.delenv(f"{name}_DATABASE_URL", raising=False)
        org_url = make_database("org", ORG_MIGRATIONS)
        make_database("legal", os.path.join(SERVICE_DIR, "migrations"))
        stack.enter_context(running_services(OrgService, LegalService))
        wait_for_ping("org")
        wait_for_ping("legal")
        org_seed(org_url)
        from legal.seed import seed
        yield seed(), seed()


def test_the_seed_makes_every_page_something_and_runs_once(seeded):
    first, second = seeded
    assert first["created"] == {"literates": 3, "rosters": 2, "lists": 4}
    assert second["created"] == {}
    assert {k: v for k, v in first.items() if k != "created"} == \
        {k: v for k, v in second.items() if k != "created"}
    system = Principal.system()
    compound = first["compound_id"]
    coverage = call_as(system, "legal", "coverage", unit_id=compound)
    [c] = coverage["compounds"]
    # org's demo garage (地下车库) is a building of the tree too: legal cannot tell it apart
    assert c["buildings"] == 4 and [b["name"] for b in c["uncovered"]] == ["3幢", "地下车库"]
    duty = call_as(system, "legal", "duty_now", compound_id=compound)
    assert duty["compound_id"] == compound
    roster = call_as(system, "legal", "get_roster", id=first["roster_id"])
    assert roster["status"] == "published" and len(roster["shifts"]) == 41
    assert call_as(system, "legal", "list_bookings")["items"]
    assert call_as(system, "legal", "list_consultations")["items"][0]["status"] == "completed"
    assert call_as(system, "legal", "get_convention", compound_id=compound)["version"] == 1
    report = call_as(system, "legal", "training_report", unit_id=compound, year=2026)
    assert [x["below_minimum"] for x in report["lines"]].count(True) == 1
    assert first["literate_id"] and first["shift_id"] and first["resident"] == "resident"
