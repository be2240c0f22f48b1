"""Phones and ID numbers in one canonical form, checked with full-match ASCII patterns
(pure: the schemas, org's use cases and its workbook import all use these).

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
# Full-width digits, plus, hyphen and space (typed with a Chinese input method).
_FULL_WIDTH = {**{0xFF10 + i: ord("0") + i for i in range(10)},
               0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x3000: ord(" ")}


def canonical_phone(raw) -> str | None:
    """The one form of a phone number, or ``None`` when ``raw`` is not one.

    Full-width characters become ASCII; surrounding whitespace, and spaces and hyphens
    between digits, go; ``00`` becomes ``+``; China's ``+86`` (or a bare ``86`` before a
    mobile number) goes, so a mainland number is its 11 (or landline) digits.
    """
    if not isinstance(raw, str):
        return None
    s = _SEPARATORS.sub("", raw.translate(_FULL_WIDTH).strip(" \t\r\n"))
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
