"""Org down while notice is given: 503, and nothing half-written (the matter stays a draft,
no electorate entry, no event).

This module stops the session's org service and leaves it stopped: an in-process nameko
service does not stop cleanly a second time after a restart, so it runs last (the file
name keeps it last in the directory)."""
import pytest
from sqlalchemy import text

from fazhi_shared.errors import DeadlineExceeded, ServiceUnavailable
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as

from .conftest import import_compound, owner_rows, user, wait_for_compound


def rows(db, sql, **params):
    with engine_for(db).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


@pytest.fixture(scope="module")
def compound(city, databases):
    c = import_compound(city, "停机小区", owner_rows(["70.00"] * 5, 31))
    wait_for_compound(databases["deliberation"], c["id"])
    return c


@pytest.fixture(scope="module")
def worker(city):
    return user("community_worker", city["community"]["path"])


def test_notice_while_org_is_down_fails_cleanly(org, worker, compound, databases):
    matter = call_as(worker, "deliberation", "create_matter", compound_id=compound["id"],
                     title="修改议事规则", category="rules_of_procedure",
                     items=[{"title": "修改业主大会议事规则"}])
    db = databases["deliberation"]
    before = rows(db, "SELECT (SELECT count(*) FROM outbox) AS outbox, "
                  "(SELECT count(*) FROM electorate_entries) AS entries")
    org.stop()                      # for the rest of the session (see the module doc)
    with pytest.raises((ServiceUnavailable, DeadlineExceeded)) as info:
        call_as(worker, "deliberation", "give_notice", timeout=3, matter_id=matter["id"])
    assert info.value.status == 503
    after = rows(db, "SELECT (SELECT count(*) FROM outbox) AS outbox, "
                 "(SELECT count(*) FROM electorate_entries) AS entries")
    assert after == before
    [m] = rows(db, "SELECT status, total_owners, noticed_on FROM matters WHERE id = :i",
               i=matter["id"])
    assert m == {"status": "draft", "total_owners": None, "noticed_on": None}
