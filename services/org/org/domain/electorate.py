"""Pure rules of owners' votes: each unit's area and who counts once (DOMAIN-RULES §1).

SPC interpretation on building ownership:

- art. 8 — a unit's exclusive area is the registered area; if none, the surveyed area;
  if none, the sales-contract area. Which source was used is kept.
- art. 9 — headcount: one exclusive part is one owner; an owner of several units counts
  once with all their area; the developer's unsold units together count once; co-owners
  of a unit count once, through the voter they name.

Areas are integers in 0.01 m² (never floats: the art. 278 thresholds compare exactly).
No database here: the registry loads rows and calls these functions. Codes and the
area limit come from the contract's vocabulary.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fazhi_org_contract import vocabulary
from fazhi_org_contract.vocabulary import MAX_AREA

REGISTERED, SURVEYED, CONTRACT = "registered", "surveyed", "contract"
AREA_SOURCES = tuple(vocabulary.AREA_SOURCES.codes)   # in order of precedence (art. 8)
PERSON, ORGANISATION, DEVELOPER = "person", "organisation", "developer"
OWNER_KINDS = tuple(vocabulary.OWNER_KINDS.codes)


class AreaFormatError(ValueError):
    """A written area is not usable; ``code`` is not_number / too_many_decimals /
    not_positive / too_large."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def area_from_decimal(value) -> int:
    """Square metres as written (``"89.35"``, ``89``, a spreadsheet float) → 0.01 m² integer.

    Exact: goes through ``Decimal`` and refuses a third decimal instead of rounding. A
    float from a spreadsheet cell is read by its shortest repr (``89.3``, not
    ``89.2999…``), which is what the user typed.
    """
    if isinstance(value, bool):
        raise AreaFormatError("not_number")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().removesuffix("㎡").removesuffix("m²").strip()
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AreaFormatError("not_number") from None
    if not amount.is_finite():
        raise AreaFormatError("not_number")
    centi = amount * 100
    if centi != centi.to_integral_value():
        raise AreaFormatError("too_many_decimals")
    if centi <= 0:
        raise AreaFormatError("not_positive")
    if centi > MAX_AREA:
        raise AreaFormatError("too_large")
    return int(centi)


def area_to_decimal(area: int | None) -> Decimal | None:
    """0.01 m² integer → exact square metres with two decimals (``8935`` → ``89.35``)."""
    if area is None:
        return None
    return Decimal(area).scaleb(-2).quantize(Decimal("0.01"))


def _check_area(value, name: str) -> None:
    # bool is an int subclass: True must not pass as 0.01 m².
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer in 0.01 m², got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def effective_area(registered: int | None, surveyed: int | None,
                   contract: int | None) -> tuple[int | None, str | None]:
    """``(area, source)`` by art. 8 precedence; ``(None, None)`` when no area is known.

    A zero is treated as "not recorded": no dwelling has zero exclusive area, and spreadsheets
    often carry 0 for a blank, which must not hide the next source.
    """
    for value, source, name in ((registered, REGISTERED, "registered"),
                                (surveyed, SURVEYED, "surveyed"),
                                (contract, CONTRACT, "contract")):
        _check_area(value, name)
        if value:
            return value, source
    return None, None


@dataclass(frozen=True)
class Holding:
    """One ownership row valid at the electorate's moment: ``owner`` holds ``unit``.

    Co-owners of a unit give several holdings of the same unit, exactly one with
    ``is_voter``. ``area`` is the unit's exclusive area (None when unknown).
    ``voter_person_id``: the person who votes for the owner — the owner themself, or an
    organisation's / the developer's designated representative (None if not recorded).
    """
    unit_id: str
    area: int | None
    owner_id: str
    owner_name: str
    owner_kind: str
    is_voter: bool = True
    voter_person_id: str | None = None
    building_id: str | None = None
    is_parking: bool = False


