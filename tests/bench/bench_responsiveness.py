"""``make bench`` (second part): does org's event loop stay responsive under CPU-bound work?

Starts org and the gateway (gunicorn) on a private RabbitMQ vhost with fresh databases
and org's demo seed, then pings org by RPC (straight to its queue: the measure of its
event loop, not of the gateway's threads) every 20 ms while, in turn:

- nothing else runs (idle);
- 20 clients log in through the gateway again and again (argon2 in org);
- the same 20 clients, and a hostile import: 100,000 rows of blank cells (3.3 MB),
  the file that once made org unanswerable for ~20 s;
- the same 20 clients, all through a large import: a 20,000-unit workbook (parsing,
  validation, then planning and writing in one transaction);
- the same 20 clients while org's outbox relays the events that import wrote (about
  five per unit).

and prints ping p50/p95/p99/max and lost pings (no answer within 2 s) per scenario, with
the logins' rate and latency. The goal: ping p95 under 100 ms in every scenario (logins
may queue; the event loop may not). Client and servers share this machine's cores.

    python tests/bench/bench_responsiveness.py [--seconds 15] [--logins 20] [--rows 20000]
"""
from __future__ import annotations

import argparse
import dataclasses
import io
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gateway import percentile  # noqa: E402
from fazhi_shared.service.platform import free_port  # noqa: E402

from fazhi_shared.service.green import quiet  # noqa: E402

quiet()

from fazhi_shared.service.migrations import upgrade  # noqa: E402
from fazhi_shared.service.testing import TEST_PG, create_vhost  # noqa: E402

from bench_common import tear_down  # noqa: E402  (this folder is on sys.path)

PING_EVERY = 0.02
PING_TIMEOUT = 2.0
DEMO_USER, DEMO_PASSWORD = "street_admin", "Fazhi2026!"


