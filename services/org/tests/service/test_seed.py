"""The demo seed: idempotent, and its compounds show different "five haves"."""
import os

from sqlalchemy import func, select

from fazhi_shared.context import Principal
from fazhi_shared.service.db import transaction

from fazhi_org_contract import schemas as s

from org import registry
from org.organisation import five_haves
from org.models import Account, Unit
from org.seed import seed

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "migrations")


def test_seed_twice_creates_once_with_gaps_to_show(make_database):
    url = make_database("orgseed", MIGRATIONS)
    first = seed(url)
    assert first == {"units": 98, "accounts": 16, "bodies": 7, "transfers": 18}
    assert seed(url) == {"units": 0, "accounts": 0, "bodies": 0, "transfers": 0}
    with transaction(url) as session:
        assert session.execute(select(func.count()).select_from(Account)).scalar() == 16
        city = session.execute(select(Unit).where(Unit.kind == "city")).scalar_one()
        report = five_haves.five_haves_coverage(
            session, Principal.system(), s.CoverageQuery().load({"unit_id": city.id}))
        sunny = session.execute(select(Unit).where(Unit.name == "阳光花园")).scalar_one()
        before_sale, now = (registry.electorate(session, Principal.system(), s.ElectorateQuery()
                                                .load({"compound_id": sunny.id, "as_of": t}))
                            for t in ("2026-02-01T00:00:00", None))
    # 蒋居民, 沈丽 (for the co-owners), 杨帆 (three units), 许文, 何静, the seller 吕明
    # before the sale / the buyer 施雨 after, the care centre, the developer: 8 heads
    assert before_sale["total_owners"] == now["total_owners"] == 8
    names = {e["name"] for e in now["owners"]}
    assert "施雨" in names and "吕明" not in names and "韩强" not in names
    assert "吕明" in {e["name"] for e in before_sale["owners"]}
    # every entry names who votes for it: owners themselves, representatives for the rest
    assert all(e["voter_person_id"] for e in now["owners"])
    parking = [u for e in now["owners"] for u in e["units"] if u["is_parking"]]
    assert len(parking) == 3 and {u["area"] for u in parking} == {1250}
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
