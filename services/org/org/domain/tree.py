"""The shape of the unit tree and who may change it (pure). Who may hand out roles:
``org.domain.account_admin``."""
from __future__ import annotations

from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, ValidationFailed
from fazhi_shared.paths import LEVELS, child_kind, is_within

from fazhi_org_contract.roles import UNIT_WRITERS

# The level names used in refusals ("户", where the vocabulary's label says "房屋").
LEVEL_NAMES = {"city": ("市", "city"), "street": ("街道", "street"),
               "community": ("社区", "community"), "compound": ("小区", "compound"),
               "building": ("楼栋", "building"), "unit": ("户", "unit")}


def check_child(parent_kind: str | None, kind: str) -> None:
    """A unit's kind must be exactly one level below its parent's (a city has no parent)."""
    expected = "city" if parent_kind is None else child_kind(parent_kind)
    if kind != expected:
        if expected is None:
            zh, en = "户是最末一级，下面不能再建单元。", "A unit cannot have children."
        else:
            zh = f"此处只能新建“{LEVEL_NAMES[expected][0]}”。"
            en = f"Only a {expected} can be created here."
        raise ValidationFailed.for_field("kind", zh, en)


def require_unit_writer(principal: Principal, kind: str, parent_path: str | None) -> None:
    """Raise ``Forbidden`` unless the caller may write a unit of ``kind`` under the parent."""
    if principal.is_system:
        return
    roles = UNIT_WRITERS[kind]
    if parent_path is None or not principal.can_act_at(roles, parent_path):
        raise Forbidden()


def check_move(unit_path: str, unit_kind: str, new_parent_path: str, new_parent_kind: str):
    if child_kind(new_parent_kind) != unit_kind:
        parent_kind = LEVELS[LEVELS.index(unit_kind) - 1]
        raise ValidationFailed.for_field(
            "new_parent_id", f"“{LEVEL_NAMES[unit_kind][0]}”只能挂在"
            f"“{LEVEL_NAMES[parent_kind][0]}”下。",
            f"A {unit_kind} can only be placed under a {parent_kind}.")
    if is_within(new_parent_path, unit_path):
        raise ValidationFailed.for_field("new_parent_id", "不能移到自身之下。",
                                         "A unit cannot be moved under itself.")

