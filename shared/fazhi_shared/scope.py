"""Scope and visibility: the one rule for who may see a record.

A record has a unit path and a visibility class:

- ``staff``   — staff roles whose grant covers the path;
- ``parties`` — additionally the people who are parties to it (their cases, ballots…);
- ``public``  — additionally residents of the compound the path lies in.

Staff always see what lies under their grants. :func:`can_see` is the pure rule;
``fazhi_shared.service.scope.scope_clause`` is the same rule as a SQL condition for list
queries, so a list never shows what a read would refuse. Outside scope means 404, never
403. This module is pure (no SQLAlchemy): contracts and the gateway may import it.
"""
from __future__ import annotations

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
