"""Sustained mixed load: gate.js, the policy JSON, the widget page and POST consents, at a
fixed concurrency for a fixed time, against one Crumb process; zero errors expected.

    .venv/bin/python bench/soak.py [--seconds 60] [--concurrency 16]

The load comes from this process (aiohttp client), the server is a separate process on
loopback (`app_server.py crumb`, receipts in SQLite, rate limit lifted). Prints one table
(requests, errors, rate, p50/p99 per route) and writes `bench/results/soak.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from processes import free_port, server, write_bench_policy
from server_bench import endpoints

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "soak.json"
WEBSITE = "http://localhost:9"  # an allowed origin for the receipts' `page`; never contacted


class Tally:
    """Latencies and failures per route."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def add(self, route: str, seconds: float, problem: str | None) -> None:
        self.latencies.setdefault(route, []).append(seconds)
        if problem:
            self.errors.setdefault(route, []).append(problem)


async def worker(session: aiohttp.ClientSession, port: int, deadline: float, tally: Tally, offset: int) -> None:
    points = endpoints("bench", WEBSITE)
    turn = offset
    while time.monotonic() < deadline:
        point = points[turn % len(points)]
        turn += 1
        body = None
        if point.method == "POST":
            receipt = json.loads(point.body)
            receipt["consent_id"] = str(uuid.uuid4())  # every receipt a new one, as visitors are
            body = json.dumps(receipt).encode()
        started = time.perf_counter()
        problem = None
        try:
            async with session.request(point.method, point.url(port), data=body,
                                       headers={"Content-Type": "application/json"} if body else None) as answer:
                await answer.read()
                if answer.status >= 400:
                    problem = f"HTTP {answer.status}"
        except aiohttp.ClientError as error:
            problem = type(error).__name__
        tally.add(point.name, time.perf_counter() - started, problem)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def soak(port: int, seconds: int, concurrency: int) -> dict:
    tally = Tally()
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(worker(session, port, deadline, tally, n) for n in range(concurrency)))
        elapsed = time.monotonic() - started
    routes = {}
    for route, latencies in tally.latencies.items():
        routes[route] = {"requests": len(latencies), "errors": len(tally.errors.get(route, [])),
                         "error_kinds": sorted(set(tally.errors.get(route, []))),
                         "per_second": round(len(latencies) / elapsed, 1),
                         "p50_ms": round(statistics.median(latencies) * 1000, 2),
                         "p99_ms": round(percentile(latencies, 0.99) * 1000, 2)}
    return {"seconds": round(elapsed, 1), "concurrency": concurrency, "routes": routes,
            "requests": sum(r["requests"] for r in routes.values()),
            "errors": sum(r["errors"] for r in routes.values())}


def print_table(result: dict) -> None:
    print(f"soak: {result['seconds']} s at concurrency {result['concurrency']}: "
          f"{result['requests']} requests, {result['errors']} errors")
    print(f"{'route':<16}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for route, row in result["routes"].items():
        print(f"{route:<16}{row['requests']:>10}{row['errors']:>8}{row['per_second']:>9}"
              f"{row['p50_ms']:>9}{row['p99_ms']:>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    options = parser.parse_args()
    sys.path.insert(0, str(BENCH.parent))
    from package_builder import ensure_built

    ensure_built(BENCH.parent)
    with tempfile.TemporaryDirectory(prefix="crumb-soak-") as scratch:
        policies = Path(scratch) / "policies"
        policies.mkdir()
        write_bench_policy(policies, WEBSITE)
        port = free_port()
        with server("app_server.py", "crumb", "--port", str(port), "--policies", str(policies),
                    "--db", f"sqlite:///{scratch}/receipts.sqlite3", "--static", str(BENCH.parent / "static")):
            result = asyncio.run(soak(port, options.seconds, options.concurrency))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print_table(result)
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
