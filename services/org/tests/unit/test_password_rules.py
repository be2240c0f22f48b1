"""The strength rule of administrators' passwords (org.domain.passwords), exhaustively."""
import pytest

from org.domain.passwords import MIN_LENGTH, kinds, problems
from org.seed import DEMO_PASSWORD


@pytest.mark.parametrize("password, n", [
    ("", 0), ("abc", 1), ("ABC", 1), ("123", 1), ("!@#", 1), ("aB", 2), ("a1", 2),
    ("aB1", 3), ("aB1!", 4), ("中文密码", 1), ("aB 1", 4)])
def test_kinds(password, n):
    assert kinds(password) == n


def test_a_strong_password_has_no_problem():
    assert problems("Lan-Shan-Qiao-7719-He!", "chief_admin") == []
    assert problems("qiao7719LANSHAN", "chief_admin") == []        # three kinds suffice


@pytest.mark.parametrize("password, rule", [
    (DEMO_PASSWORD, "演示数据"),                          # the published one, any case
    (DEMO_PASSWORD.upper(), "演示数据"),
    ("Ab1!" * 2 + "Ab1", f"至少{MIN_LENGTH}"),             # 11 characters
    ("lowercaseonlyletters", "三种"),
    ("lowercase4567890", "三种"),
    ("Chief_Admin-7719!", "用户名"),
    ("My-Password-7719", "常见"),
    ("Qwerty-Lan-7719", "常见"),
    ("Woaini-Lan-7719", "常见"),
])
def test_each_rule(password, rule):
    found = problems(password, "chief_admin")
    assert any(rule in zh for zh, _ in found), found
    assert all(en and password not in en for _, en in found)     # never repeated


def test_every_rule_broken_is_named():
    assert len(problems("admin", "admin")) == 4                  # short, one kind, user, common
    assert problems("x" * MIN_LENGTH + "A1") == []
