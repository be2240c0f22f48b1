"""When a vote may open, how long it runs, and the dates stated on its result (DOMAIN-RULES
§0–§1), counted in Asia/Shanghai dates with ``fazhi_shared.calendar``.

- The notice period of N days starts counting the day after notice is given and ends at
  24:00 of its last day; a last day that is a rest day moves to the next working day.
  Voting opens on the day after that last day at the earliest: opening on the last day
  is refused.
- The voter roll is open to objections until the notice period ends.
- The voting window and the result's posting are periods of days counted the same way.
- Art. 280: a decision can be challenged in court within one year of knowing it; a
  period in years ends on the corresponding date of the year (the month's last day when
  there is none, art. 202), moved past rest days like any period (art. 203).
"""
from __future__ import annotations

import calendar as _months
from datetime import date, timedelta

from fazhi_shared.calendar import HolidayCalendar, PeriodEnd
from fazhi_shared.errors import Conflict


def notice_period_end(cal: HolidayCalendar, noticed_on: date, notice_days: int) -> PeriodEnd:
    """The notice period's last day (``approximate`` when a year has no official data)."""
    return cal.period_end(noticed_on, notice_days)


def earliest_opening(cal: HolidayCalendar, noticed_on: date, notice_days: int) -> date:
    """The first day voting may open: the day after the notice period's last day."""
    return notice_period_end(cal, noticed_on, notice_days).last_day + timedelta(days=1)


def may_open(cal: HolidayCalendar, noticed_on: date, notice_days: int, today: date) -> bool:
    return today >= earliest_opening(cal, noticed_on, notice_days)


def require_may_open(cal: HolidayCalendar, noticed_on: date, notice_days: int,
                     today: date) -> None:
    """``Conflict`` naming the first allowed day while the notice period runs."""
    first = earliest_opening(cal, noticed_on, notice_days)
    if today < first:
        raise Conflict(f"公告期未满，最早可于 {first.isoformat()} 开始投票。",
                       f"The notice period has not passed: voting may open on "
                       f"{first.isoformat()} at the earliest.")


def voting_ends(cal: HolidayCalendar, opened_on: date, voting_days: int) -> PeriodEnd:
    """The voting window's last day (voting runs until 24:00 of it)."""
    return cal.period_end(opened_on, voting_days)


def posting_ends(cal: HolidayCalendar, closed_on: date, posting_days: int) -> PeriodEnd:
    """The last day the result stays posted (and objections to it are taken)."""
    return cal.period_end(closed_on, posting_days)


def challenge_until(cal: HolidayCalendar, known_on: date) -> date:
    """Art. 280 with SPC interpretation art. 12: one year from the day owners knew of the
    decision (its posting)."""
    year = known_on.year + 1
    day = min(known_on.day, _months.monthrange(year, known_on.month)[1])
    last = date(year, known_on.month, day)
    while cal.is_rest_day(last):
        last += timedelta(days=1)
    return last
