"""Who may act where: a role on the record's unit (or above), else 403 — and outside the
caller's scope 404, never 403 (``fazhi_shared.scope``). Pure."""
from __future__ import annotations

from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden
from fazhi_shared.scope import STAFF, ensure_visible


def require(principal: Principal, roles, path: str, visibility: str = STAFF,
            is_party: bool = False) -> None:
    """Raise unless the caller holds one of ``roles`` covering ``path``: ``NotFound`` when
    the record is outside what the caller may see, ``Forbidden`` when they see it but may
    not act."""
    if principal.can_act_at(roles, path):
        return
    ensure_visible(principal, path, visibility, is_party)
    raise Forbidden()
