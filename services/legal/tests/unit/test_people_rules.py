"""Intake steps, coverage, training minimum, masking (``legal.domain.people``), bookings,
agreements and feeds."""
from datetime import date, datetime, timedelta, timezone

import pytest

from fazhi_shared.errors import Conflict, ValidationFailed

from legal.domain import agreements, bookings, feeds, people

NOW = datetime(2026, 3, 2, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize("current, wanted, ok", [
    ("nominated", "assessing", True), ("nominated", "confirmed", True),
    ("nominated", "rejected", True), ("assessing", "assessing", True),
    ("assessing", "confirmed", True), ("assessing", "rejected", True),
    ("confirmed", "rejected", False), ("confirmed", "assessing", False),
    ("rejected", "confirmed", False), ("rejected", "assessing", False),
])
def test_intake_steps(current, wanted, ok):
    if ok:
        assert people.next_status(current, wanted) == wanted
    else:
        with pytest.raises(Conflict):
            people.next_status(current, wanted)


def test_a_rejection_needs_a_reason():
    assert people.decision_status("assessing", True, None) == "confirmed"
    assert people.decision_status("assessing", False, "未参加考核") == "rejected"
    for blank in (None, "", "  "):
        with pytest.raises(ValidationFailed) as info:
            people.decision_status("assessing", False, blank)
        assert "reason" in info.value.fields["zh"]


def test_uncovered_buildings_keep_their_order():
    b = [{"id": str(i), "name": f"{i}号楼"} for i in range(1, 7)]
    assert [x["name"] for x in people.uncovered(b, {"1", "2", "4", "6", "x"})] == \
        ["3号楼", "5号楼"]
    assert people.uncovered(b, set()) == b and people.uncovered([], {"1"}) == []


def test_targets_and_training_minimum():
    assert people.meets_target(3, 3) and not people.meets_target(2, 3)
    assert people.below_minimum(0, 1) and not people.below_minimum(1, 1)
    assert people.below_minimum(1, 2)


@pytest.mark.parametrize("raw, masked", [
    ("电话13812345678，请回电", "电话138****5678，请回电"),
    ("手机 +86 138-1234-5678", "手机 138****5678"),
    ("身份证320123199001011234", "身份证320123********1234"),
    ("身份证32012319900101123X号", "身份证320123********123X号"),
    ("座机0523-86541234", "座机0523-****1234"),
    ("楼号12，房号1201，面积89.5", "楼号12，房号1201，面积89.5"),
    (None, None),
])
def test_personal_numbers_are_masked(raw, masked):
    assert people.mask_personal_numbers(raw) == masked


def test_booking_rules():
    later = NOW + timedelta(hours=2)
    bookings.check_bookable(4, 3, False, later, NOW, True)
    cases = [((4, 4, False, later, NOW, True), "已约满"),
             ((4, 0, True, later, NOW, True), "重复预约"),
             ((4, 0, False, NOW, NOW, True), "已开始"),
             ((4, 0, False, later, NOW, False), "尚未发布")]
    for args, words in cases:
        with pytest.raises(Conflict) as info:
            bookings.check_bookable(*args)
        assert words in info.value.message_zh
    bookings.check_cancellable("confirmed", later, NOW)
    with pytest.raises(Conflict):
        bookings.check_cancellable("cancelled", later, NOW)
    with pytest.raises(Conflict):
        bookings.check_cancellable("confirmed", NOW, NOW)
    assert bookings.free_places(4, 1) == 3 and bookings.free_places(4, 6) == 0


@pytest.mark.parametrize("days_left, warned, due", [
    (31, False, False), (30, False, True), (1, False, True), (0, False, True),
    (-1, False, False), (10, True, False)])
def test_agreement_warning_30_days_before_the_end(days_left, warned, due):
    today = date(2026, 3, 1)
    assert agreements.warning_due(today + timedelta(days=days_left), today, warned) is due


def test_agreement_term():
    agreements.check_term(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValidationFailed):
        agreements.check_term(date(2026, 1, 2), date(2026, 1, 1))
    assert agreements.covers(date(2026, 1, 1), date(2026, 12, 31), date(2026, 3, 1),
                             date(2026, 3, 28))
    assert not agreements.covers(date(2026, 1, 1), date(2026, 3, 20), date(2026, 3, 1),
                                 date(2026, 3, 28))


def test_feed_tokens_are_random_and_kept_hashed():
    a, b = feeds.new_token(), feeds.new_token()
    assert a != b and len(a) >= 40
    assert feeds.token_hash(a) != a and len(feeds.token_hash(a)) == 64
    assert feeds.feed_url("https://x.cn/", a) == f"https://x.cn/api/v1/legal/feeds/{a}/calendar.ics"
