"""Rules of legal-literate persons: the intake's steps, coverage of buildings, the
training minimum, and keeping phone and ID numbers out of what is shown or sent. Pure."""
from __future__ import annotations

import re

from fazhi_shared.errors import Conflict, ValidationFailed

# status -> the statuses it may move to
STEPS = {
    "nominated": ("assessing", "confirmed", "rejected"),
    "assessing": ("assessing", "confirmed", "rejected"),
    "confirmed": (),
    "rejected": (),
}


def next_status(current: str, wanted: str) -> str:
    """The status after a step; a step the intake does not allow is a 409."""
    if wanted not in STEPS.get(current, ()):
        raise Conflict(f"当前状态下不能进行此操作（{current} → {wanted}）。",
                       f"Cannot go from {current} to {wanted}.")
    return wanted


def decision_status(current: str, confirm: bool, reason: str | None) -> str:
    """Confirm, or reject — a rejection needs its reason."""
    if not confirm and not (reason or "").strip():
        raise ValidationFailed.for_field("reason", "不予确认时须填写理由。",
                                         "A rejection needs a reason.")
    return next_status(current, "confirmed" if confirm else "rejected")


def uncovered(buildings, covered_ids) -> list:
    """The buildings (``[{id, name, …}]``, in the given order) nobody covers."""
    covered = set(covered_ids)
    return [b for b in buildings if b["id"] not in covered]


def meets_target(confirmed: int, target: int) -> bool:
    return confirmed >= target


def below_minimum(sessions: int, minimum: int) -> bool:
    """Fewer training sessions in the year than the minimum (a setting, default 1)."""
    return sessions < minimum


# -- personal data out of free text -------------------------------------------------------
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")


def mask_personal_numbers(text: str | None) -> str | None:
    """The text with ID numbers and phone numbers masked (kept: the first and last
    digits a reader needs to recognise them, e.g. ``138****5678``)."""
    if text is None:
        return None
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
