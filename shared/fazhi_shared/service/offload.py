"""CPU-bound work off the event loop: the one helper every service uses.

A nameko service is one OS thread on eventlet: green threads switch only when one waits
for I/O, so pure-Python CPU work in one worker (parsing a workbook, rendering an export)
or a C call that never yields (argon2) stops every other request of the process — its
``ping`` included — until it ends. Measured before this module: a workbook of 100,000
rows of blank cells made org unanswerable for ~20 s, three concurrent logins pushed its
ping p50 from 7 ms to ~300 ms. Two ways out, by the kind of work:

``run(fn, *args, timeout=None, **kwargs)`` — **work that holds the GIL** (openpyxl and
most pure Python) runs in a bounded pool of worker processes:

- **spawned**, never forked: a fork of a monkey-patched process inherits eventlet's hub,
  its sockets and locks; a spawned worker is a fresh interpreter that imports only what
  the task's module imports (keep task modules light) and is never made green;
- **started lazily** (no process until the first task), at most ``FAZHI_OFFLOAD_PROCESSES``
  per service process; a task waits (green, the loop keeps running) for a free worker. A
  worker takes a few tenths of a second to start (more on a busy machine): a use case
  that is about to offload calls :func:`prestart` first, so the start overlaps its
  database reads;
- the caller waits **without blocking the hub**: the result pipe is awaited through
  eventlet's hub (``trampoline``), so other green threads run meanwhile;
- **a time limit per task** (``FAZHI_OFFLOAD_TASK_SECONDS``, or ``timeout=``): a task past
  it is killed with its worker (the next task gets a fresh one) and the caller gets
  :class:`ServiceUnavailable` saying the work took too long. A worker that dies (out of
  memory, a crash) is replaced the same way; each worker is also replaced after
  ``MAX_TASKS`` tasks, so memory a big task took is given back.

``fn`` must be importable by name (a module-level function) and its arguments and result
picklable; an exception it raises is raised in the caller (if it cannot be pickled, a
``RuntimeError`` naming it). Inputs and results cross a pipe, pickled and copied in a
native thread, so megabytes cross while the hub runs; but unpickling is one C call that
holds the GIL: a result of many objects (50,000 rows: ~1 s) should come back in pickled
pieces the caller loads one by one with :func:`pause` between (as org's workbook parse
does). As with any spawned process, a script that offloads must guard its own code with
``if __name__ == "__main__"`` (a worker imports the main module; ``python -m pkg``'s
``__main__`` is skipped).

``burst(fn, *args, **kwargs)`` — **short bursts that release the GIL** (argon2, zlib,
hashing in C) run in a native thread (``eventlet.tpool``), at most
``FAZHI_OFFLOAD_THREADS`` at once per process: callers beyond that queue on a green
semaphore, so logins queue but the event loop does not. Pass the caller's ``deadline=``:
a call still queued when it passes gives up (``DeadlineExceeded``) and frees its nameko
worker, instead of doing work for a client already answered 503 — otherwise a burst of
logins fills every worker slot and even ``ping`` waits behind them.

Both run at a lower CPU priority than the event loop (nice ``NICE``): on a machine whose
cores are all busy, the loop's short turns (a ping, a read) still come first. Measured on
a loaded 2-core machine, org's ping p95 under three looping logins and a 50,000-row
parse: ~50 ms with it, 120–170 ms without.

Outside an eventlet process (commands, scripts, the seed) both still work: ``burst`` calls
``fn`` directly and ``run`` waits for its worker plainly.

Bound the work before it starts, too: a task's input should be checked cheaply first
(org's workbook import counts a sheet's rows in its XML before any parsing), so that
the time limit is the last line of defence, not the first.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import struct
import threading
import time
import traceback
from multiprocessing.reduction import ForkingPickler

from ..config import OFFLOAD_PROCESSES, OFFLOAD_TASK_SECONDS, OFFLOAD_THREADS
from ..errors import DeadlineExceeded, ServiceUnavailable

log = logging.getLogger(__name__)

MAX_TASKS = 200            # tasks a worker runs before it is replaced (memory given back)
# Offloaded work runs at a lower CPU priority than the event loop (a nice value: workers
# and burst threads, and the threads argon2 starts from them, inherit it): on a busy
# machine the loop's short turns come first, the long work takes what is left.
NICE = 10
TOO_LONG = ("处理时间过长，已中止，请缩小文件或稍后再试。",
            "The work took too long and was stopped; use a smaller file or try again later.")
WORKER_DIED = ("后台处理进程意外退出，请稍后再试。",
               "The background worker stopped unexpectedly; try again later.")


def green() -> bool:
    """Whether this process is eventlet's (monkey-patched threads)."""
    try:
        from eventlet import patcher
    except ImportError:
        return False
    return patcher.is_monkey_patched("thread")


