"""When voting may open (the notice period, DOMAIN-RULES §0) and the result's dates."""
from datetime import date

import pytest

from fazhi_shared.calendar import HolidayCalendar
from fazhi_shared.errors import Conflict

from deliberation.domain.schedule import (challenge_until, earliest_opening, may_open,
                                          notice_period_end, require_may_open, voting_ends)

CAL = HolidayCalendar.from_package()


def test_opening_on_the_last_day_of_the_notice_period_is_refused_the_next_day_allowed():
    noticed = date(2026, 11, 2)                   # Monday; 15 days → Tuesday 17 November
    end = notice_period_end(CAL, noticed, 15)
    assert end.last_day == date(2026, 11, 17) and not end.approximate
    assert not may_open(CAL, noticed, 15, date(2026, 11, 17))
    assert may_open(CAL, noticed, 15, date(2026, 11, 18))
    with pytest.raises(Conflict) as info:
        require_may_open(CAL, noticed, 15, date(2026, 11, 17))
    assert "2026-11-18" in info.value.message_zh
    require_may_open(CAL, noticed, 15, date(2026, 11, 18))


def test_a_last_day_on_a_public_holiday_moves_to_the_next_working_day():
    # 16 September + 15 days = 1 October, National Day: the holiday runs to 7 October.
    noticed = date(2026, 9, 16)
    assert CAL.is_rest_day(date(2026, 10, 1))
    end = notice_period_end(CAL, noticed, 15)
    assert end.last_day == date(2026, 10, 8)
    for refused in (date(2026, 10, 1), date(2026, 10, 7), date(2026, 10, 8)):
        assert not may_open(CAL, noticed, 15, refused)
    assert may_open(CAL, noticed, 15, date(2026, 10, 9))
    assert earliest_opening(CAL, noticed, 15) == date(2026, 10, 9)


def test_a_last_day_on_a_weekend_moves_to_monday_and_a_makeup_saturday_is_a_working_day():
    assert notice_period_end(CAL, date(2026, 11, 6), 15).last_day == date(2026, 11, 23)  # Sat→Mon
    assert CAL.is_working_day(date(2026, 10, 10))                   # 调休 Saturday
    assert notice_period_end(CAL, date(2026, 9, 25), 15).last_day == date(2026, 10, 10)


def test_the_notice_days_are_a_setting_and_the_first_day_is_not_counted():
    assert notice_period_end(CAL, date(2026, 11, 2), 7).last_day == date(2026, 11, 9)
    assert not may_open(CAL, date(2026, 11, 2), 1, date(2026, 11, 3))
    assert may_open(CAL, date(2026, 11, 2), 1, date(2026, 11, 4))


def test_a_year_without_official_data_is_marked_approximate():
    assert notice_period_end(CAL, date(2027, 3, 1), 15).approximate


def test_the_voting_window_ends_on_a_working_day():
    assert voting_ends(CAL, date(2026, 9, 24), 7).last_day == date(2026, 10, 8)


def test_the_challenge_window_is_one_year_from_the_posting():
    assert challenge_until(CAL, date(2025, 11, 20)) == date(2026, 11, 20)        # a Friday
    assert challenge_until(CAL, date(2025, 10, 1)) == date(2026, 10, 8)          # holiday
    assert challenge_until(CAL, date(2024, 2, 29)) == date(2025, 2, 28)          # month end
