"""Scope and visibility: the one rule for who may see a record.

A record has a unit path and a visibility class:

- ``staff``   — staff roles whose grant covers the path;
- ``parties`` — additionally the people who are parties to it (their cases, ballots…);
- ``public``  — additionally residents of the compound the path lies in.

Staff always see what lies under their grants. :func:`can_see` is the pure rule;
:func:`scope_clause` is the same rule as a SQL condition for list queries, so a list
never shows what a read would refuse. Outside scope means 404, never 403.
"""
from __future__ import annotations

from sqlalchemy import false, or_, true

from .context import STAFF_ROLES, Principal
from .errors import NotFound
from .paths import is_within

PUBLIC, PARTIES, STAFF = "public", "parties", "staff"
VISIBILITIES = (PUBLIC, PARTIES, STAFF)


def can_see(principal: Principal, path: str, visibility: str = STAFF,
            is_party: bool = False, staff_roles=STAFF_ROLES) -> bool:
    if principal.is_system:
        return True
    if principal.can_act_at(staff_roles, path):
        return True
    if visibility in (PUBLIC, PARTIES) and is_party:
        return True
    if visibility == PUBLIC:
        return any(is_within(path, c) for c in principal.resident_compounds())
    return False


def ensure_visible(principal: Principal, path: str, visibility: str = STAFF,
                   is_party: bool = False, staff_roles=STAFF_ROLES) -> None:
    if not can_see(principal, path, visibility, is_party, staff_roles):
        raise NotFound()


def _under(path_col, prefix: str):
    # Matches the prefix itself and whole-id descendants; ids never contain "%" or "_"
    # that matter (UUIDs hold "-" only), but escape anyway for safety.
    escaped = prefix.rstrip("/").replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return or_(path_col == prefix, path_col.like(escaped + "/%", escape="\\"))


def scope_clause(principal: Principal, path_col, visibility_col=None, party_condition=None,
                 staff_roles=STAFF_ROLES):
    """SQL condition selecting the rows ``principal`` may see.

    ``visibility_col`` is the record's visibility column (omit for staff-only tables);
    ``party_condition`` a SQL condition true where the principal is a party.
    """
    if principal.is_system:
        return true()
    conds = [_under(path_col, p) for p in principal.paths_for(staff_roles)]
    if visibility_col is not None:
        if party_condition is not None:
            conds.append(visibility_col.in_([PUBLIC, PARTIES]) & party_condition)
        compounds = principal.resident_compounds()
        if compounds:
            conds.append((visibility_col == PUBLIC) & or_(*[_under(path_col, c) for c in compounds]))
    return or_(*conds) if conds else false()
