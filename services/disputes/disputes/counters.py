"""The maintained aggregates behind the statistics: one counter per compound, month,
category and measure, bumped in the transaction of the change that moves it (an upsert
adding ``delta``), so statistics read a few hundred counters instead of every case."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from fazhi_shared import clock

_UPSERT = text(
    "INSERT INTO stat_counters (compound_path, month, category, measure, value) "
    "VALUES (:p, :m, :c, :k, :d) ON CONFLICT (compound_path, month, category, measure) "
    "DO UPDATE SET value = stat_counters.value + EXCLUDED.value")


def month_of(at: datetime | date) -> date:
    day = clock.to_local(at).date() if isinstance(at, datetime) else at
    return day.replace(day=1)


def bump(session, compound_path: str, at, category: str, measures: dict) -> None:
    """Add ``measures`` ({measure: delta}) to the counters of the month of ``at``."""
    month = month_of(at)
    for measure, delta in sorted(measures.items()):     # one lock order: no deadlocks
        if delta:
            session.execute(_UPSERT, {"p": compound_path, "m": month, "c": category,
                                      "k": measure, "d": delta})


_CURRENT = text(
    "INSERT INTO current_counters (compound_path, measure, value) VALUES (:p, :k, :d) "
    "ON CONFLICT (compound_path, measure) DO UPDATE "
    "SET value = current_counters.value + EXCLUDED.value")


def bump_current(session, compound_path: str, measure: str, delta: int) -> None:
    """Add ``delta`` to the current count of ``measure`` in the compound (``overdue``)."""
    if delta:
        session.execute(_CURRENT, {"p": compound_path, "k": measure, "d": delta})
