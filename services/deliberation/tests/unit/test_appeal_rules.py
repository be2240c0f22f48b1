"""Appeal rules: transitions, overdue at the boundary, and what leaves the service."""
from datetime import date

import pytest

from fazhi_shared.errors import Conflict

from deliberation.domain.appeals import (is_overdue, require_transition, scrub,
                                         status_after_rating)


def test_phone_and_id_numbers_are_scrubbed_but_other_numbers_stay():
    text = ("3幢201室楼上漏水，联系13812345678或0523-87654321，身份证32128319800101123X，"
            "旧证123456789012345，共2000元")
    out = scrub(text)
    for secret in ("13812345678", "0523-87654321", "32128319800101123X", "123456789012345"):
        assert secret not in out
    assert "3幢201室" in out and "2000元" in out and out.count("已隐去") == 4
    assert scrub("+86 138 1234 5678") == "[电话已隐去]"


@pytest.mark.parametrize("action, allowed", [
    ("assign", {"submitted", "assigned", "reopened"}), ("answer", {"assigned", "reopened"}),
    ("rate", {"answered"}), ("reopen", {"answered", "closed"}),
    ("refer", {"submitted", "assigned", "reopened"})])
def test_transitions(action, allowed):
    for status in ("submitted", "assigned", "answered", "reopened", "referred", "closed"):
        if status in allowed:
            require_transition(action, status)
        else:
            with pytest.raises(Conflict):
                require_transition(action, status)


def test_satisfaction_closes_and_dissatisfaction_leaves_it_answered():
    assert status_after_rating("satisfied") == "closed"
    assert status_after_rating("basically_satisfied") == "closed"
    assert status_after_rating("unsatisfied") == "answered"


def test_overdue_only_after_the_last_day_and_only_while_awaiting_a_reply():
    due = date(2026, 12, 7)
    assert not is_overdue("assigned", due, date(2026, 12, 7))
    assert is_overdue("assigned", due, date(2026, 12, 8))
    assert is_overdue("reopened", due, date(2026, 12, 8))
    assert not is_overdue("answered", due, date(2026, 12, 30))
    assert not is_overdue("submitted", None, date(2026, 12, 30))
