"""Intake rules: who may register and handle a case, where a case may lie, the text as
stored, the parties, and a case's time limit at a level."""
from __future__ import annotations

import re
from datetime import date

from fazhi_shared.calendar import HolidayCalendar
from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, ValidationFailed
from fazhi_shared.paths import depth, level_depth

from fazhi_disputes_contract.vocabulary import MAX_TEXT

_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str, field: str = "description") -> str:
    """Line ends unified, trailing spaces and runs of blank lines removed, stripped;
    empty or too long after that: refused naming the field."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    if not cleaned:
        raise ValidationFailed.for_field(field, "内容不能为空。", "The text may not be empty.")
    if len(cleaned) > MAX_TEXT:
        raise ValidationFailed.for_field(field, f"内容不能超过 {MAX_TEXT} 个字。",
                                         f"The text is longer than {MAX_TEXT} characters.")
    return cleaned


def require_case_location(path: str) -> None:
    """A case lies in a compound (the compound, a building or a unit of it)."""
    if depth(path) < level_depth("compound"):
        raise ValidationFailed.for_field("unit_id", "纠纷地点须为小区、楼栋或房屋。",
                                         "A case lies in a compound, building or unit.")


def check_parties(parties: list[dict]) -> list[dict]:
    """One role per person, at least one applicant."""
    seen = set()
    for p in parties:
        if p["person_id"] in seen:
            raise ValidationFailed.for_field("parties", "同一当事人不能重复登记。",
                                             "A party is listed twice.")
        seen.add(p["person_id"])
    if not any(p["role"] == "applicant" for p in parties):
        raise ValidationFailed.for_field("parties", "至少需要一名申请人。",
                                         "At least one party is an applicant.")
    return [{"person_id": p["person_id"], "role": p["role"]} for p in parties]


def require_role(principal: Principal, roles, path: str) -> None:
    if not principal.can_act_at(roles, path):
        raise Forbidden()


def summary_of(description: str, length: int = 60) -> str:
    first = description.split("\n", 1)[0]
    return first if len(first) <= length else first[:length - 1] + "…"


def due_on(start: date, days: int, calendar: HolidayCalendar) -> date:
    """The last day of a level's time limit counted from ``start`` (DOMAIN-RULES §0)."""
    return calendar.period_end(start, days).last_day


def is_overdue(state: str, due: date | None, today: date) -> bool:
    return state in ("accepted", "mediating") and due is not None and today > due
