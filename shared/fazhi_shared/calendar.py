"""The holiday calendar and day counting (Civil Code arts. 200–204, DOMAIN-RULES §0).

A period in days starts on the day after the event and ends at 24:00 of its last day; a
last day that is a rest day (weekend or public holiday) moves to the first working day
after it; make-up working days (调休) on a weekend are working days.

The calendar is data: seeded from the ``chinese-calendar`` package and extended by an
operator file (``FAZHI_CALENDAR_FILE``). For a year neither knows, weekends rest and the
result says it is approximate, so callers can show that a deadline was estimated.

Periods in working days ("5 working days", "within 3 working days") count working days
only: :meth:`HolidayCalendar.working_days_end` (approximate where a year is unknown, like
``period_end``) and :meth:`HolidayCalendar.add_working_days` (a plain date; refuses to
count through a year the calendar does not know).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .config import CALENDAR_FILE


class UnknownCalendarYear(ValueError):
    """Working days were counted into a year whose holidays the calendar does not know."""

    def __init__(self, years):
        self.years = list(years)
        super().__init__(
            f"the holiday calendar has no data for {', '.join(map(str, self.years))}: "
            "add the year's official holidays and make-up working days to the file "
            "FAZHI_CALENDAR_FILE names")


@dataclass(frozen=True)
class PeriodEnd:
    last_day: date          # the period ends at 24:00 local time of this day
    approximate: bool       # a year without official data was used (weekends only)


@dataclass
class HolidayCalendar:
    holidays: set = field(default_factory=set)   # rest days besides weekends
    workdays: set = field(default_factory=set)   # make-up working days on weekends
    known_years: set = field(default_factory=set)

    @classmethod
    def from_package(cls) -> "HolidayCalendar":
        import chinese_calendar

        holidays = set(chinese_calendar.holidays)
        workdays = set(chinese_calendar.workdays)
        # The package lists every rest day (weekends too) only for years it knows.
        years = {d.year for d in chinese_calendar.holidays}
        return cls({d for d in holidays if d.weekday() < 5}, workdays, years)

    def extend(self, data: dict) -> None:
        """Add an operator's year: ``{"years": [...], "holidays": [...], "workdays": [...]}``."""
        self.holidays |= {date.fromisoformat(d) for d in data.get("holidays", [])}
        self.workdays |= {date.fromisoformat(d) for d in data.get("workdays", [])}
        self.known_years |= set(int(y) for y in data.get("years", []))

    def knows(self, day: date) -> bool:
        return day.year in self.known_years

    def is_rest_day(self, day: date) -> bool:
        if day in self.workdays:
            return False
        if day in self.holidays:
            return True
        return day.weekday() >= 5

    def is_working_day(self, day: date) -> bool:
        return not self.is_rest_day(day)

    def period_end(self, event_day: date, days: int) -> PeriodEnd:
        """Last day of a period of ``days`` days that starts counting after ``event_day``."""
        if days < 1:
            raise ValueError("a period has at least one day")
        last = event_day + timedelta(days=days)
        approximate = not self.knows(last)
        while self.is_rest_day(last):
            last += timedelta(days=1)
            approximate = approximate or not self.knows(last)
        return PeriodEnd(last, approximate)

    def working_days_end(self, start: date, n: int) -> PeriodEnd:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted, as
        in :meth:`period_end`): n = 1 is the first working day after ``start``. n = 0 is
        ``start`` when it is a working day, else the first working day after it.
        Approximate when a day counted or skipped lies in a year the calendar does not
        know (weekends alone were taken as rest days there)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"a number of working days is an integer ≥ 0: {n!r}")
        day = start
        approximate = False
        if n == 0:
            approximate = not self.knows(day)
            while self.is_rest_day(day):
                day += timedelta(days=1)
                approximate = approximate or not self.knows(day)
            return PeriodEnd(day, approximate)
        while n:
            day += timedelta(days=1)
            approximate = approximate or not self.knows(day)
            if self.is_working_day(day):
                n -= 1
        return PeriodEnd(day, approximate)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (see :meth:`working_days_end`); raises
        :class:`UnknownCalendarYear` rather than guess when the count reaches a year the
        calendar does not know (use ``working_days_end`` to get the weekends-only
        estimate, flagged approximate, instead)."""
        end = self.working_days_end(start, n)
        if end.approximate:
            unknown = sorted({y for y in range(start.year, end.last_day.year + 1)
                              if y not in self.known_years})
            raise UnknownCalendarYear(unknown)
        return end.last_day

    def days_left(self, today: date, end: PeriodEnd) -> int:
        """Whole days from today until the period's last day (0 on the last day, <0 after)."""
        return (end.last_day - today).days


@lru_cache(maxsize=1)
def default_calendar() -> HolidayCalendar:
    """The package's calendar plus the operator file, loaded once per process."""
    cal = HolidayCalendar.from_package()
    path = CALENDAR_FILE.get()
    if path:
        with open(path, encoding="utf-8") as fh:
            cal.extend(json.load(fh))
    return cal
