"""A script replays history by following its own clock file (clock.follow)."""
from datetime import datetime, timezone

from fazhi_shared import clock


def test_a_followed_clock_file_decides_now_until_released(tmp_path, monkeypatch):
    monkeypatch.delenv("FAZHI_CLOCK_FILE", raising=False)
    path = tmp_path / "clock.json"
    then = datetime(2025, 3, 1, 8, 30, tzinfo=timezone.utc)
    clock.set_clock(str(path), frozen=then)
    try:
        clock.follow(str(path))
        assert clock.now() == then
        assert clock.today_local().isoformat() == "2025-03-01"
    finally:
        clock.follow(None)
    assert abs((clock.now() - datetime.now(timezone.utc)).total_seconds()) < 5


def test_following_wins_over_the_setting(tmp_path, monkeypatch):
    setting, followed = tmp_path / "setting.json", tmp_path / "followed.json"
    clock.set_clock(str(setting), frozen=datetime(2024, 1, 1, tzinfo=timezone.utc))
    clock.set_clock(str(followed), frozen=datetime(2026, 6, 1, tzinfo=timezone.utc))
    monkeypatch.setenv("FAZHI_CLOCK_FILE", str(setting))
    assert clock.now().year == 2024
    try:
        clock.follow(str(followed))
        assert clock.now().year == 2026
    finally:
        clock.follow(None)
    assert clock.now().year == 2024
