"""Demo data: a city with two streets, their communities, compounds, buildings and units,
people, and one login per role; 阳光花园's registry (areas, parking spaces, owners — one of
three units, co-owners, an organisation and the developer with their representatives —
and a sale), so an owners' vote has an electorate. Idempotent: running it again changes
nothing.

``python -m org.seed`` (``make run`` does it). Writes through the same use cases as the
RPC methods, so every change is audited and its event goes out through the outbox.
"""
from __future__ import annotations

from fazhi_shared.service.green import quiet

quiet()

import json  # noqa: E402
import sys  # noqa: E402

from sqlalchemy import select  # noqa: E402

from fazhi_shared.context import Principal  # noqa: E402
from fazhi_shared.service.db import transaction  # noqa: E402
from fazhi_shared.service.outbox import Outbox  # noqa: E402

from org import accounts, people, registry, units  # noqa: E402
from fazhi_org_contract import schemas as s  # noqa: E402
from org.config import DATABASE_URL  # noqa: E402
from org.models import Account, CompoundBody, Owner, Person, Unit, tables  # noqa: E402
from org.samples import DEVELOPER, id_number  # noqa: E402
from org.organisation import bodies, party  # noqa: E402

DEMO_PASSWORD = "Fazhi2026!"
SYSTEM = Principal.system("seed")

# street → communities → compounds; every compound gets 3 buildings of 2 floors × 3 units
STREETS = {
    "济川街道": {"阳光社区": ["阳光花园", "滨江小区"], "鼓楼社区": ["鼓楼新村"]},
    "黄桥镇": {"东街社区": ["东街公寓"]},
}

# username, role, where (street index / "community" / "compound" / "unit"), display name
LOGINS = [
    ("city_admin", "city_admin", "city", "王市管"),
    ("street_admin", "street_admin", "street", "李街道"),
    ("street_admin_b", "street_admin", "street_b", "周镇长"),
    ("judicial_staff", "judicial_staff", "street", "陈司法"),
    ("community_worker", "community_worker", "community", "张社工"),
    ("community_worker_b", "community_worker", "community_b", "吴社工"),
    ("grid_worker", "grid_worker", "compound", "刘网格"),
    ("property_staff", "property_staff", "compound", "赵物业"),
    ("owners_committee", "owners_committee", "compound", "孙业委"),
    ("lawyer", "lawyer", "compound", "钱律师"),
    ("legal_literate", "legal_literate", "building", "郑明白"),
    ("mediator", "mediator", "compound", "冯调解"),
    ("assessor", "assessor", "street", "秦陪审"),
    ("volunteer", "volunteer", "compound", "褚志愿"),
    ("auditor", "auditor", "city", "卫审计"),
    ("resident", "resident", "unit", "蒋居民"),
]


def _unit(session, outbox, parent, kind, name):
    found = session.execute(select(Unit).where(
        Unit.parent_id == (parent.id if parent else None), Unit.kind == kind,
        Unit.name == name)).scalar()
    if found:
        return found, False
    return units.create_unit(session, outbox, SYSTEM, {
        "parent_id": parent.id if parent else None, "kind": kind, "name": name}), True


def _organise(session, outbox, compounds: dict) -> int:
    """Give the demo compounds different "five haves", so the coverage report has gaps to
    show: 阳光花园 has all five, 滨江小区 a property company and a venue, the rest none."""
    sunny = compounds.get("阳光花园")
    if sunny is None or session.execute(select(CompoundBody.id).where(
            CompoundBody.compound_id == sunny.id)).first():
        return 0
    def person(name, gender):
        return people.create_person(session, outbox, SYSTEM, {
            "name": name, "unit_id": sunny.id, "phone": None, "id_number": None,
            "gender": gender})["id"]
    chair, member_f, member_m = person("严调解", "male"), person("华调解", "female"), \
        person("金调解", "male")
    today = "2026-01-01"
    run = [
        (bodies.set_up_property_company, s.PropertyCompanySetUp, {
            "compound_id": sunny.id, "name": "阳光物业服务有限公司", "contract_start": today,
            "contract_end": "2028-12-31"}),
        (bodies.set_up_owners_committee, s.OwnersCommitteeSetUp, {
            "compound_id": sunny.id, "term_start": today, "term_end": "2030-12-31",
            "members": [{"person_id": chair, "position": "chair"},
                        {"person_id": member_f}, {"person_id": member_m}]}),
        (bodies.set_up_mediation_committee, s.MediationCommitteeSetUp, {
            "compound_id": sunny.id, "term_start": today,
            "members": [{"person_id": chair, "position": "chair"},
                        {"person_id": member_f}, {"person_id": member_m}]}),
        (bodies.set_up_deliberation_venue, s.DeliberationVenueSetUp, {
            "compound_id": sunny.id, "name": "法律之家", "address": "阳光花园3幢一楼",
            "opening_hours": "周一至周五 9:00–17:00"}),
    ]
    riverside = compounds.get("滨江小区")
    if riverside is not None:
        run += [
            (bodies.set_up_property_company, s.PropertyCompanySetUp, {
                "compound_id": riverside.id, "name": "滨江物业有限公司",
                "contract_start": today, "contract_end": "2027-06-30"}),
            (bodies.set_up_deliberation_venue, s.DeliberationVenueSetUp, {
                "compound_id": riverside.id, "name": "援法议事室", "address": "滨江小区物业楼",
                "opening_hours": "每周三 14:00–17:00"}),
        ]
    for use_case, schema, data in run:
        use_case(session, outbox, SYSTEM, schema().load(data))
    group = party.create_party_org(session, outbox, SYSTEM, s.PartyOrgCreate().load({
        "kind": "compound_group", "name": "阳光花园党小组", "unit_id": sunny.id}))
    party.add_party_member(session, outbox, SYSTEM, s.PartyMemberAdd().load({
        "party_org_id": group["id"], "person_id": chair, "show_identity": True}))
    return len(run) + 1


