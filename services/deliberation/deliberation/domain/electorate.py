"""Freezing a matter's electorate from org's answer (``org.electorate``), pure.

org names each owner once with the area of all the units they vote for (SPC arts. 8–9:
co-owners as one through their named voter, the developer's unsold units as one) and,
per unit, its building, area and whether it is a parking space. This module turns that
answer into the voters of one matter: all owners, or only those sharing a part (their
units in the named buildings, with their own totals), or art. 279's other owners of the
building; parking spaces counted or not by the local rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from fazhi_shared.errors import Conflict

from deliberation.domain.votes import Entry, UnitShare, voters_of


@dataclass(frozen=True)
class FrozenEntry:
    owner_id: str
    voter_person_id: str | None
    name: str
    kind: str
    area: int
    units: list          # [{unit_id, name, building_id, area, parking}]


def _units_of(owner: dict, names: dict) -> list[dict]:
    given = owner.get("units")
    if given:
        return [{"unit_id": u.get("unit_id") or u.get("id"),
                 "name": u.get("name") or names.get(u.get("unit_id") or u.get("id"), {}).get("name"),
                 "building_id": u.get("building_id"),
                 "area": u.get("area"),
                 "parking": bool(u.get("parking") or u.get("is_parking"))} for u in given]
    unit_ids = owner.get("unit_ids") or []
    single = len(unit_ids) == 1
    return [{"unit_id": i, "name": names.get(i, {}).get("name"),
             "building_id": names.get(i, {}).get("building_id"),
             "area": owner.get("area") if single else None, "parking": False}
            for i in unit_ids]


def freeze(answer: dict, building_ids: list | None = None, exclude_unit_id: str | None = None,
           count_parking: bool = True) -> list[FrozenEntry]:
    """The voters of a matter from org's electorate answer. ``building_ids``: a part
    shared by the owners of these buildings (or art. 279's building); ``exclude_unit_id``:
    art. 279's home, whose owner does not vote."""
    if exclude_unit_id and not building_ids:
        raise ValueError("art. 279 needs the building of the home")
    names = {u["id"]: u for u in answer.get("unit_names") or []}
    owners = answer.get("owners") or []
    entries, by_id = [], {}
    for owner in owners:
        units = _units_of(owner, names)
        by_id[owner["owner_id"]] = (owner, units)
        need_unit_areas = bool(building_ids) or not count_parking
        if need_unit_areas and any(u["area"] is None for u in units):
            raise Conflict("组织服务未提供各房屋的面积，无法计算部分业主的表决权。",
                           "org gave no per-unit areas: the owners of a part cannot be "
                           "counted.")
        entries.append(Entry(owner["owner_id"], tuple(
            UnitShare(u["unit_id"], u["building_id"], u["area"] or 0, u["parking"])
            for u in units)))
    if not building_ids and count_parking:
        voters = [(o["owner_id"], int(o["area"])) for o in owners]
    else:
        voters = [(v.entry_id, v.area) for v in voters_of(
            entries, building_ids, exclude_unit_id, count_parking)]
    out = []
    keep = set(building_ids) if building_ids else None
    for owner_id, area in voters:
        owner, units = by_id[owner_id]
        shown = [u for u in units if keep is None or u["building_id"] in keep]
        out.append(FrozenEntry(owner_id, owner.get("voter_person_id") or owner.get("person_id"),
                               owner.get("name") or "", owner.get("kind") or "person", area,
                               shown))
    return out


def mask_name(name: str) -> str:
    """A name as the public voter roll shows it: the surname and a mark (``张*``, ``欧阳**``
    stays ``欧*``); an organisation's name is shown whole."""
    if not name:
        return ""
    if len(name) > 4:          # organisations and developers
        return name
    return name[0] + "*" * (len(name) - 1)
