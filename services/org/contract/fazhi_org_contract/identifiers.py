"""Phones and ID numbers in one canonical form, checked with full-match ASCII patterns
(pure: the schemas, org's use cases and its workbook import all use these).

ID numbers (居民身份证号码, GB 11643-1999) are 17 digits and a check character: the
digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, summed, mod 11, pick it from
``10X98765432``. The canonical form has the ``X`` in capitals.

Every check (rate limits, "already registered", de-duplication) and every stored value
uses the canonical form, so rewriting a number — ``+86``/``0086``, full-width digits, a
trailing newline — never makes it another number. Patterns are ``re.fullmatch`` over
``[0-9]`` (``\\d`` matches any Unicode digit, ``$`` matches before a trailing newline).
"""
from __future__ import annotations

import re

# Mainland mobile numbers: what a verification code can be texted to.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Any other number: a landline with its area code, or "+" and a foreign number.
OTHER_PHONE = re.compile(r"\+?[0-9]{6,15}")
_MOBILE_WITH_COUNTRY = re.compile(r"861[3-9][0-9]{9}")
_SEPARATORS = re.compile(r"[ -]")
# Full-width digits, plus, hyphen, space and X (typed with a Chinese input method).
_FULL_WIDTH = {**{0xFF10 + i: ord("0") + i for i in range(10)},
               0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x3000: ord(" "),
               0xFF38: ord("X"), 0xFF58: ord("x")}
_ENDS = " \t\r\n"

ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
# Why an ID number is refused: the marshmallow messages (Chinese in fazhi_shared.i18n).
ID_NUMBER_FORMAT = "Not a valid ID number."
ID_NUMBER_CHECK_DIGIT = "The ID number's check digit is wrong."


def canonical_phone(raw) -> str | None:
    """The one form of a phone number, or ``None`` when ``raw`` is not one.

    Full-width characters become ASCII; surrounding whitespace, and spaces and hyphens
    between digits, go; ``00`` becomes ``+``; China's ``+86`` (or a bare ``86`` before a
    mobile number) goes, so a mainland number is its 11 (or landline) digits.
    """
    if not isinstance(raw, str):
        return None
    s = _SEPARATORS.sub("", raw.translate(_FULL_WIDTH).strip(_ENDS))
    if s.startswith("00"):
        s = "+" + s[2:]
    if s.startswith("+86"):
        s = s[3:]
    elif _MOBILE_WITH_COUNTRY.fullmatch(s):
        s = s[2:]
    if MOBILE.fullmatch(s) or OTHER_PHONE.fullmatch(s):
        return s
    return None


def is_mobile(phone: str) -> bool:
    """A canonical phone is a mainland mobile number."""
    return MOBILE.fullmatch(phone) is not None


def id_number_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number."""
    return _ID_CHECKS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(raw) -> str | None:
    """``None`` for a valid ID number, else the message saying why it is not one."""
    s = raw.translate(_FULL_WIDTH).strip(_ENDS).upper() if isinstance(raw, str) else ""
    if not ID_NUMBER.fullmatch(s):
        return ID_NUMBER_FORMAT
    if id_number_check_digit(s[:17]) != s[17]:
        return ID_NUMBER_CHECK_DIGIT
    return None


def canonical_id_number(raw) -> str | None:
    """The canonical form of a valid ID number (ASCII, ``X`` in capitals), else ``None``."""
    if id_number_problem(raw) is not None:
        return None
    return raw.translate(_FULL_WIDTH).strip(_ENDS).upper()
