"""When a password is too weak for an administrator (pure).

The first ``city_admin`` of a deployment holds every right on the city, so its password
(``python -m org.first_admin``) must be strong: at least ``MIN_LENGTH`` characters of at
least three kinds (lower-case, upper-case, digits, other characters), not the demo seed's
published password, not holding the username, and no well-known weak password inside.
:func:`problems` names every rule broken, in Chinese and English (never the password).
"""
from __future__ import annotations

MIN_LENGTH = 12
PUBLISHED = frozenset({"fazhi2026!"})          # the demo seed's (org.seed.DEMO_PASSWORD)
# Well-known weak passwords and words (lower-case): one of them inside is refused.
COMMON = ("password", "passw0rd", "p@ssw0rd", "qwerty", "asdfgh", "123456", "654321",
          "111111", "000000", "888888", "abc123", "admin", "letmein", "welcome", "iloveyou",
          "woaini", "fazhi")


def kinds(password: str) -> int:
    """How many of lower-case, upper-case, digits and other characters (symbols, spaces,
    Chinese characters) it holds."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not (c.islower() or c.isupper() or c.isdigit()) for c in password)))


def problems(password: str, username: str = "") -> list[tuple[str, str]]:
    """Every rule the password breaks, as ``(zh, en)``; empty when it is strong enough."""
    out = []
    low = password.lower()
    if low in PUBLISHED:
        out.append(("不能使用演示数据公开的密码。", "The demo data's published password cannot be used."))
    if len(password) < MIN_LENGTH:
        out.append((f"密码至少{MIN_LENGTH}个字符。",
                    f"The password needs at least {MIN_LENGTH} characters."))
    if kinds(password) < 3:
        out.append(("密码须包含小写字母、大写字母、数字、符号中的至少三种。",
                    "The password needs three of: lower-case letters, upper-case letters, "
                    "digits, symbols."))
    if username and username.lower() in low:
        out.append(("密码不能包含用户名。", "The password cannot contain the username."))
    if any(word in low for word in COMMON):
        out.append(("密码包含常见的弱密码或词语。", "The password contains a common weak password or word."))
    return out
