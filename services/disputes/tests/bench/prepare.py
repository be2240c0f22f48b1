"""``make bench``: 100,000 cases in the disputes database before the services start
(called by ``tests/bench/bench_gateway.py`` with the platform, after the migrations).

They lie under placeholder compounds (org's demo data does not exist yet); the demo seed
(``python -m disputes.seed``) places them in the demo compounds when it runs.
"""
from __future__ import annotations

import time

CASES = 100_000


def prepare(platform) -> None:
    from sqlalchemy.orm import Session

    from fazhi_shared.service.db import engine_for

    from disputes.volume import bench_load, vacuum

    url = platform.env["DISPUTES_DATABASE_URL"]
    started = time.monotonic()
    with Session(engine_for(url)) as session, session.begin():
        made = bench_load(session, CASES)
    vacuum(url)                                       # fresh statistics for the planner
    print(f"disputes: {made} cases loaded in {time.monotonic() - started:.1f} s")