# -- load ---------------------------------------------------------------------------------
def _login_load(url: str, clients: int, stop, counts) -> None:
    """In a child process: ``clients`` threads logging in until ``stop`` is set; puts the
    latencies (s) of successful logins and the number of failed ones into ``counts``."""
    latencies, failed = [], [0]
    lock = threading.Lock()

    def client():
        s = requests.Session()
        mine, bad = [], 0
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                r = s.post(url, json={"username": DEMO_USER, "password": DEMO_PASSWORD},
                           timeout=10)
                ok = r.status_code == 200
            except requests.RequestException:
                ok = False
            if ok:
                mine.append(time.perf_counter() - t0)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            failed[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts.put((latencies, failed[0]))


class Logins:
    """Logins through the gateway from a child process (its threads never hold this
    process's interpreter while it pings)."""

    def __init__(self, base: str, clients: int):
        self.clients = clients
        ctx = multiprocessing.get_context("spawn")
        self.stop, self.counts = ctx.Event(), ctx.Queue()
        self.proc = ctx.Process(target=_login_load, args=(
            f"{base}/api/v1/auth/login", clients, self.stop, self.counts)) if clients else None
        self.result = ([], 0)

    def __enter__(self):
        self.started = time.monotonic()
        if self.proc:
            self.proc.start()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started
        if self.proc:
            self.stop.set()
            self.result = self.counts.get(timeout=60)
            self.proc.join(30)


class Pinger:
    """Pings org by RPC every ``PING_EVERY`` s in a thread until stopped."""

    def __init__(self, uri: str):
        from fazhi_shared.context import Principal, sign
        from fazhi_shared.service.rpc_client import RpcClient, context_for

        self.client = RpcClient(uri)
        self.sign, self.context_for, self.anonymous = sign, context_for, Principal.anonymous
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            p = dataclasses.replace(self.anonymous(), deadline=time.time() + PING_TIMEOUT)
            t0 = time.perf_counter()
            try:
                self.client.call("org", "ping", {}, self.context_for(self.sign(p), "bench"),
                                 PING_TIMEOUT)
                self.latencies.append(time.perf_counter() - t0)
            except Exception:
                self.latencies.append(float("inf"))
            time.sleep(PING_EVERY)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.client.close()


# -- org calls and workbooks ------------------------------------------------------------------
def rpc(uri: str, principal, method: str, timeout: float = 30, **kwargs):
    from fazhi_shared.context import sign
    from fazhi_shared.service.rpc_client import RpcClient, context_for

    c = RpcClient(uri)
    try:
        p = dataclasses.replace(principal, deadline=time.time() + timeout)
        return c.call("org", method, kwargs, context_for(sign(p), "bench"), timeout)
    finally:
        c.close()


def large_workbook(rows: int) -> bytes:
    from org.samples import unit_row, xlsx

    return xlsx([unit_row(i) for i in range(rows)])


def blank_workbook(rows: int = 100_000) -> bytes:
    import openpyxl

    from org.workbook import HEADINGS, SHEET

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append(list(HEADINGS))
    for _ in range(rows):
        ws.append([" "] * len(HEADINGS))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Import:
    """Starts an import into a new compound; ``wait`` polls it to its end."""

    def __init__(self, uri: str, community: dict, content: bytes, name: str):
        from fazhi_shared import files
        from fazhi_shared.context import Grant, Principal

        from fazhi_org_contract.vocabulary import XLSX

        self.uri = uri
        self.worker = Principal(kind="user", account_id="bench-importer",
                                grants=(Grant("community_worker", community["path"]),))
        compound = rpc(uri, Principal.system(), "create_unit", parent_id=community["id"],
                       kind="compound", name=f"{name}-{uuid.uuid4().hex[:6]}")
        self.ref = files.put_bytes(content, XLSX, f"{name}.xlsx")
        self.compound = compound
        self.job, self.refused, self.started = None, None, None

    def start(self):
        self.started = time.monotonic()
        try:
            self.job = rpc(self.uri, self.worker, "start_import", compound_id=self.compound["id"],
                           file=self.ref)
        except Exception as exc:     # refused at the door (over the limits)
            self.refused, self.ended = exc, time.monotonic()
        return self

    def running(self) -> bool:
        if self.job is None:
            return False
        try:
            self.job = rpc(self.uri, self.worker, "get_import", timeout=5, job_id=self.job["id"])
        except Exception:
            return True           # no answer: still running, as far as we can tell
        if self.job["status"] == "running":
            return True
        self.ended = time.monotonic()
        return False

    def outcome(self) -> str:
        if self.refused is not None:
            return f"refused at once ({type(self.refused).__name__}) in {self.ended - self.started:.1f} s"
        if self.job["status"] == "running":
            return f"still running after {time.monotonic() - self.started:.0f} s " \
                   f"({self.job['processed_rows']}/{self.job['total_rows']} rows)"
        return (f"{self.job['status']} in {self.ended - self.started:.1f} s: "
                f"{self.job['imported']} imported, {len(self.job['errors'])} errors")


# -- report ---------------------------------------------------------------------------------
def ping_stats(latencies: list[float]) -> dict:
    ok = sorted(v for v in latencies if v != float("inf"))
    everything = sorted(min(v, PING_TIMEOUT) for v in latencies)   # a lost ping counts 2 s
    return {"pings": len(latencies), "lost": len(latencies) - len(ok),
            "p50": percentile(everything, 0.50) * 1000, "p95": percentile(everything, 0.95) * 1000,
            "p99": percentile(everything, 0.99) * 1000,
            "max": (everything[-1] * 1000) if everything else float("nan")}


def login_stats(logins: Logins) -> str:
    latencies, failed = logins.result
    if not logins.clients:
        return "-"
    s = sorted(latencies)
    return (f"{len(s) / logins.seconds:5.1f}/s p50 {percentile(s, 0.5) * 1000:6.0f} ms "
            f"p95 {percentile(s, 0.95) * 1000:6.0f} ms, {failed} failed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="per scenario")
    parser.add_argument("--logins", type=int, default=20, help="concurrent login clients")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the large import")
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:8]
    vhost = f"fazhi-bench-resp-{tag}"
    create_vhost(vhost)
    uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    databases = {f"{name.upper()}_DATABASE_URL": f"{TEST_PG.get()}/fazhi_{name}_bench_{tag}"
                 for name in ("org", "gateway")}
    store = ROOT / ".run" / f"bench-files-{tag}"
    settings = {**databases, "AMQP_URI": uri, "GATEWAY_BIND": f"127.0.0.1:{free_port()}",
                "FAZHI_LOG_LEVEL": "WARNING", "FAZHI_FILE_STORE": str(store),
                "FAZHI_DEV_MODE": "true"}
    os.environ.update(settings)          # this process reads the same store and broker
    env = dict(os.environ)
    procs = []
    try:
        subprocess.run([sys.executable, "-m", "org", "--migrate-only"], env=env, check=True,
                       capture_output=True)
        upgrade(str(ROOT / "gateway/migrations"), env["GATEWAY_DATABASE_URL"])
        subprocess.run([sys.executable, "-m", "org.seed"], env=env, check=True,
                       capture_output=True)
        log = open(os.devnull, "wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "org", "--no-migrate"], env=env,
                                      stdout=log, stderr=log))
        procs.append(subprocess.Popen([sys.executable, "-m", "gateway", "serve"], env=env,
                                      stdout=log, stderr=log))
        base = f"http://{env['GATEWAY_BIND']}"
        for _ in range(120):
            try:
                if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("the gateway did not become ready")

        from fazhi_shared.context import Principal

        community = rpc(uri, Principal.system(), "list_units", kind="community")["items"][0]
        large = large_workbook(args.rows)
        hostile = blank_workbook()
        with Logins(base, 2):            # warm up: connections, caches, org's first login
            time.sleep(2)

        results = []

        def unpublished() -> int:
            """Events org's outbox has yet to relay (an import writes thousands)."""
            from sqlalchemy import text

            from fazhi_shared.service.db import engine_for

            with engine_for(databases["ORG_DATABASE_URL"]).connect() as conn:
                return conn.execute(text(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar()

        def scenario(name: str, logins: int, content: bytes | None = None,
                     whole_import: bool = False):
            """Pings for ``--seconds`` (or, ``whole_import``, until the import ends)."""
            imp = Import(uri, community, content, name) if content is not None else None
            with Logins(base, logins) as lg, Pinger(uri) as pinger:
                time.sleep(0.5 if imp else 0)
                if imp:
                    imp.start()
                end = time.monotonic() + (600 if whole_import else args.seconds)
                while time.monotonic() < end:
                    time.sleep(0.5)
                    if whole_import and not imp.running():
                        break
            if imp:
                while imp.running() and time.monotonic() - imp.started < 600:
                    time.sleep(1)
            results.append((name, ping_stats(pinger.latencies), login_stats(lg),
                            imp.outcome() if imp else ""))
            print(f"  {name}: done", flush=True)

        print(f"\norg ping by RPC every {PING_EVERY * 1000:.0f} ms; {os.cpu_count()} CPUs; "
              f"{args.seconds:.0f} s a scenario", flush=True)
        scenario("idle", 0)
        scenario(f"{args.logins} logins", args.logins)
        scenario(f"{args.logins} logins + 100000 blank rows ({len(hostile) / 1e6:.1f} MB)",
                 args.logins, hostile)
        scenario(f"{args.logins} logins + import {args.rows} rows (all of it)", args.logins,
                 large, whole_import=True)
        backlog = unpublished()
        scenario(f"{args.logins} logins + relaying its {backlog} events", args.logins)
        print(f"  events still to relay after that: {unpublished()}")

        width = max(len(r[0]) for r in results)
        print(f"\n{'scenario':{width}} {'pings':>6} {'lost':>5} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8}   logins through the gateway")
        for name, p, lg, _ in results:
            print(f"{name:{width}} {p['pings']:6d} {p['lost']:5d} {p['p50']:8.1f} {p['p95']:8.1f} "
                  f"{p['p99']:8.1f} {p['max']:8.1f}   {lg}")
        for name, _, _, outcome in results:
            if outcome:
                print(f"import in '{name}': {outcome}")
        worst = max(p["p95"] for _, p, _, _ in results)
        print(f"\nworst ping p95: {worst:.1f} ms (goal: under 100 ms)")
    finally:
        tear_down(procs, databases.values(), vhost, store)


if __name__ == "__main__":
    main()
