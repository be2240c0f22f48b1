"""``make bench``: requests per second and latency percentiles through the gateway.

Starts every installed service (each contract registered under the ``fazhi.contracts``
entry point group, as the gateway mounts them) and the gateway (gunicorn) on a private
RabbitMQ vhost with fresh databases and the services' demo seeds, then, in the same run,
loads these routes with the same concurrent clients:

- ``GET /api/v1/org/units/<compound>`` — an authenticated read of a compound;
- ``GET /api/v1/org/ping`` — an authenticated no-op call to the same service;
- ``GET /api/v1/<service>/ping`` — the same no-op call to each other installed service
  (one line per service, found at run time: a new service needs no change here);

and prints req/s, p50/p90/p99 and the ratio of the first two. The load comes from ``wrk``
when it is installed (``apt-get install wrk``: a C client that leaves the CPU to the
servers), else from threads in this process. Either way client and servers share this
machine's cores: compare ratios across runs rather than absolute numbers.

    python tests/bench/bench_gateway.py [--seconds 10] [--clients 8] [--tool auto|wrk|python]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from importlib.metadata import entry_points
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]

from fazhi_shared.service.green import quiet  # noqa: E402

quiet()

from fazhi_shared.http import ENTRY_POINT_GROUP  # noqa: E402
from fazhi_shared.service.migrations import upgrade  # noqa: E402
from fazhi_shared.service.testing import TEST_PG, create_vhost  # noqa: E402

from bench_common import tear_down  # noqa: E402  (this folder is on sys.path)


def installed_services() -> list[str]:
    """The services whose contract is installed here: what the gateway mounts and pings."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def has_seed(service: str) -> bool:
    return (ROOT / "services" / service / service / "seed.py").is_file()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def load(url: str, headers: dict, seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        session = requests.Session()
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            r = session.get(url, headers=headers, timeout=5)
            dt = time.perf_counter() - t0
            if r.status_code == 200:
                mine.append(dt)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 0.50) * 1000, "p90": percentile(latencies, 0.90) * 1000,
            "p99": percentile(latencies, 0.99) * 1000,
            "mean": (statistics.fmean(latencies) * 1000) if latencies else float("nan")}


def load_wrk(url: str, headers: dict, seconds: float, clients: int) -> dict:
    """The same measurement with wrk (keep-alive connections, one per client)."""
    argv = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds:.0f}s",
            "--latency", "--timeout", "5s"]
    for k, v in headers.items():
        argv += ["-H", f"{k}: {v}"]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return {"requests": total - errors, "errors": errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms(50), "p90": ms(90), "p99": ms(99), "mean": float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk"))
    run = load_wrk if use_wrk else load

    services = installed_services()
    if "org" not in services:
        raise SystemExit("the org contract is not installed (make install)")
    tag = uuid.uuid4().hex[:8]
    vhost = f"fazhi-bench-{tag}"
    create_vhost(vhost)
    env = dict(os.environ)
    databases = {f"{name.upper()}_DATABASE_URL": f"{TEST_PG.get()}/fazhi_{name}_bench_{tag}"
                 for name in [*services, "gateway"]}
    env.update(databases)
    env.update({
        "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "GATEWAY_BIND": f"127.0.0.1:{free_port()}", "GATEWAY_WORKERS": str(args.workers),
        "FAZHI_LOG_LEVEL": "WARNING",
        "FAZHI_DEV_MODE": "true",       # a measurement on a development machine
        "FAZHI_FILE_STORE": str(ROOT / ".run" / f"bench-files-{tag}"),
    })
    procs = []
    try:
        for name in services:         # each service's start command migrates its database
            subprocess.run([sys.executable, "-m", name, "--migrate-only"], env=env,
                           check=True, capture_output=True)
        upgrade(str(ROOT / "gateway/migrations"), env["GATEWAY_DATABASE_URL"])
        for name in filter(has_seed, services):
            subprocess.run([sys.executable, "-m", f"{name}.seed"], env=env, check=True,
                           capture_output=True)
        log = open(os.devnull, "wb")
        for name in services:
            procs.append(subprocess.Popen([sys.executable, "-m", name, "--no-migrate"],
                                          env=env, stdout=log, stderr=log))
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
        token = requests.post(f"{base}/api/v1/auth/login", json={
            "username": "street_admin", "password": "Fazhi2026!"}, timeout=5).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        compound = requests.get(f"{base}/api/v1/org/compounds", headers=headers,
                                timeout=5).json()["items"][0]
        targets = {
            "read compound": f"{base}/api/v1/org/units/{compound['id']}",
            "no-op ping": f"{base}/api/v1/org/ping",
        }
        # One line per other installed service: its no-op round trip through the gateway.
        targets.update({f"ping {name}": f"{base}/api/v1/{name}/ping"
                        for name in services if name != "org"})
        for url in targets.values():          # warm up connections and caches
            load(url, headers, 1.0, args.clients)
        results = {name: run(url, headers, args.seconds, args.clients)
                   for name, url in targets.items()}
        client = "wrk" if use_wrk else "python threads"
        width = max(16, *(len(name) for name in results))
        print(f"\ngateway: {args.workers} gunicorn workers; load: {client}, {args.clients} "
              f"connections; {args.seconds:.0f} s per route; {os.cpu_count()} CPUs")
        print(f"services (installed contracts): {', '.join(services)}  "
              f"(org's ping is the no-op line)\n")
        print(f"{'route':{width}} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
              f"{'requests':>9} {'errors':>7}")
        for name, r in results.items():
            print(f"{name:{width}} {r['rps']:8.1f} {r['p50']:8.2f} {r['p90']:8.2f} "
                  f"{r['p99']:8.2f} {r['requests']:9d} {r['errors']:7d}")
        read, noop = results["read compound"], results["no-op ping"]
        print(f"\nratio read/no-op: throughput {read['rps'] / noop['rps']:.2f}, "
              f"p50 {read['p50'] / noop['p50']:.2f}, p99 {read['p99'] / noop['p99']:.2f}")
    finally:
        tear_down(procs, databases.values(), vhost, env["FAZHI_FILE_STORE"])


if __name__ == "__main__":
    main()
