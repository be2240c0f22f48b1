"""What a resident ID number says of its holder (GB 11643-1999), pure.

An 18-character number is: address code (6 digits), birth date ``YYYYMMDD`` (digits
7–14), order code (digits 15–17; the 17th is odd for a man, even for a woman) and the
check character. Other services need a person's age (a people's assessor must be 28,
DOMAIN-RULES) and gender (a mediation committee needs a woman) — not the number: these
functions give the facts, and the number never leaves org.

Age is in completed years: it grows on the birthday. Someone born on 29 February has
their birthday on 1 March in a year without 29 February (the day after 28 February, as
Chinese practice and most statutes reckon it), so they are still the younger age on
28 February.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fazhi_org_contract.identifiers import ID_NUMBER

MALE, FEMALE = "male", "female"
# Older than any living person's number; a year before it is a typing error, not a birth.
EARLIEST_BIRTH_YEAR = 1850


@dataclass(frozen=True)
class IdFacts:
    birth_date: date | None      # None: the digits are not a real date
    gender: str | None


def birth_date(id_number: str) -> date | None:
    """The birth date in digits 7–14, or None when they are not a calendar date from
    1850 on (a 30 February, a month 13, a 29 February of 1900)."""
    if not isinstance(id_number, str) or not ID_NUMBER.fullmatch(id_number):
        return None
    year, month, day = int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
    if year < EARLIEST_BIRTH_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def gender(id_number: str) -> str | None:
    """``male`` when digit 17 is odd, ``female`` when even; None for a malformed number."""
    if not isinstance(id_number, str) or not ID_NUMBER.fullmatch(id_number):
        return None
    return MALE if int(id_number[16]) % 2 else FEMALE


def facts(id_number: str) -> IdFacts:
    return IdFacts(birth_date(id_number), gender(id_number))


def age_on(born: date, on: date) -> int | None:
    """Completed years on ``on``; None before the birth date (no age yet).

    Comparing (month, day) pairs makes a 29 February birthday fall on 1 March in a
    common year: (2, 28) < (2, 29) still, (3, 1) is not.
    """
    if on < born:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_and_gender(id_number: str | None, on: date) -> tuple[int | None, str | None]:
    """``(age on `on`, gender)`` from the number; ``(None, None)`` without one; a part the
    number does not give (a date that does not exist) is None."""
    if not id_number:
        return None, None
    f = facts(id_number)
    return (age_on(f.birth_date, on) if f.birth_date else None), f.gender
