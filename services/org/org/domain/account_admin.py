"""Who may see and act on an account (pure): the rule of ``ACCOUNT_MATRIX``.

An admin sees an account when its person record or one of its active grants lies in the
admin's scope (else 404, the answer for a missing id). An admin acts on it (grant,
revoke, reset its password, disable it) only when every active grant of it is one the
admin manages for that action — a role the matrix lists for the admin's role, inside that
admin grant's unit — and, for an account without grants, when its person record lies in
the admin's scope (else 403). A new grant must itself be one the admin may give there.

The judicial office's staff appear in the matrix for ``grant`` only, with the duty roles
they appoint (mediators, legal-literate people, people's assessors): they give those by
the person's id (:func:`require_may_give`). Giving a duty role adds to an account and
takes nothing over, so there the account's other grants do not matter — only that the
person lies in the giver's scope and the role is one they may give at that unit.
"""
from __future__ import annotations

from collections.abc import Iterable

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, NotFound
from fazhi_shared.paths import is_within

from fazhi_org_contract.roles import ACCOUNT_ADMINS, ACCOUNT_MATRIX

NOT_YOURS = ("该账号持有您无权管理的角色，或在您的管辖范围之外另有授权，请由上级管理员处理。",
             "This account holds a role you may not manage, or a grant outside your units; "
             "a higher admin must act on it.")
CANNOT_GRANT = ("您无权在此单元授予该角色。", "You may not grant this role on this unit.")


def _in_scope(principal: Principal, path: str | None, roles=ACCOUNT_ADMINS) -> bool:
    return path is not None and any(is_within(path, p) for p in principal.paths_for(roles))


def _manages(principal: Principal, powers: dict, grant: Grant) -> bool:
    """One of the principal's grants manages ``grant``: its role may act on that role and
    its unit covers the grant's unit."""
    return any(grant.role in powers.get(mine.role, ()) and is_within(grant.path, mine.path)
               for mine in principal.grants)


def account_visible(principal: Principal, person_path: str | None,
                    grants: Iterable[Grant]) -> bool:
    if principal.is_system:
        return True
    return _in_scope(principal, person_path) or any(_in_scope(principal, g.path)
                                                    for g in grants)


def require_account_action(principal: Principal, action: str, person_path: str | None,
                           grants: Iterable[Grant], new_grant: Grant | None = None) -> None:
    """Raise ``NotFound`` when the caller may not see the account, ``Forbidden`` when they
    see it but may not take ``action`` on it (or give ``new_grant``)."""
    powers = ACCOUNT_MATRIX[action]
    if principal.is_system:
        return
    grants = tuple(grants)
    # Without grants the account is visible only through its person record: in scope.
    if not account_visible(principal, person_path, grants):
        raise NotFound()
    if not all(_manages(principal, powers, g) for g in grants):
        raise Forbidden(*NOT_YOURS)
    if new_grant is not None and not _manages(principal, powers, new_grant):
        raise Forbidden(*CANNOT_GRANT)


def require_may_give(principal: Principal, person_path: str | None, new_grant: Grant) -> None:
    """May the caller give ``new_grant`` to the account of the person at ``person_path``?
    ``NotFound`` when the person is outside every scope in which the caller gives roles,
    ``Forbidden`` when the caller may not give that role at that unit."""
    powers = ACCOUNT_MATRIX["grant"]
    if principal.is_system:
        return
    if not _in_scope(principal, person_path, tuple(powers)):
        raise NotFound()
    if not _manages(principal, powers, new_grant):
        raise Forbidden(*CANNOT_GRANT)
