"""The roster generator (``legal.domain.roster``): fair shares within one, availability,
no overlap with shifts elsewhere — over many shapes of input."""
import itertools
import random
from datetime import date, datetime, time, timedelta

import pytest

from fazhi_shared.errors import ValidationFailed

from legal.domain import roster as r

TIMES = r.parse_shift_times("09:00-12:00,14:00-17:30")
MONDAY = date(2026, 3, 2)


def four_weeks():
    return r.roster_days(MONDAY, MONDAY + timedelta(days=27), range(5))


def check(plan, helpers, slot_list):
    by_id = {h.id: h for h in helpers}
    for slot, hid in plan.assignments.items():
        assert r.can_sit(by_id[hid], slot), (slot, hid)
    for hid, share in plan.shares.items():
        assert r.within_one(plan.counts[hid], share), (hid, plan.counts[hid], share)
    assert set(plan.assignments) | set(plan.unstaffed) == set(slot_list)


def test_shift_times_setting():
    assert TIMES == [("morning", time(9), time(12)), ("afternoon", time(14), time(17, 30))]
    for bad in ("09:00-12:00", "12:00-09:00,14:00-17:00", "09:00-12:00,11:00-13:00", "x"):
        with pytest.raises(ValueError):
            r.parse_shift_times(bad)


def test_slots_are_local_half_days():
    [morning, afternoon] = r.slots([MONDAY], TIMES)
    assert morning.starts_at.isoformat() == "2026-03-02T09:00:00+08:00"
    assert afternoon.ends_at.isoformat() == "2026-03-02T17:30:00+08:00"
    assert (morning.part, afternoon.part) == ("morning", "afternoon")


def test_roster_days_weekdays_and_working_days():
    week = r.roster_days(MONDAY, MONDAY + timedelta(days=6), range(5))
    assert [d.weekday() for d in week] == [0, 1, 2, 3, 4]
    holiday = MONDAY + timedelta(days=2)
    makeup = MONDAY + timedelta(days=5)          # a working Saturday
    days = r.roster_days(MONDAY, MONDAY + timedelta(days=6), range(5),
                         lambda d: (d != holiday and d.weekday() < 5) or d == makeup)
    assert holiday not in days and makeup in days and len(days) == 5


def test_period_checks():
    r.check_period(MONDAY, MONDAY, 92)
    r.check_period(MONDAY, MONDAY + timedelta(days=91), 92)
    with pytest.raises(ValidationFailed):
        r.check_period(MONDAY, MONDAY - timedelta(days=1), 92)
    with pytest.raises(ValidationFailed) as info:
        r.check_period(MONDAY, MONDAY + timedelta(days=92), 92)
    assert "ends_on" in info.value.fields["zh"]


def test_overlap_is_half_open():
    t = datetime(2026, 3, 2, 9, tzinfo=r.SHANGHAI)
    h = timedelta(hours=1)
    assert r.overlaps(t, t + h, t + h / 2, t + 2 * h)
    assert not r.overlaps(t, t + h, t + h, t + 2 * h)        # back to back is fine
    assert r.overlaps(t, t + 3 * h, t + h, t + 2 * h)         # inside


def test_fair_shares_and_within_one():
    shares = r.fair_shares(40, {"a": 20, "b": 15, "c": 20})
    assert sum(shares.values()) == 40
    assert float(shares["b"]) == pytest.approx(40 * 15 / 55)
    assert r.within_one(11, shares["b"]) and r.within_one(10, shares["b"])
    assert not r.within_one(12, shares["b"]) and not r.within_one(9, shares["b"])
    assert r.within_one(5, r.fair_shares(10, {"a": 1, "b": 1})["a"])
    assert not r.within_one(4, r.fair_shares(10, {"a": 1, "b": 1})["a"])   # exact share
    assert r.fair_shares(3, {"a": 0}) == {"a": 0}


