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


# -- the judicial-confirmation window (disputes: 30 days) ending in the National Day holiday
@pytest.mark.parametrize("holiday", [date(2026, 10, d) for d in range(1, 8)])
def test_thirty_day_window_ending_in_national_day_ends_on_october_8(cal, holiday):
    # Whichever of the seven rest days of 2026's National Day holiday is the 30th day
    # (weekdays and the weekend inside it alike), the window ends on Thu 2026-10-08.
    signed = holiday - timedelta(days=30)
    end = cal.period_end(signed, 30)
    assert end.last_day == date(2026, 10, 8) and not end.approximate


def test_thirty_day_window_ending_on_the_make_up_saturday_ends_that_day(cal):
    # Sat 2026-10-10 is a make-up working day (调休): a last day there does not move.
    assert cal.period_end(date(2026, 9, 10), 30).last_day == date(2026, 10, 10)


# -- working days forward ---------------------------------------------------------------------
@pytest.mark.parametrize("start, n, expected", [
    # across a weekend; n = 1 on a Friday
    (date(2026, 3, 6), 1, date(2026, 3, 9)),        # Fri → Mon
    (date(2026, 3, 5), 3, date(2026, 3, 10)),       # Thu → Fri, Mon, Tue
    (date(2026, 3, 2), 5, date(2026, 3, 9)),        # Mon + 5 → next Mon
    (date(2026, 3, 7), 1, date(2026, 3, 9)),        # from a Saturday
    # across National Day 2026 (Oct 1–7 rest, Sat Oct 10 a make-up working day)
    (date(2026, 9, 30), 1, date(2026, 10, 8)),
    (date(2026, 9, 30), 2, date(2026, 10, 9)),
    (date(2026, 9, 30), 3, date(2026, 10, 10)),     # the make-up Saturday counts
    (date(2026, 9, 30), 4, date(2026, 10, 12)),
    (date(2026, 9, 29), 2, date(2026, 10, 8)),
    # Mid-Autumn (Fri 2026-09-25 rest) and its make-up Sunday (2026-09-20)
    (date(2026, 9, 24), 1, date(2026, 9, 28)),
    (date(2026, 9, 19), 1, date(2026, 9, 20)),
    # across Spring Festival 2026 (Feb 15–23 rest, Sat Feb 14 and Sat Feb 28 make-up days)
    (date(2026, 2, 13), 1, date(2026, 2, 14)),
    (date(2026, 2, 13), 2, date(2026, 2, 24)),
    (date(2026, 2, 13), 3, date(2026, 2, 25)),
    (date(2026, 2, 27), 1, date(2026, 2, 28)),
    # starting on a holiday: the start is never counted
    (date(2026, 10, 1), 1, date(2026, 10, 8)),
    (date(2026, 10, 5), 2, date(2026, 10, 9)),
    (date(2026, 2, 18), 1, date(2026, 2, 24)),
    # across New Year 2026 (Jan 1–3 rest, Sun Jan 4 a make-up day)
    (date(2025, 12, 31), 1, date(2026, 1, 4)),
    (date(2026, 12, 30), 1, date(2026, 12, 31)),
])
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected
    end = cal.working_days_end(start, n)
    assert end.last_day == expected and not end.approximate


@pytest.mark.parametrize("start, expected", [
    (date(2026, 3, 9), date(2026, 3, 9)),           # a working day: itself
    (date(2026, 10, 10), date(2026, 10, 10)),       # a make-up Saturday: itself
    (date(2026, 3, 7), date(2026, 3, 9)),           # Saturday → Monday
    (date(2026, 10, 1), date(2026, 10, 8)),         # a holiday → the first working day after
])
def test_zero_working_days_is_the_start_or_the_next_working_day(cal, start, expected):
    assert cal.add_working_days(start, 0) == expected


def test_working_days_agree_with_the_package_for_every_day_of_2025_and_2026(cal):
    import chinese_calendar

    day = date(2025, 1, 1)
    while day < date(2026, 12, 1):
        for n in range(0, 12):
            got = cal.add_working_days(day, n)
            if n == 0 or chinese_calendar.is_workday(day):
                oracle = chinese_calendar.find_workday(n, day)
            else:       # find_workday counts a rest-day start's next working day as its 0th
                oracle = chinese_calendar.find_workday(n - 1, day)
            assert got == oracle, (day, n)
            assert cal.is_working_day(got)
            between = [day + timedelta(days=i) for i in range((got - day).days)]
            if n == 0:              # the start, or the first working day after rest days
                assert all(cal.is_rest_day(d) for d in between), day
            else:                   # exactly n working days in (start, result]
                counted = sum(cal.is_working_day(d) for d in between[1:] + [got])
                assert counted == n, (day, n)
        day += timedelta(days=1)


def test_working_days_into_an_unknown_year_are_refused_or_flagged(cal):
    from fazhi_shared.calendar import UnknownCalendarYear

    with pytest.raises(UnknownCalendarYear) as refused:
        cal.add_working_days(date(2026, 12, 30), 2)         # Fri 2027-01-01: no data
    assert refused.value.years == [2027] and "FAZHI_CALENDAR_FILE" in str(refused.value)
    with pytest.raises(UnknownCalendarYear):
        cal.add_working_days(date(2027, 3, 1), 0)
    estimate = cal.working_days_end(date(2026, 12, 30), 2)  # weekends only: Friday counts
    assert estimate.last_day == date(2027, 1, 1) and estimate.approximate
    assert cal.working_days_end(date(2026, 12, 30), 1).approximate is False


def test_working_days_into_an_operator_year(cal):
    extended = HolidayCalendar(set(cal.holidays), set(cal.workdays), set(cal.known_years))
    extended.extend({"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-01-09"]})
    assert extended.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert extended.add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 9)


@pytest.mark.parametrize("n", [-1, 1.5, "3", True, None])
def test_working_days_must_be_a_whole_number_not_below_zero(cal, n):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 2), n)
