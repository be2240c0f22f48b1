"""Units as legal sees them: the unit-tree read model (fed by org's events), never org's
tables. Paths and names of compounds and buildings, and refusals naming the field."""
from __future__ import annotations

from sqlalchemy import select

from fazhi_shared.errors import NotFound, ValidationFailed
from fazhi_shared.service.scope import under

from legal.models import tables

UNITS = tables.unit_tree
KIND_ZH = {"city": "市", "street": "街道", "community": "社区", "compound": "小区",
           "building": "楼栋", "unit": "房屋"}


def unit(session, unit_id: str) -> dict | None:
    row = session.execute(select(UNITS).where(UNITS.c.id == unit_id)).first()
    return dict(row._mapping) if row else None


def require_unit(session, unit_id: str, kinds=None, field: str = "unit_id") -> dict:
    """The unit, or 404 when legal does not know it; a unit of another kind is a 422
    naming ``field``."""
    found = unit(session, unit_id)
    if found is None:
        raise NotFound()
    if kinds and found["kind"] not in kinds:
        wanted = "、".join(KIND_ZH[k] for k in kinds)
        raise ValidationFailed.for_field(field, f"须为{wanted}。",
                                         f"Must be a {' or '.join(kinds)}.")
    return found


def compound(session, compound_id: str, field: str = "compound_id") -> dict:
    return require_unit(session, compound_id, ("compound",), field)


def names(session, unit_ids) -> dict:
    ids = list(set(unit_ids))
    if not ids:
        return {}
    return dict(session.execute(select(UNITS.c.id, UNITS.c.name)
                                .where(UNITS.c.id.in_(ids))).all())


def below(session, path: str, kind: str) -> list[dict]:
    """Units of ``kind`` at or under ``path``, by name."""
    rows = session.execute(select(UNITS).where(under(UNITS.c.path, path), UNITS.c.kind == kind)
                           .order_by(UNITS.c.name, UNITS.c.id)).all()
    return [dict(r._mapping) for r in rows]


def buildings_of(session, compound_row: dict, building_ids) -> list[dict]:
    """The given buildings, each checked to lie in the compound (else 422 naming
    ``building_ids``)."""
    out = []
    for bid in dict.fromkeys(building_ids):
        b = unit(session, bid)
        if b is None or b["kind"] != "building" or not b["path"].startswith(
                compound_row["path"] + "/"):
            raise ValidationFailed.for_field("building_ids", "楼栋不属于该小区。",
                                             "A building is not in the compound.")
        out.append(b)
    return out