def test_the_closing_note_case_three_lawyers_four_weeks():
    """One lawyer away for a week, one also rostered at another compound."""
    days = four_weeks()
    slot_list = r.slots(days, TIMES)
    away = set(days[5:10])                                   # the second week
    elsewhere = [(s.starts_at, s.ends_at) for s in r.slots(days, TIMES)
                 if s.part == "morning" and s.day.weekday() in (1, 3)]
    helpers = [r.Helper("a"), r.Helper("b", absent=away), r.Helper("c", busy=elsewhere)]
    plan = r.assign(slot_list, helpers, days)
    check(plan, helpers, slot_list)
    assert not plan.unstaffed and sum(plan.counts.values()) == 40
    # shares: 40 × 20/55, 40 × 15/55, 40 × 20/55 → 14.5, 10.9, 14.5
    assert sorted(plan.counts.values()) in ([11, 14, 15], [10, 15, 15])
    assert not [s for s, h in plan.assignments.items() if h == "c" and s.part == "morning"
                and s.day.weekday() in (1, 3)]
    assert not [s for s, h in plan.assignments.items() if h == "b" and s.day in away]


def test_a_slot_nobody_can_take_is_left_unstaffed():
    days = [MONDAY]
    slot_list = r.slots(days, TIMES)
    morning = slot_list[0]
    helpers = [r.Helper("a", busy=[(morning.starts_at, morning.ends_at)])]
    plan = r.assign(slot_list, helpers, days)
    assert plan.unstaffed == [morning] and plan.counts == {"a": 1}


def test_nobody_available_staffs_nothing():
    days = [MONDAY]
    plan = r.assign(r.slots(days, TIMES), [r.Helper("a", absent={MONDAY})], days)
    assert not plan.assignments and len(plan.unstaffed) == 2


def test_the_flow_finds_a_fair_plan_a_greedy_one_would_miss():
    # a can only take the mornings, b either part: a greedy first-come order that gives
    # b the mornings starves a.
    days = r.roster_days(MONDAY, MONDAY + timedelta(days=1), range(5))
    slot_list = r.slots(days, TIMES)
    afternoons = [(s.starts_at, s.ends_at) for s in slot_list if s.part == "afternoon"]
    helpers = [r.Helper("b"), r.Helper("a", busy=afternoons)]
    plan = r.assign(slot_list, helpers, days)
    assert plan.counts == {"a": 2, "b": 2}
    check(plan, helpers, slot_list)


@pytest.mark.parametrize("seed", range(150))
def test_random_rosters_keep_every_rule(seed):
    rnd = random.Random(seed)
    days = r.roster_days(MONDAY, MONDAY + timedelta(days=rnd.randint(0, 34)),
                         rnd.sample(range(7), rnd.randint(1, 7)))
    slot_list = r.slots(days, TIMES)
    helpers = []
    for i in range(rnd.randint(1, 6)):
        absent = {d for d in days if rnd.random() < rnd.choice((0, 0.1, 0.4))}
        busy = [(s.starts_at + timedelta(minutes=rnd.choice((-60, 0, 30))),
                 s.ends_at) for s in slot_list if rnd.random() < rnd.choice((0, 0.1, 0.3))]
        helpers.append(r.Helper(f"h{i}", absent=absent, busy=busy))
    plan = r.assign(slot_list, helpers, days)
    by_id = {h.id: h for h in helpers}
    for slot, hid in plan.assignments.items():
        assert r.can_sit(by_id[hid], slot)
    # every slot somebody could take is taken
    assert all(not any(r.can_sit(h, s) for h in helpers) for s in plan.unstaffed)
    # fair whenever a fair plan exists (found by brute force on small cases)
    fair = all(r.within_one(plan.counts[h], plan.shares[h]) for h in plan.counts)
    if not fair and len(slot_list) <= 8 and len(helpers) <= 3:
        assert not _some_fair_plan_exists(slot_list, helpers, days, plan.shares)


def _some_fair_plan_exists(slot_list, helpers, days, shares):
    staffable = [s for s in slot_list if any(r.can_sit(h, s) for h in helpers)]
    options = [[h.id for h in helpers if r.can_sit(h, s)] for s in staffable]
    for choice in itertools.product(*options):
        counts = {h.id: choice.count(h.id) for h in helpers}
        if all(r.within_one(counts[h], shares[h]) for h in counts):
            return True
    return False