def _lower_priority(who: int) -> None:
    """Give the process (``who=0``) or the native thread ``who`` the nice value NICE."""
    try:
        if os.getpriority(os.PRIO_PROCESS, who) < NICE:
            os.setpriority(os.PRIO_PROCESS, who, NICE)
    except (OSError, AttributeError):   # not permitted, or not a POSIX system
        pass


# -- the worker process ---------------------------------------------------------------------
def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")


def _serve(conn) -> None:
    """A worker's loop: receive ``(fn, args, kwargs)``, answer ``("ok", result)`` or
    ``("error", exception, traceback text)``; end when the service closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the service's to handle
    _lower_priority(0)
    while True:
        try:
            fn, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        except Exception as exc:                    # the task's module would not import
            answer = ("error", _portable(exc), traceback.format_exc())
        else:
            try:
                answer = ("ok", fn(*args, **kwargs))
            except BaseException as exc:
                answer = ("error", _portable(exc), traceback.format_exc())
        try:
            conn.send(answer)
        except Exception as exc:                    # the result would not pickle
            conn.send(("error", _portable(exc), traceback.format_exc()))


def _plain_os():
    """``os`` as it was before eventlet patched it: the pipe to a worker is read and
    written with plain calls (waiting for an answer goes through the hub, in
    :func:`_readable`); eventlet's green ``os.write`` would spin forever on a pipe whose
    worker died (EPIPE)."""
    if green():
        from eventlet.patcher import original

        return original("os")
    return os


def _send(fd: int, obj) -> None:
    """``obj`` on the pipe, framed as ``multiprocessing.Connection`` frames it."""
    write = _plain_os().write
    data = ForkingPickler.dumps(obj)
    n = len(data)
    header = struct.pack("!i", n) if n <= 0x7fffffff else struct.pack("!iQ", -1, n)
    view = memoryview(header + data)
    while view:
        view = view[write(fd, view):]


def _read_exactly(read, fd: int, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the worker closed its pipe")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _receive(fd: int):
    read = _plain_os().read
    (n,) = struct.unpack("!i", _read_exactly(read, fd, 4))
    if n == -1:
        (n,) = struct.unpack("!Q", _read_exactly(read, fd, 8))
    # A list, not the worker's tuple: eventlet.tpool takes any 3-tuple holding an
    # exception for an exc_info of its own.
    return list(pickle.loads(_read_exactly(read, fd, n)))


class _Worker:
    def __init__(self, context):
        self.conn, child = context.Pipe()
        # Under eventlet the socket pair comes out non-blocking; both ends read and write
        # with plain blocking calls (the service waits for readability through the hub).
        os.set_blocking(self.conn.fileno(), True)
        os.set_blocking(child.fileno(), True)
        self.process = context.Process(target=_serve, args=(child,), daemon=True,
                                       name="fazhi-offload")
        self.process.start()
        child.close()
        self.tasks = 0

    def call(self, fn, args, kwargs, timeout: float):
        self.tasks += 1
        fd = self.conn.fileno()
        _native(_send, fd, (fn, args, kwargs))
        if not _readable(self.conn, timeout):
            raise TimeoutError
        return _native(_receive, fd)     # EOFError when the worker died

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        except Exception:  # already gone
            pass
        try:
            self.conn.close()
        except OSError:
            pass

    def stop(self) -> None:
        try:
            self.conn.close()            # the worker's recv ends: it returns
            self.process.join(2)
        except OSError:
            pass
        if self.process.is_alive():
            self.kill()


def _native(fn, *args):
    """``fn(*args)`` in a native thread under eventlet: pickling and copying megabytes of
    input or result then shares the GIL with the hub instead of stopping it."""
    if not green():
        return fn(*args)
    from eventlet import tpool

    return tpool.execute(fn, *args)


def _readable(conn, timeout: float) -> bool:
    """Wait until ``conn`` has data (or EOF), at most ``timeout`` s, without blocking the
    eventlet hub when there is one."""
    if not green():
        return conn.poll(max(timeout, 0))

    from eventlet.hubs import trampoline

    class _Expired(Exception):
        pass

    try:
        trampoline(conn.fileno(), read=True, timeout=max(timeout, 0.001), timeout_exc=_Expired)
        return True
    except _Expired:
        return False


class Pool:
    """A bounded pool of spawned worker processes, started lazily (see the module doc)."""

    def __init__(self, size: int | None = None, task_seconds: float | None = None):
        self._size, self._task_seconds = size, task_seconds
        self._idle: list[_Worker] = []
        self._slots = None               # made at first use: green if the process is
        self._made = threading.Lock()
        self.started = 0                 # workers ever started (tests, logs)

    @property
    def size(self) -> int:
        return max(1, self._size or OFFLOAD_PROCESSES.get())

    def _acquire(self, deadline: float) -> bool:
        with self._made:
            if self._slots is None:
                if green():
                    from eventlet.semaphore import BoundedSemaphore
                else:
                    from threading import BoundedSemaphore
                self._slots = BoundedSemaphore(self.size)
        return self._slots.acquire(timeout=max(deadline - time.monotonic(), 0.001))

    def run(self, fn, *args, timeout: float | None = None, **kwargs):
        limit = timeout if timeout is not None else (
            self._task_seconds or OFFLOAD_TASK_SECONDS.get())
        deadline = time.monotonic() + limit
        if not self._acquire(deadline):
            raise ServiceUnavailable(*TOO_LONG)
        worker = None
        try:
            while self._idle and worker is None:
                worker = self._idle.pop()
                if not worker.process.is_alive():      # died idle (e.g. out of memory)
                    worker.kill()
                    worker = None
            worker = worker or self._start()
            try:
                answer = worker.call(fn, args, kwargs, deadline - time.monotonic())
            except TimeoutError:
                log.warning("offloaded %s.%s passed its %.1f s limit: its worker was killed",
                            getattr(fn, "__module__", "?"), getattr(fn, "__qualname__", fn),
                            limit)
                worker.kill()
                worker = None
                raise ServiceUnavailable(*TOO_LONG) from None
            except (EOFError, OSError):
                log.error("an offload worker died running %s.%s",
                          getattr(fn, "__module__", "?"), getattr(fn, "__qualname__", fn))
                worker.kill()
                worker = None
                raise ServiceUnavailable(*WORKER_DIED) from None
            if worker.tasks >= MAX_TASKS:
                worker.stop()
                worker = None
            status, value, *trace = answer
            if status == "ok":
                return value
            if trace and isinstance(value, BaseException):
                value.add_note(f"raised in an offload worker:\n{trace[0]}")
            raise value
        finally:
            if worker is not None:
                self._idle.append(worker)
            self._slots.release()

    def prestart(self) -> None:
        """Start a worker now, in the background, if none is idle and one may start (a
        task is coming: its worker starts while the caller reads its database)."""
        if self._idle or not green():
            return
        import eventlet

        if not self._acquire(time.monotonic()):     # every worker busy: nothing to do
            return

        def start():
            try:
                if not self._idle:
                    self._idle.append(self._start())
            except Exception:
                log.exception("could not start an offload worker")
            finally:
                self._slots.release()

        eventlet.spawn_n(start)

    def _start(self) -> _Worker:
        worker = _Worker(multiprocessing.get_context("spawn"))
        self.started += 1
        return worker

    def close(self) -> None:
        """Stop the idle workers (they also end with the service process)."""
        while self._idle:
            self._idle.pop().stop()


# -- native threads for short bursts that release the GIL -----------------------------------
_bursts = None
_bursts_made = threading.Lock()


def _burst_slots():
    global _bursts
    with _bursts_made:
        if _bursts is None:
            from eventlet.semaphore import Semaphore

            _bursts = Semaphore(max(1, OFFLOAD_THREADS.get()))
    return _bursts


def burst(fn, *args, deadline: float | None = None, **kwargs):
    """``fn(*args, **kwargs)`` in a native thread, at most ``FAZHI_OFFLOAD_THREADS`` at
    once in this process (others wait, green); directly outside an eventlet process.

    ``deadline`` (epoch seconds, the caller's): a call still waiting for its turn then
    gives up with ``DeadlineExceeded`` instead of doing work nobody waits for — under a
    burst of logins, the requests the gateway has already answered 503 leave the queue
    (and their worker slots) at once."""
    if not green():
        return fn(*args, **kwargs)
    from eventlet import tpool

    slots = _burst_slots()
    wait = None if deadline is None else deadline - time.time()
    if wait is not None and (wait <= 0 or not slots.acquire(timeout=wait)):
        raise DeadlineExceeded()
    if wait is None:
        slots.acquire()
    try:
        return tpool.execute(_in_background, fn, args, kwargs)
    finally:
        slots.release()


def _in_background(fn, args, kwargs):
    """In a tpool thread: lower the thread's priority (Linux nice values are per thread,
    and threads it starts inherit it), then run ``fn``."""
    from eventlet.patcher import original

    _lower_priority(original("threading").get_native_id())
    return fn(*args, **kwargs)


def pause() -> None:
    """Let the other green threads run (a no-op outside eventlet): a long loop in the
    service — taking a large result piece by piece — calls it between pieces."""
    if green():
        import eventlet

        eventlet.sleep(0)


# -- the process's pool ---------------------------------------------------------------------
_pool: Pool | None = None
_pool_pid = None


def pool() -> Pool:
    """This process's pool (made at first use; a forked child gets its own)."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        _pool, _pool_pid = Pool(), os.getpid()
    return _pool


def run(fn, *args, timeout: float | None = None, **kwargs):
    """``fn(*args, **kwargs)`` in this process's worker pool; see the module doc."""
    return pool().run(fn, *args, timeout=timeout, **kwargs)


def prestart() -> None:
    """Start a worker of this process's pool in the background (see :meth:`Pool.prestart`):
    a use case that will offload calls it first, so the worker's start overlaps its reads."""
    pool().prestart()
