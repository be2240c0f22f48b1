"""On which days something counts: a term, a contract, a membership, a grid duty (pure).

A period's last day counts (Civil Code art. 203: it ends at 24:00 of that day); a day
something was stopped early no longer counts. An end is recorded once it happened, never
in advance, so "current" always means "not ended".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fazhi_shared.errors import ValidationFailed

from org.domain.refusals import Problem


@dataclass(frozen=True)
class Span:
    """When something counts.

    ``start`` and ``end`` are its first and last day, both included: a legal period ends
    at 24:00 of its last day (Civil Code art. 203), so a contract ending today still
    covers today. ``ended_on`` is the day it was stopped early (a body dissolved, a member
    who left, a grid worker taken off duty): from that day on it no longer counts.
    """
    start: date | None = None
    end: date | None = None
    ended_on: date | None = None

    def active_on(self, day: date) -> bool:
        return ((self.start is None or self.start <= day)
                and (self.end is None or day <= self.end)
                and (self.ended_on is None or day < self.ended_on))


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year
    (Civil Code art. 202: with no corresponding day the period ends on the month's last day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_problems(start: date | None, end: date | None, end_field: str,
                    zh: str, en: str) -> list[Problem]:
    """``start`` ≤ ``end`` (a one-day period is allowed)."""
    if start is not None and end is not None and end < start:
        return [Problem(end_field, f"{zh}的终止日期（{end}）不能早于起始日期（{start}）。",
                        f"The {en} cannot end ({end}) before it starts ({start}).")]
    return []


def check_ended(start: date | None, ended_on: date, today: date, field: str) -> None:
    """When a membership or duty ended: not before it began (ending the day it began is
    allowed: it then never counted), and not in the future — an end is recorded once it
    happened, so "current" always means "not ended"."""
    if ended_on > today:
        raise ValidationFailed.for_field(
            field, f"结束日期（{ended_on}）不能晚于今天（{today}）。",
            f"The end date ({ended_on}) cannot be after today ({today}).")
    if start is not None and ended_on < start:
        raise ValidationFailed.for_field(
            field, f"结束日期（{ended_on}）不能早于开始日期（{start}）。",
            f"The end date ({ended_on}) cannot be before the start date ({start}).")
