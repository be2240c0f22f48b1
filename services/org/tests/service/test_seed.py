"""The demo seed: idempotent, and its compounds show different "five haves"."""
import os

from sqlalchemy import func, select

from fazhi_shared.context import Principal
from fazhi_shared.service.db import transaction

from fazhi_org_contract import schemas as s

from org.organisation import five_haves
from org.models import Account, Unit
from org.seed import seed

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "migrations")


def test_seed_twice_creates_once_with_gaps_to_show(make_database):
    url = make_database("orgseed", MIGRATIONS)
    first = seed(url)
    assert first == {"units": 94, "accounts": 15, "bodies": 7}
    assert seed(url) == {"units": 0, "accounts": 0, "bodies": 0}
    with transaction(url) as session:
        assert session.execute(select(func.count()).select_from(Account)).scalar() == 15
        city = session.execute(select(Unit).where(Unit.kind == "city")).scalar_one()
        report = five_haves.five_haves_coverage(
            session, Principal.system(), s.CoverageQuery().load({"unit_id": city.id}))
    by_name = {c["name"]: c for c in report["compounds"]}
    assert by_name["阳光花园"]["lacking"] == []
    assert set(by_name["滨江小区"]["lacking"]) == {"owners_committee", "party_group",
                                                "mediation_committee"}
    assert len(by_name["鼓楼新村"]["lacking"]) == 5


def test_the_demo_seed_refuses_to_run_outside_development_mode():
    import subprocess
    import sys

    env = {**os.environ, "FAZHI_DEV_MODE": "false"}
    out = subprocess.run([sys.executable, "-m", "org.seed"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode != 0
    assert "FAZHI_DEV_MODE" in out.stderr and "created" not in out.stdout
