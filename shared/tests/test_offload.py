"""The offload helper (``fazhi_shared.service.offload``): CPU-bound work off the event loop.

The test process is monkey-patched like a service, so these run on eventlet's hub. Pool
tasks must be importable by name in a fresh interpreter: these use builtins (``eval`` of
an expression, ``time.sleep``), so nothing of this test module has to be.
"""
from __future__ import annotations

import os
import threading
import time

import eventlet
import pytest
from eventlet.patcher import original

from fazhi_shared.errors import ServiceUnavailable
from fazhi_shared.service import offload

real_time = original("time")
CPU_SECOND = "sum(range(80_000_000))"        # a second or so of pure-Python CPU
# A blocked hub would not tick for the whole task (a second or more); on a loaded 2-core
# machine the OS may still hold the hub's thread back for a few tens of milliseconds.
STALL = 0.25


class Ticker:
    """A green thread ticking every 10 ms: its longest gap is how long the hub stalled."""

    def __init__(self):
        self.ticks: list[float] = []
        self._thread = None

    def _run(self):
        while True:
            self.ticks.append(time.perf_counter())
            eventlet.sleep(0.01)

    def __enter__(self):
        self._thread = eventlet.spawn(self._run)
        eventlet.sleep(0)
        return self

    def __exit__(self, *exc):
        self._thread.kill()

    @property
    def longest_gap(self) -> float:
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:]))


@pytest.fixture
def pool():
    p = offload.Pool(size=1, task_seconds=30)
    yield p
    p.close()


def test_the_pool_starts_lazily_and_spawns_fresh_interpreters(pool):
    assert offload.green()
    assert pool.started == 0                       # nothing until the first task
    pid, modules = pool.run(eval, "(__import__('os').getpid(), set(__import__('sys').modules))")
    assert pool.started == 1 and pid != os.getpid()
    # Spawned, not forked: the worker never had eventlet (a fork would have inherited it,
    # monkey patching and all), nor nameko.
    assert "eventlet" not in modules and "nameko" not in modules
    assert pool.run(eval, "__import__('os').getpid()") == pid        # reused


def test_the_event_loop_keeps_running_while_a_task_computes(pool):
    pool.run(eval, "1")                            # started (spawning is not measured)
    with Ticker() as ticker:
        t0 = time.perf_counter()
        assert pool.run(eval, CPU_SECOND) > 0
        took = time.perf_counter() - t0
    print(f"\ntask {took:.2f} s; longest hub stall {ticker.longest_gap * 1000:.0f} ms")
    assert took > 0.2                              # it did compute …
    assert ticker.longest_gap < STALL                # … and the hub went on meanwhile
    assert len(ticker.ticks) >= took / 0.01 / 3


def test_a_task_past_its_time_limit_is_stopped_and_its_worker_replaced(pool):
    first = pool.run(eval, "__import__('os').getpid()")
    t0 = time.monotonic()
    with pytest.raises(ServiceUnavailable) as info:
        pool.run(eval, "__import__('time').sleep(30)", timeout=0.5)
    assert time.monotonic() - t0 < 3
    assert "处理时间过长" in info.value.message_zh and "too long" in info.value.message_en
    wait_gone(first)
    assert pool.run(eval, "__import__('os').getpid()") != first      # a fresh worker
    assert pool.started == 2


def test_a_worker_that_dies_is_replaced(pool):
    first = pool.run(eval, "__import__('os').getpid()")
    with pytest.raises(ServiceUnavailable) as info:
        pool.run(eval, "__import__('os')._exit(3)")
    assert "意外退出" in info.value.message_zh
    assert pool.run(eval, "__import__('os').getpid()") not in (first, None)


def test_exceptions_of_the_task_are_raised_in_the_caller(pool):
    with pytest.raises(ZeroDivisionError) as info:
        pool.run(eval, "1 / 0")
    assert any("offload worker" in note for note in getattr(info.value, "__notes__", []))
    with pytest.raises(ServiceUnavailable):        # a typed error crosses intact
        pool.run(exec, "from fazhi_shared.errors import ServiceUnavailable\n"
                       "raise ServiceUnavailable('忙', 'busy')")
    assert pool.run(eval, "2 + 2") == 4            # the worker survived both


