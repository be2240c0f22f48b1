"""One clock for the platform, settable by tests across processes.

Time is stored in UTC and shown in Asia/Shanghai. ``now()`` is the wall clock unless
``FAZHI_CLOCK_FILE`` names a file holding ``{"frozen": "<ISO time>"}`` or
``{"offset_seconds": <n>}``; every process that shares the variable sees the same time,
so a test can move the clock of running services. Deadlines of RPC calls use the real
``time.time()`` on purpose: they protect against a client that has given up, whatever
the business clock says.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .config import CLOCK_FILE

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")

_cache: dict = {"path": None, "mtime": None, "setting": None}
_followed: dict = {"path": None}


def follow(path: str | None) -> None:
    """Read this process's clock from ``path`` instead of ``FAZHI_CLOCK_FILE`` (a script
    that replays history through the use cases, e.g. a demo seed); None goes back."""
    _followed["path"] = path


def _setting():
    path = _followed["path"] or CLOCK_FILE.get()
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None
    if _cache["path"] != path or _cache["mtime"] != mtime:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        _cache.update(path=path, mtime=mtime, setting=data)
    return _cache["setting"]


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    real = datetime.now(UTC)
    setting = _setting()
    if not setting:
        return real
    if setting.get("frozen"):
        return parse_time(setting["frozen"])
    return real + timedelta(seconds=float(setting.get("offset_seconds", 0)))


def today_local() -> date:
    """Today's date in Asia/Shanghai (days are counted in local dates)."""
    return now().astimezone(SHANGHAI).date()


def parse_time(value: str) -> datetime:
    """Parse an ISO time; a naive value is taken as Asia/Shanghai local time."""
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt.astimezone(UTC)


def to_local(dt: datetime) -> datetime:
    return dt.astimezone(SHANGHAI)


def isoformat(dt: datetime | None) -> str | None:
    """UTC ISO-8601 with offset, the wire format of times."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


def set_clock(path: str, *, frozen: datetime | None = None, offset_seconds: float | None = None):
    """Write the clock file (tests). Writes atomically so readers never see half a file."""
    data = {}
    if frozen is not None:
        data["frozen"] = isoformat(frozen)
    if offset_seconds is not None:
        data["offset_seconds"] = offset_seconds
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