class ElectorateError(ValueError):
    """The ownership rows break an invariant (a co-owned unit without exactly one voter)."""


class OwnerSetError(ValueError):
    """A unit's new owners are not a valid set; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code        # no_owner / duplicate_owner / no_voter / many_voters


def voter_of(shares) -> str:
    """The voter among a unit's owners, given ``(owner_id, is_voter)`` pairs.

    A sole owner is the voter (``is_voter`` may be None or True, not False). Co-owners
    must name exactly one voter (art. 9: they count once).
    """
    shares = list(shares)
    if not shares:
        raise OwnerSetError("no_owner")
    ids = [owner_id for owner_id, _ in shares]
    if len(set(ids)) != len(ids):
        raise OwnerSetError("duplicate_owner")
    if len(shares) == 1:
        owner_id, is_voter = shares[0]
        if is_voter is False:
            raise OwnerSetError("no_voter")
        return owner_id
    named = [owner_id for owner_id, is_voter in shares if is_voter]
    if not named:
        raise OwnerSetError("no_voter")
    if len(named) > 1:
        raise OwnerSetError("many_voters")
    return named[0]


def _voters_by_unit(holdings) -> dict:
    """unit_id → the one holding that votes for it (co-owners count once, art. 9)."""
    by_unit: dict = {}
    for h in holdings:
        by_unit.setdefault(h.unit_id, {})[h.owner_id] = h   # duplicates of a row count once
    voters = {}
    for unit_id, owners in by_unit.items():
        if len(owners) == 1:
            voters[unit_id] = next(iter(owners.values()))
            continue
        named = [h for h in owners.values() if h.is_voter]
        if len(named) != 1:
            raise ElectorateError(
                f"unit {unit_id} has {len(owners)} co-owners and {len(named)} voters")
        voters[unit_id] = named[0]
    return voters


def electorate(holdings) -> dict:
    """Each voting owner once, with the units and total area they vote for.

    Returns ``{"owners": [{owner_id, name, kind, unit_ids, area, heads, voter_person_id,
    units}], "total_area", "total_owners", "units_without_area"}``; owners in id order,
    unit ids sorted, ``units`` (``{unit_id, building_id, area, is_parking}``) in the
    order of ``unit_ids``. Every entry has ``heads`` 1. All the developer's units form one
    entry (even if the rows name more than one developer record) under the smallest
    developer owner id, voted by that record's representative (else another's).
    """
    voters = _voters_by_unit(holdings)
    developer_ids = sorted({h.owner_id for h in voters.values() if h.owner_kind == DEVELOPER})
    entries: dict = {}
    missing = []
    for unit_id, h in voters.items():
        _check_area(h.area, "area")
        key = developer_ids[0] if h.owner_kind == DEVELOPER else h.owner_id
        entry = entries.setdefault(key, {"owner_id": key, "name": h.owner_name,
                                         "kind": h.owner_kind, "unit_ids": [], "area": 0,
                                         "heads": 1, "voter_person_id": h.voter_person_id,
                                         "units": []})
        if h.owner_id == key:           # the entry is named after the record it is keyed by
            entry["name"] = h.owner_name
            entry["voter_person_id"] = h.voter_person_id or entry["voter_person_id"]
        entry["voter_person_id"] = entry["voter_person_id"] or h.voter_person_id
        entry["unit_ids"].append(unit_id)
        entry["units"].append({"unit_id": unit_id, "building_id": h.building_id,
                               "area": h.area or None, "is_parking": h.is_parking})
        entry["area"] += h.area or 0
        if not h.area:
            missing.append(unit_id)
    owners = sorted(entries.values(), key=lambda e: e["owner_id"])
    for e in owners:
        e["unit_ids"].sort()
        e["units"].sort(key=lambda u: u["unit_id"])
    return {"owners": owners, "total_area": sum(e["area"] for e in owners),
            "total_owners": len(owners), "units_without_area": sorted(missing)}