# 阳光花园's registry. Owners: (name, ID number's first 17 digits or None for the resident
# login 蒋居民, units as "building/unit"); co-owners share a unit, the first named votes.
PARKING_BUILDING, PARKING_SPACES, PARKING_AREA = "地下车库", ("P01", "P02", "P03"), 1250
PERSON_OWNERS = [
    ("蒋居民", None, ["1幢/101室"]),
    ("沈丽", "32128319820305002", ["1幢/102室"]),          # co-owners: 沈丽 votes
    ("韩强", "32128319800711003", ["1幢/102室"]),
    ("杨帆", "32128319750102001", ["1幢/103室", "2幢/101室", "地下车库/P01"]),
    ("许文", "32128319650808005", ["1幢/201室"]),
    ("何静", "32128319901111004", ["1幢/202室"]),
    ("吕明", "32128319581224007", ["1幢/203室"]),       # sells 1幢/203室 to 施雨 (below)
    ("施雨", "32128319950615008", []),
    ("孔代表", "32128319700420009", []),                 # represents the care centre
    ("朱代表", "32128319680930011", []),                 # represents the developer
]
ORGANISATION = ("泰兴市阳光养老服务中心", "52321283MJ0000001X", ["2幢/201室"], "孔代表")
DEVELOPER_UNITS = ["3幢/101室", "3幢/102室", "3幢/103室", "3幢/201室", "3幢/202室",
                   "3幢/203室", "地下车库/P02", "地下车库/P03"]
SINCE, SALE = "2025-06-01T09:00:00", "2026-03-01T10:00:00"


def _load(schema, data: dict) -> dict:
    return schema().load(data)


def _registry(session, outbox, sunny: Unit) -> int:
    """阳光花园's areas, parking spaces, owners and one sale; nothing if owners exist."""
    if sunny is None or session.execute(select(Owner.id).where(
            Owner.compound_id == sunny.id)).first():
        return 0
    homes = {}
    for building in session.execute(select(Unit).where(Unit.parent_id == sunny.id)).scalars():
        for unit in session.execute(select(Unit).where(Unit.parent_id == building.id)).scalars():
            homes[f"{building.name}/{unit.name}"] = unit
    for i, (key, unit) in enumerate(sorted(homes.items())):
        parking = key.startswith(PARKING_BUILDING)
        area = {"registered_area": PARKING_AREA} if parking else (
            {"contract_area": 9550} if i % 5 == 4 else {"registered_area": 8935 + 250 * i})
        registry.set_unit_area(session, outbox, SYSTEM, _load(s.UnitAreaSet, {
            "unit_id": unit.id, "is_parking": parking, **area}))
    owner_of, holdings = {}, {}
    for name, digits, held in PERSON_OWNERS:
        if digits is None:       # a demo login: the person already exists
            person_id = session.execute(select(Person.id).where(Person.name == name)).scalar()
            data = {"compound_id": sunny.id, "kind": "person", "person_id": person_id}
        else:
            data = {"compound_id": sunny.id, "kind": "person", "name": name,
                    "id_number": id_number(digits)}
        owner_of[name] = registry.create_owner(session, outbox, SYSTEM,
                                               _load(s.OwnerCreate, data))
        for key in held:
            holdings.setdefault(key, []).append(owner_of[name]["id"])
    org_name, credit_code, org_units, org_rep = ORGANISATION
    care = registry.create_owner(session, outbox, SYSTEM, _load(s.OwnerCreate, {
        "compound_id": sunny.id, "kind": "organisation", "name": org_name,
        "credit_code": credit_code}))
    developer = registry.create_owner(session, outbox, SYSTEM, _load(s.OwnerCreate, {
        "compound_id": sunny.id, "kind": "developer", "name": DEVELOPER}))
    for owner, rep in ((care, org_rep), (developer, "朱代表")):
        registry.set_owner_representative(session, outbox, SYSTEM, _load(
            s.OwnerRepresentativeSet, {"owner_id": owner["id"],
                                       "person_id": owner_of[rep]["person_id"]}))
    for key in org_units:
        holdings.setdefault(key, []).append(care["id"])
    for key in DEVELOPER_UNITS:
        holdings.setdefault(key, []).append(developer["id"])
    for key, owner_ids in holdings.items():
        registry.transfer_unit(session, outbox, SYSTEM, _load(s.UnitTransfer, {
            "unit_id": homes[key].id, "at": SINCE,
            "owners": [{"owner_id": o, "is_voter": i == 0} for i, o in enumerate(owner_ids)]}))
    registry.transfer_unit(session, outbox, SYSTEM, _load(s.UnitTransfer, {
        "unit_id": homes["1幢/203室"].id, "at": SALE,
        "owners": [{"owner_id": owner_of["施雨"]["id"]}]}))
    return len(holdings) + 1


