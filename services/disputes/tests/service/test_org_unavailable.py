"""org not answering: registering a case (whose parties org names) is a 503 and nothing
is written — no case, no log entry, no counter, no event. Here org does not run at all;
the unit tree is written directly, as org's bootstrap would."""
import os

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import DeadlineExceeded, ServiceUnavailable
from fazhi_shared.ids import new_id
from fazhi_shared.paths import LEVELS, child_path
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.testing import call_as, private_vhost, running_services, wait_for_ping

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "migrations")


@pytest.fixture(scope="module")
def lone(make_database):
    from fazhi_shared.service.events import apply_newer

    from disputes.models import tables
    from disputes.service import DisputesService

    with private_vhost("fazhi-disputes-lone") as _, pytest.MonkeyPatch.context() as mp:
        mp.delenv("DISPUTES_DATABASE_URL", raising=False)
        db = make_database("disputes", MIGRATIONS)
        parent, units = None, {}
        for kind in LEVELS:
            unit_id = new_id()
            units[kind] = parent = {"id": unit_id, "parent_id": parent and parent["id"],
                                    "kind": kind, "name": kind,
                                    "path": child_path(parent and parent["path"], unit_id),
                                    "version": 1}
        with Session(engine_for(db)) as session, session.begin():
            for row in units.values():
                apply_newer(session, tables.unit_tree, row)
        with running_services(DisputesService):
            wait_for_ping("disputes")
            yield db, units


def test_registering_without_org_is_503_and_writes_nothing(lone):
    db, units = lone
    admin = Principal(kind="user", person_id=new_id(), grants=(Grant("city_admin", units["city"]["path"]),))
    with pytest.raises((ServiceUnavailable, DeadlineExceeded)):
        call_as(admin, "disputes", "register_case", timeout=3, unit_id=units["compound"]["id"],
                source="grid_patrol", category="neighbours", description="楼道噪声",
                parties=[{"person_id": new_id(), "role": "applicant"}])
    with engine_for(db).connect() as conn:
        for table in ("cases", "case_log", "case_records", "stat_counters", "outbox"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
