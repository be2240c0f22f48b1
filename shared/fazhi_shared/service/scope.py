"""The visibility rule of ``fazhi_shared.scope`` as SQL conditions, for list queries."""
from __future__ import annotations

from sqlalchemy import false, or_, true

from ..context import STAFF_ROLES, Principal
from ..scope import PARTIES, PUBLIC


def under(path_col, prefix: str):
    """SQL: ``path_col`` is ``prefix`` or lies below it (the subtree test, once)."""
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
    conds = [under(path_col, p) for p in principal.paths_for(staff_roles)]
    if visibility_col is not None:
        if party_condition is not None:
            conds.append(visibility_col.in_([PUBLIC, PARTIES]) & party_condition)
        compounds = principal.resident_compounds()
        if compounds:
            conds.append((visibility_col == PUBLIC) & or_(*[under(path_col, c) for c in compounds]))
    return or_(*conds) if conds else false()
