"""Rules of bookings (预邀服务): who may book for whom, capacity, no double booking, what
may be cancelled. The database keeps them under concurrent requests (a row lock on the
shift, a unique index on a resident's live booking); these rules say what is refused and
with which words. Pure."""
from __future__ import annotations

from datetime import datetime

from fazhi_shared.errors import Conflict


def check_bookable(capacity: int, booked: int, already_booked: bool, starts_at: datetime,
                   now: datetime, published: bool) -> None:
    """Raise ``Conflict`` (409, with the reason in Chinese) unless a place may be taken."""
    if not published:
        raise Conflict("该时段尚未发布，不能预约。", "The shift is not published yet.")
    if starts_at <= now:
        raise Conflict("该时段已开始或已结束，不能预约。", "The shift has started or ended.")
    if already_booked:
        raise Conflict("您已预约该时段，不能重复预约。",
                       "This resident already holds a place in this shift.")
    if booked >= capacity:
        raise Conflict("该时段已约满。", "The shift is fully booked.")


def check_cancellable(status: str, starts_at: datetime, now: datetime) -> None:
    if status != "confirmed":
        raise Conflict("该预约已取消。", "The booking is cancelled already.")
    if starts_at <= now:
        raise Conflict("时段已开始，不能取消预约。", "The shift has started.")


def free_places(capacity: int, booked: int) -> int:
    return max(0, capacity - booked)
