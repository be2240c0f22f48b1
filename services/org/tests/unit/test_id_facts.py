"""Age and gender from a resident ID number (GB 11643), exhaustively at the boundaries:
the birthday the day before, on and after; 29 February in leap and common years; century
boundaries; digits that are not a date; the gender digit 0–9."""
from datetime import date, timedelta

import pytest

from org.domain.id_facts import (EARLIEST_BIRTH_YEAR, FEMALE, MALE, age_and_gender, age_on,
                                 birth_date, facts, gender)
from org.samples import id_number


def number(birth: str, order: str = "123") -> str:
    return id_number(f"321283{birth}{order}")


# -- the birth date digits ----------------------------------------------------------------
@pytest.mark.parametrize("birth, expected", [
    ("19900101", date(1990, 1, 1)),
    ("19991231", date(1999, 12, 31)),
    ("20000101", date(2000, 1, 1)),
    ("20000229", date(2000, 2, 29)),       # 2000: divisible by 400, a leap year
    ("19960229", date(1996, 2, 29)),
    ("18991231", date(1899, 12, 31)),
    (f"{EARLIEST_BIRTH_YEAR}0101", date(EARLIEST_BIRTH_YEAR, 1, 1)),
])
def test_birth_date_from_digits_7_to_14(birth, expected):
    assert birth_date(number(birth)) == expected


@pytest.mark.parametrize("birth", [
    "19000229",        # 1900: divisible by 100 not 400, no 29 February
    "19970229",        # a common year
    "19900230", "19900431", "19901301", "19900001", "19900100", "19901232",
    f"{EARLIEST_BIRTH_YEAR - 1}1231",   # before any living person
    "00000101",
])
def test_digits_that_are_no_date_give_no_birth_date(birth):
    n = number(birth)
    assert birth_date(n) is None
    assert facts(n).birth_date is None
    # the gender digit still reads
    assert facts(n).gender == MALE


@pytest.mark.parametrize("bad", [
    "", "3212831990010112", "32128319900101123", "3212831990010112345",
    "32128319900101123Y", "3212831990O101123X", "３２１２８３１９９００１０１１２３X",
    None, 321283199001011230,
])
def test_malformed_numbers_give_nothing(bad):
    assert birth_date(bad) is None
    assert gender(bad) is None


def test_a_check_character_x_is_read_like_any_other():
    first17 = "32128319900101123"
    for check in "0123456789X":
        assert birth_date(first17 + check) == date(1990, 1, 1)


# -- the gender digit (17th) -----------------------------------------------------------------
@pytest.mark.parametrize("digit", range(10))
def test_digit_17_odd_is_male_even_is_female(digit):
    assert gender(number("19900101", f"12{digit}")) == (MALE if digit % 2 else FEMALE)


# -- age in completed years ------------------------------------------------------------------
@pytest.mark.parametrize("born, on, age", [
    (date(1998, 3, 1), date(2026, 2, 28), 27),     # the day before the birthday
    (date(1998, 3, 1), date(2026, 3, 1), 28),      # on it
    (date(1998, 3, 1), date(2026, 3, 2), 28),      # the day after
    (date(1998, 12, 31), date(2026, 12, 30), 27),
    (date(1998, 12, 31), date(2026, 12, 31), 28),
    (date(1998, 1, 1), date(2025, 12, 31), 27),
    (date(1998, 1, 1), date(2026, 1, 1), 28),
    (date(2026, 5, 5), date(2026, 5, 5), 0),       # born that day
    (date(2025, 5, 6), date(2026, 5, 5), 0),
    (date(2025, 5, 5), date(2026, 5, 5), 1),
    # century boundaries
    (date(1999, 12, 31), date(2000, 1, 1), 0),
    (date(1900, 1, 1), date(2000, 1, 1), 100),
    (date(1899, 12, 31), date(2000, 1, 1), 100),
    (date(1900, 1, 2), date(2000, 1, 1), 99),
])
def test_age_grows_on_the_birthday(born, on, age):
    assert age_on(born, on) == age


@pytest.mark.parametrize("on, age", [
    (date(2027, 2, 28), 26),     # common year: not yet on 28 February
    (date(2027, 3, 1), 27),      # ... on 1 March
    (date(2028, 2, 28), 27),     # leap year: not yet the day before
    (date(2028, 2, 29), 28),     # ... on 29 February itself
    (date(2028, 3, 1), 28),
    (date(2100, 2, 28), 99),     # 2100 is a common year
    (date(2100, 3, 1), 100),
])
def test_a_29_february_birthday_counts_on_1_march_in_a_common_year(on, age):
    assert age_on(date(2000, 2, 29), on) == age


def test_before_birth_there_is_no_age():
    born = date(2000, 6, 1)
    assert age_on(born, born - timedelta(days=1)) is None
    assert age_on(born, date(1990, 1, 1)) is None


def test_every_day_of_a_year_around_a_birthday():
    born = date(1998, 7, 15)
    day = date(2025, 7, 15)
    for i in range(366):
        d = day + timedelta(days=i)
        assert age_on(born, d) == (27 if d < date(2026, 7, 15) else 28)


# -- both at once, as person_facts answers ---------------------------------------------------
def test_age_and_gender():
    assert age_and_gender(number("19980301", "124"), date(2026, 3, 1)) == (28, FEMALE)
    assert age_and_gender(None, date(2026, 3, 1)) == (None, None)
    assert age_and_gender("", date(2026, 3, 1)) == (None, None)
    assert age_and_gender(number("19970229", "123"), date(2026, 3, 1)) == (None, MALE)
    assert age_and_gender(number("20300101", "122"), date(2026, 3, 1)) == (None, FEMALE)
