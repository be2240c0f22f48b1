"""``make bench``: requests per second and latency percentiles through the gateway.

Starts every service, the gateway (gunicorn) and its listener on a private RabbitMQ vhost
with fresh databases and the services' demo seeds (``fazhi_shared.service.platform``, as
the browser tests do), then, in the same run, loads these routes with the same concurrent
clients:

- ``GET /api/v1/org/units/<compound>`` — an authenticated read of a compound;
- ``GET /api/v1/org/ping`` — an authenticated no-op call to the same service;
- ``GET /api/v1/<service>/ping`` — the same no-op call to each other installed service
  (one line per service, found at run time: a new service needs no change here);
- each service's own hot routes, listed by ``services/<name>/tests/bench/routes.py``:
  ``routes(seed) -> [{"label", "path", "method", "username", "json"}]`` given what the
  service's demo seed printed; a service that must load volume first (e.g. 100,000 cases)
  provides ``services/<name>/tests/bench/prepare.py`` with ``prepare(platform)``, run after
  the migrations and before the services start (its time is printed);

and prints req/s, p50/p90/p99 and the ratio of the first two. The load comes from ``wrk``
when it is installed (``apt-get install wrk``: a C client that leaves the CPU to the
servers), else from threads in this process. Either way client and servers share this
machine's cores: compare ratios across runs rather than absolute numbers.

    python tests/bench/bench_gateway.py [--seconds 10] [--clients 8] [--tool auto|wrk|python]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import tempfile
import statistics
import subprocess
import threading
import time
from importlib.metadata import entry_points
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]

from fazhi_shared.service.green import quiet  # noqa: E402

quiet()

from fazhi_shared.http import ENTRY_POINT_GROUP  # noqa: E402
from fazhi_shared.service.platform import Platform  # noqa: E402


def installed_services() -> list[str]:
    """The services whose contract is installed here: what the gateway mounts and pings."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def module_of(path: Path):
    """Import a service's bench module (``routes.py``, ``prepare.py``) from its file."""
    spec = importlib.util.spec_from_file_location(f"bench_{path.parent.parent.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def load(url: str, headers: dict, seconds: float, clients: int, method: str = "GET",
         body=None) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        session = requests.Session()
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            r = session.request(method, url, headers=headers, json=body, timeout=5)
            dt = time.perf_counter() - t0
            if r.status_code < 300:
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


def load_wrk(url: str, headers: dict, seconds: float, clients: int, method: str = "GET",
             body=None) -> dict:
    """The same measurement with wrk (keep-alive connections, one per client)."""
    argv = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds:.0f}s",
            "--latency", "--timeout", "5s"]
    for k, v in headers.items():
        argv += ["-H", f"{k}: {v}"]
    script = None
    if method != "GET" or body is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f"wrk.method = {json.dumps(method)}\n"
                     f"wrk.body = {json.dumps(json.dumps(body))}\n"
                     'wrk.headers["Content-Type"] = "application/json"\n')
        script.close()
        argv += ["-s", script.name]
    try:
        out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script.name)

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

    def prepare(platform: Platform) -> None:
        for name in services:
            hook = ROOT / "services" / name / "tests" / "bench" / "prepare.py"
            if hook.is_file():
                started = time.monotonic()
                module_of(hook).prepare(platform)
                print(f"prepared {name} in {time.monotonic() - started:.1f} s")

    with Platform(ROOT, workers=args.workers, log_level="WARNING", prepare=prepare) as platform:
        base = platform.url
        tokens: dict[str, str] = {}

        def auth(username: str) -> dict:
            if username not in tokens:
                tokens[username] = platform.token(username)
            return {"Authorization": f"Bearer {tokens[username]}"}

        headers = auth("street_admin")
        compound = requests.get(f"{base}/api/v1/org/compounds", headers=headers,
                                timeout=5).json()["items"][0]
        targets = {
            "read compound": (f"{base}/api/v1/org/units/{compound['id']}", headers, "GET", None),
            "no-op ping": (f"{base}/api/v1/org/ping", headers, "GET", None),
        }
        # One line per other installed service: its no-op round trip through the gateway,
        # then the routes the service lists as its own hot paths.
        targets.update({f"ping {name}": (f"{base}/api/v1/{name}/ping", headers, "GET", None)
                        for name in services if name != "org"})
        for name in services:
            listed = ROOT / "services" / name / "tests" / "bench" / "routes.py"
            if listed.is_file():
                for route in module_of(listed).routes(platform.seeds.get(name, {})):
                    targets[route["label"]] = (f"{base}{route['path']}", auth(route["username"]),
                                               route.get("method", "GET"), route.get("json"))
        for url, hdrs, method, body in targets.values():     # warm up connections and caches
            load(url, hdrs, 1.0, args.clients, method, body)
        results = {name: run(url, hdrs, args.seconds, args.clients, method, body)
                   for name, (url, hdrs, method, body) in targets.items()}
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
        for name, r in results.items():
            if name not in ("read compound", "no-op ping") and not name.startswith("ping "):
                print(f"ratio {name}/no-op: throughput {r['rps'] / noop['rps']:.2f}")


if __name__ == "__main__":
    main()