def test_the_pool_is_bounded_and_callers_wait_green():
    p = offload.Pool(size=2, task_seconds=30)
    try:
        results = []

        def one():
            results.append(p.run(eval, "__import__('time').sleep(0.4) or __import__('os').getpid()"))

        with Ticker() as ticker:
            t0 = time.perf_counter()
            threads = [eventlet.spawn(one) for _ in range(4)]
            for t in threads:
                t.wait()
            took = time.perf_counter() - t0
        assert p.started == 2 and len(set(results)) == 2     # two workers, never more
        assert took >= 0.8                                   # four tasks, two at a time
        assert ticker.longest_gap < STALL
    finally:
        p.close()


def test_big_inputs_and_results_cross_without_stalling_the_hub(pool):
    pool.run(eval, "1")
    data = os.urandom(1 << 20) * 12                          # 12 MB, like a large upload
    with Ticker() as ticker:
        assert pool.run(eval, "x[::-1]", {"x": data}) == data[::-1]
    assert ticker.longest_gap < STALL, ticker.longest_gap


def test_bursts_run_in_native_threads_a_few_at_a_time(monkeypatch):
    monkeypatch.setenv("FAZHI_OFFLOAD_THREADS", "2")
    monkeypatch.setattr(offload, "_bursts", None)            # made again with the setting
    running, most, lock = [0], [0], threading.Lock()

    def hash_like():                  # holds its thread like argon2: no green yield
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        real_time.sleep(0.2)
        with lock:
            running[0] -= 1
        return threading.get_ident()

    with Ticker() as ticker:
        t0 = time.perf_counter()
        threads = [eventlet.spawn(offload.burst, hash_like) for _ in range(6)]
        idents = [t.wait() for t in threads]
        took = time.perf_counter() - t0
    assert most[0] == 2                                      # bounded
    assert took >= 0.55                                      # six of 0.2 s, two at a time
    assert threading.get_ident() not in idents               # not the hub's thread
    assert ticker.longest_gap < STALL                          # the loop went on


def test_argon2_through_burst_keeps_the_loop_running(monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(offload, "_bursts", None)
    hasher = PasswordHasher()
    with Ticker() as ticker:
        threads = [eventlet.spawn(offload.burst, hasher.hash, f"password-{i}") for i in range(3)]
        hashes = [t.wait() for t in threads]
    assert all(hasher.verify(h, f"password-{i}") for i, h in enumerate(hashes))
    assert ticker.longest_gap < STALL, ticker.longest_gap      # inline: ~0.5 s, one tick
    assert len(ticker.ticks) >= 10


def wait_gone(pid: int, timeout: float = 5) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"worker {pid} still running")


def test_prestart_starts_a_worker_in_the_background_and_stays_bounded():
    p = offload.Pool(size=1, task_seconds=30)
    try:
        t0 = time.perf_counter()
        p.prestart()
        assert time.perf_counter() - t0 < 0.05                 # the caller does not wait
        deadline = time.monotonic() + 30
        while not p._idle and time.monotonic() < deadline:
            eventlet.sleep(0.05)
        assert p.started == 1
        p.prestart()                                          # one is idle: nothing more
        pid = p.run(eval, "__import__('os').getpid()")
        assert p.started == 1 and pid != os.getpid()
    finally:
        p.close()


def test_a_burst_still_queued_at_its_callers_deadline_gives_up(monkeypatch):
    from fazhi_shared.errors import DeadlineExceeded

    monkeypatch.setenv("FAZHI_OFFLOAD_THREADS", "1")
    monkeypatch.setattr(offload, "_bursts", None)
    busy = eventlet.spawn(offload.burst, real_time.sleep, 1.0)
    eventlet.sleep(0.05)                                     # it holds the one thread
    ran = []
    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        offload.burst(ran.append, 1, deadline=time.time() + 0.2)
    assert 0.15 < time.monotonic() - t0 < 0.8 and ran == []  # gave up, did nothing
    with pytest.raises(DeadlineExceeded):
        offload.burst(ran.append, 2, deadline=time.time() - 1)   # already past
    busy.wait()
    assert offload.burst(ran.append, 3, deadline=time.time() + 5) is None and ran == [3]
