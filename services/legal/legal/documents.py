"""Documents legal hands out: the roster as .xlsx (the shared writer) and the duty
calendars as iCalendar (RFC 5545, ``icalendar``). Module-level functions of plain data,
so they run in a worker process (``fazhi_shared.service.offload``), off the event loop."""
from __future__ import annotations

from datetime import datetime

from fazhi_shared.clock import SHANGHAI
from fazhi_shared.service.xlsx import Writer

PART_ZH = {"morning": "上午", "afternoon": "下午"}
KIND_ZH = {"lawyer": "律师", "volunteer": "法律志愿者"}


def roster_workbook(title: str, shifts: list[dict]) -> bytes:
    """``shifts``: ``{starts_at, ends_at, part, helper_name, helper_kind, capacity,
    booked}`` (aware datetimes), in order."""
    writer = Writer()
    sheet = writer.sheet("值班表")
    sheet.header(["日期", "星期", "时段", "开始", "结束", "值班人员", "身份", "可预约人数",
                  "已预约"], [12, 6, 6, 8, 8, 14, 10, 10, 8])
    weekday = "一二三四五六日"
    for s in shifts:
        start, end = s["starts_at"].astimezone(SHANGHAI), s["ends_at"].astimezone(SHANGHAI)
        sheet.append([start.date().isoformat(), weekday[start.weekday()],
                      PART_ZH.get(s["part"], s["part"]), start.strftime("%H:%M"),
                      end.strftime("%H:%M"), s["helper_name"],
                      KIND_ZH.get(s["helper_kind"], s["helper_kind"]), s["capacity"],
                      s["booked"]])
    info = writer.sheet("说明")
    info.append([title], bold=True)
    info.append(["时间均为北京时间（Asia/Shanghai）。"])
    return writer.to_bytes()


def duty_calendar(name: str, shifts: list[dict], now: datetime) -> bytes:
    """An iCalendar of duty shifts (``{id, starts_at, ends_at, helper_name, place,
    version}``), times in Asia/Shanghai with its VTIMEZONE."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Fazhi//legal duty roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for s in shifts:
        ev = Event()
        ev.add("uid", f"{s['id']}@legal.fazhi")
        ev.add("dtstamp", now)
        ev.add("dtstart", s["starts_at"].astimezone(SHANGHAI))
        ev.add("dtend", s["ends_at"].astimezone(SHANGHAI))
        ev.add("summary", f"法律顾问值班：{s['helper_name']}")
        ev.add("location", s["place"])
        ev.add("sequence", max(0, s["version"] - 1))
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