def seed(url: str | None = None) -> dict:
    """Create what is missing; returns counts of what was created."""
    made = {"units": 0, "accounts": 0, "bodies": 0, "transfers": 0}
    by_name = {}
    outbox = Outbox("org", tables.outbox, request_id="seed")
    with transaction(url or DATABASE_URL.get()) as session:
        city, new = _unit(session, outbox, None, "city", "泰兴市")
        made["units"] += new
        where = {"city": city}
        for s_index, (street_name, communities) in enumerate(STREETS.items()):
            street, new = _unit(session, outbox, city, "street", street_name)
            made["units"] += new
            suffix = "" if s_index == 0 else "_b"
            where.setdefault(f"street{suffix}", street)
            for community_name, compounds in communities.items():
                community, new = _unit(session, outbox, street, "community", community_name)
                made["units"] += new
                where.setdefault(f"community{suffix}", community)
                for compound_name in compounds:
                    compound, new = _unit(session, outbox, community, "compound", compound_name)
                    made["units"] += new
                    by_name[compound_name] = compound
                    where.setdefault(f"compound{suffix}", compound)
                    for b in range(1, 4):
                        building, new = _unit(session, outbox, compound, "building", f"{b}幢")
                        made["units"] += new
                        where.setdefault(f"building{suffix}", building)
                        for floor in (1, 2):
                            for door in (1, 2, 3):
                                unit, new = _unit(session, outbox, building, "unit",
                                                  f"{floor}0{door}室")
                                made["units"] += new
                                where.setdefault(f"unit{suffix}", unit)
        sunny = by_name.get("阳光花园")
        if sunny is not None:
            garage, new = _unit(session, outbox, sunny, "building", PARKING_BUILDING)
            made["units"] += new
            for space in PARKING_SPACES:
                made["units"] += _unit(session, outbox, garage, "unit", space)[1]
        for username, role, place, display in LOGINS:
            if session.execute(select(Account.id).where(Account.username == username)).scalar():
                continue
            unit = where[place]
            person = people.create_person(session, outbox, SYSTEM, {
                "name": display, "unit_id": unit.id, "phone": None, "id_number": None,
                "gender": None})
            account = accounts.create_account(session, outbox, SYSTEM, {
                "username": username, "password": DEMO_PASSWORD, "person_id": person["id"]})
            accounts.grant_role(session, outbox, SYSTEM, {
                "account_id": account["id"], "role": role, "unit_id": unit.id})
            made["accounts"] += 1
        made["bodies"] = _organise(session, outbox, by_name)
        made["transfers"] = _registry(session, outbox, sunny)
    return made


def main() -> None:
    from fazhi_shared.config import DEV_MODE
    from fazhi_shared.service.runner import check_settings

    from org.config import SETTINGS

    # The demo's logins share a published password: never outside development mode
    # (a real deployment's first administrator comes from org.first_admin).
    if not DEV_MODE.get():
        sys.exit("org.seed makes demo logins with a published password; it runs only in "
                 "development mode (FAZHI_DEV_MODE=true).")
    check_settings(SETTINGS, "org")
    made = seed()
    with transaction(DATABASE_URL.get()) as session:
        compounds = dict(session.execute(select(Unit.name, Unit.id).where(
            Unit.kind == "compound").order_by(Unit.name)).all())
    json.dump({"created": made, "password": DEMO_PASSWORD,
               "logins": [u for u, *_ in LOGINS], "compounds": compounds},
              sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
