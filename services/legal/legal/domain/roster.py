"""Rules of duty rosters: half-day slots over a period, and who sits in each.

A roster covers a compound's property office over a period, in half-day shifts (the
times are a setting). :func:`slots` lists the half-days; :func:`assign` gives each slot a
helper (a lawyer or volunteer of the agreement) so that

- a helper sits only on days they are available (not absent),
- never in two places at once: not over another shift they hold anywhere (other
  compounds' rosters, given as ``busy`` intervals),
- each helper's count lies within one of their fair share: shifts × their available
  days ÷ all available helper-days (``fair_shares``).

The assignment is a flow problem (slots ← helpers with bounds on each helper's count), so
when any fair assignment exists this finds one. Pure: no database, no clock.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from fazhi_shared.errors import ValidationFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Slot:
    day: date
    part: str                    # "morning" | "afternoon"
    starts_at: datetime          # aware
    ends_at: datetime


@dataclass
class Helper:
    id: str
    absent: set = field(default_factory=set)        # days not available
    busy: list = field(default_factory=list)        # [(starts_at, ends_at)] elsewhere


@dataclass
class Plan:
    assignments: dict            # Slot -> helper id
    unstaffed: list              # slots nobody could take
    shares: dict                 # helper id -> Fraction (fair share)
    counts: dict                 # helper id -> shifts given


def parse_shift_times(text: str) -> list[tuple[str, time, time]]:
    """``"09:00-12:00,14:00-17:30"`` → ``[("morning", 9:00, 12:00), ("afternoon", …)]``:
    the setting of half-day shift times (two parts, the morning first)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) != 2:
        raise ValueError("two half-day shifts expected: 'HH:MM-HH:MM,HH:MM-HH:MM'")
    out = []
    for name, part in zip(("morning", "afternoon"), parts):
        start, end = (time.fromisoformat(x.strip()) for x in part.split("-"))
        if end <= start:
            raise ValueError(f"{part}: a shift ends after it starts")
        out.append((name, start, end))
    if out[1][1] < out[0][2]:
        raise ValueError("the afternoon shift starts before the morning one ends")
    return out


def check_period(starts_on: date, ends_on: date, max_days: int) -> None:
    if ends_on < starts_on:
        raise ValidationFailed.for_field("ends_on", "结束日期不能早于开始日期。",
                                         "The period ends before it starts.")
    if (ends_on - starts_on).days + 1 > max_days:
        raise ValidationFailed.for_field("ends_on", f"排班周期不能超过 {max_days} 天。",
                                         f"A roster covers at most {max_days} days.")


def roster_days(starts_on: date, ends_on: date, weekdays, is_working_day=None) -> list[date]:
    """The days of the period the office is staffed: the chosen weekdays, and when
    ``is_working_day`` is given, working days only (holidays off, make-up days kept
    only if they fall on a chosen weekday or are working Saturdays/Sundays)."""
    days, day = [], starts_on
    wanted = set(weekdays)
    while day <= ends_on:
        if is_working_day is None:
            ok = day.weekday() in wanted
        else:
            ok = is_working_day(day) and (day.weekday() in wanted or day.weekday() >= 5)
        if ok:
            days.append(day)
        day += timedelta(days=1)
    return days


def slots(days, shift_times, tz=SHANGHAI) -> list[Slot]:
    """Every half-day slot of ``days`` in local time (``tz``)."""
    return [Slot(d, name, datetime.combine(d, start, tz), datetime.combine(d, end, tz))
            for d in days for name, start, end in shift_times]


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end) overlap."""
    return a_start < b_end and b_start < a_end


def can_sit(helper: Helper, slot: Slot) -> bool:
    return slot.day not in helper.absent and not any(
        overlaps(slot.starts_at, slot.ends_at, s, e) for s, e in helper.busy)


def fair_shares(total: int, available_days: dict) -> dict:
    """Each helper's fair share of ``total`` shifts: total × their days ÷ all days."""
    all_days = sum(available_days.values())
    if all_days == 0:
        return {h: Fraction(0) for h in available_days}
    return {h: Fraction(total * d, all_days) for h, d in available_days.items()}


def within_one(count: int, share: Fraction) -> bool:
    """A count is fair when it lies strictly within one of the share."""
    return abs(count - share) < 1


def assign(slot_list, helpers, days) -> Plan:
    """Give each slot a helper (see the module doc). ``days``: the roster's days, over
    which each helper's available days are counted."""
    order = sorted(helpers, key=lambda h: h.id)
    available = {h.id: sum(1 for d in days if d not in h.absent) for h in order}
    eligible = {s: [h.id for h in order if can_sit(h, s)] for s in slot_list}
    staffable = [s for s in slot_list if eligible[s]]
    shares = fair_shares(len(staffable), available)
    low = {h: math.floor(shares[h]) for h in shares}
    high = {h: math.ceil(shares[h]) for h in shares}
    flow = _Flow(staffable, eligible)
    flow.fill(low)            # everyone's lower bound first
    flow.fill(high)           # then up to the upper bound: never below the lower one
    if flow.total() < len(staffable):
        flow.fill({h: len(staffable) for h in shares})   # no fair plan: staff what can be
    assignments = flow.assignments()
    counts = {h: 0 for h in shares}
    for h in assignments.values():
        counts[h] += 1
    unstaffed = [s for s in slot_list if s not in assignments]
    return Plan(assignments, unstaffed, shares, counts)


class _Flow:
    """Source → helper (capacity: their bound) → slot (eligible) → sink (1). Raising the
    helpers' capacities and augmenting again never lowers a helper's flow, so the lower
    bounds filled first stay filled."""

    def __init__(self, slot_list, eligible):
        self.slots = slot_list
        self.eligible = eligible
        self.cap_helper: dict = {}
        self.helper_flow: dict = {}
        self.slot_of: dict = {}            # slot -> helper holding it

    def total(self) -> int:
        return len(self.slot_of)

    def fill(self, caps: dict) -> None:
        self.cap_helper = dict(caps)
        for h in caps:
            self.helper_flow.setdefault(h, 0)
        while self._augment():
            pass

    def _augment(self) -> bool:
        """One augmenting path: a helper with spare capacity takes a free slot, maybe by
        taking a slot from another helper who moves on to another slot, and so on."""
        by_helper: dict = {}
        for s in self.slots:
            for h in self.eligible[s]:
                by_helper.setdefault(h, []).append(s)
        starts = [h for h in sorted(self.cap_helper)
                  if self.helper_flow.get(h, 0) < self.cap_helper[h]]
        claimed_by: dict = {}               # slot -> helper that would take it
        reached_via: dict = {}              # helper -> the slot it would give up
        seen = set(starts)
        queue = deque(starts)
        while queue:
            h = queue.popleft()
            for s in by_helper.get(h, []):
                holder = self.slot_of.get(s)
                if s in claimed_by or holder == h:
                    continue
                claimed_by[s] = h
                if holder is None:
                    self._flip(s, claimed_by, reached_via)
                    return True
                if holder not in seen:
                    seen.add(holder)
                    reached_via[holder] = s
                    queue.append(holder)
        return False

    def _flip(self, slot, claimed_by, reached_via) -> None:
        while True:
            h = claimed_by[slot]
            self.slot_of[slot] = h
            if h not in reached_via:         # the path's first helper: one more shift
                self.helper_flow[h] = self.helper_flow.get(h, 0) + 1
                return
            slot = reached_via[h]            # h gives up the slot it was reached by

    def assignments(self) -> dict:
        return dict(self.slot_of)
