"""Rules of adviser agreements: a valid term, and when the "ending soon" warning is due.
Pure."""
from __future__ import annotations

from datetime import date

from fazhi_shared.errors import ValidationFailed

WARNING_DAYS = 30


def check_term(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed.for_field("ends_on", "协议结束日期不能早于开始日期。",
                                         "The agreement ends before it starts.")


def warning_due(ends_on: date, today: date, already_warned: bool,
                days: int = WARNING_DAYS) -> bool:
    """True once, from ``days`` days before the end until the end (not after it)."""
    return not already_warned and 0 <= (ends_on - today).days <= days


def covers(starts_on: date, ends_on: date, period_start: date, period_end: date) -> bool:
    """The agreement's term holds the whole period."""
    return starts_on <= period_start and period_end <= ends_on
