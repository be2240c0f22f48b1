"""Civil Code arts. 200–204 day counting with the holiday calendar (DOMAIN-RULES §0)."""
from datetime import date, timedelta

import pytest

from fazhi_shared.calendar import HolidayCalendar


@pytest.fixture(scope="module")
def cal():
    return HolidayCalendar.from_package()


def test_first_day_not_counted_and_ends_on_last_day(cal):
    # Tue 2026-03-03 + 30 days → Thu 2026-04-02, a working day.
    end = cal.period_end(date(2026, 3, 3), 30)
    assert end.last_day == date(2026, 4, 2) and not end.approximate


def test_one_day_period_is_the_next_day(cal):
    assert cal.period_end(date(2026, 3, 3), 1).last_day == date(2026, 3, 4)


def test_last_day_on_weekend_moves_to_monday(cal):
    # Fri 2026-03-06 + 1 day = Sat → Mon 2026-03-09
    assert cal.period_end(date(2026, 3, 6), 1).last_day == date(2026, 3, 9)
    # Falls exactly on Sunday
    assert cal.period_end(date(2026, 3, 1), 7).last_day == date(2026, 3, 9)


def test_last_day_in_national_day_holiday_moves_past_it(cal):
    # 2026 National Day: Oct 1–7 rest; the first working day after is Oct 8.
    assert cal.is_rest_day(date(2026, 10, 1))
    end = cal.period_end(date(2026, 9, 1), 30)          # Oct 1
    assert end.last_day == date(2026, 10, 8) and not end.approximate


def test_make_up_working_day_on_weekend_counts_as_working(cal):
    makeup = sorted(d for d in cal.workdays if d.year == 2026)[0]
    assert makeup.weekday() >= 5 and cal.is_working_day(makeup)
    end = cal.period_end(makeup - timedelta(days=10), 10)
    assert end.last_day == makeup


def test_every_result_is_a_working_day_and_never_early(cal):
    start = date(2026, 1, 1)
    for offset in range(0, 330, 3):
        event = start + timedelta(days=offset)
        for days in (1, 7, 15, 30):
            end = cal.period_end(event, days)
            assert end.last_day >= event + timedelta(days=days)
            assert cal.is_working_day(end.last_day)
            # and every day skipped was a rest day
            d = event + timedelta(days=days)
            while d < end.last_day:
                assert cal.is_rest_day(d)
                d += timedelta(days=1)


def test_unknown_year_falls_back_to_weekends_and_says_so(cal):
    end = cal.period_end(date(2027, 3, 2), 30)          # 2027-04-01, a Thursday
    assert end.last_day == date(2027, 4, 1) and end.approximate
    weekend = cal.period_end(date(2027, 3, 5), 1)        # Sat 2027-03-06 → Mon
    assert weekend.last_day == date(2027, 3, 8) and weekend.approximate


def test_period_reaching_into_unknown_year_is_approximate(cal):
    assert cal.period_end(date(2026, 12, 20), 30).approximate


def test_operator_extends_a_year(cal):
    extended = HolidayCalendar(set(cal.holidays), set(cal.workdays), set(cal.known_years))
    extended.extend({"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-01-09"]})
    end = extended.period_end(date(2026, 12, 31), 1)     # Fri 2027-01-01 holiday → Mon 4th
    assert end.last_day == date(2027, 1, 4) and not end.approximate
    assert extended.is_working_day(date(2027, 1, 9))     # a Saturday made a working day


def test_period_must_have_days(cal):
    with pytest.raises(ValueError):
        cal.period_end(date(2026, 1, 1), 0)


def test_days_left(cal):
    end = cal.period_end(date(2026, 3, 3), 30)
    assert cal.days_left(date(2026, 4, 2), end) == 0
    assert cal.days_left(date(2026, 4, 3), end) == -1
