"""The demo seed against org's demo data: places the bench's placeholder cases, writes a
year of history and the worked cases through the use cases, prints ids the bench and
the browser tests use; a second run creates nothing."""
from sqlalchemy.orm import Session

from fazhi_shared.service.db import engine_for


def test_the_seed_is_idempotent_and_places_the_bench_cases(world, flows, monkeypatch):
    from org.config import DATABASE_URL as ORG_DB
    from org.seed import seed as org_seed

    from disputes import seed, volume

    monkeypatch.setenv("FAZHI_DEV_MODE", "true")
    org_seed(ORG_DB.get())
    with Session(engine_for(world.db)) as session, session.begin():
        assert volume.bench_load(session, 300) == 300
    first = seed.seed(world.db)
    assert first["created"]["adopted"] == 300
    assert first["created"]["history"] == seed.HISTORY and first["created"]["worked"] == 4
    assert set(first["compounds"]) == set(seed.DEMO_COMPOUNDS)
    again = seed.seed(world.db)
    assert again["created"] == {"adopted": 0, "history": 0, "worked": 0}
    assert {k: again[k] for k in ("case_id", "campaign_id", "resident_case_id")} == \
        {k: first[k] for k in ("case_id", "campaign_id", "resident_case_id")}
    [row] = flows.rows(world.db, "SELECT count(*) AS n FROM cases WHERE path LIKE :p",
                       p=f"/{volume.PLACEHOLDER_CITY}/%")
    assert row["n"] == 0
    leak = world.api["admin"].ok("GET", f"/cases/{first['case_id']}")
    assert leak["state"] == "followed_up" and leak["confirmation"]["offered"]
    check = world.api["auditor"].ok("GET", f"/cases/{first['case_id']}/chain-check")
    assert check["ok"] and check["entries"] >= 7
    stats = world.api["admin"].ok("GET", "/statistics", from_month=first["from_month"],
                                  to_month=first["to_month"])
    assert stats["registered"] >= 300 + seed.HISTORY
    assert len(stats["by_month"]) >= 12
