"""Sustained mixed load: gate.js, the policy JSON, the widget page and POST consents, at a
fixed concurrency for a fixed time, against one Crumb process, with a share of hostile receipt
posts and slow clients mixed in (`hostile.py`); zero errors and no lost receipt expected.

    .venv/bin/python bench/soak.py [--seconds 60] [--concurrency 16] [--hostile-share 0.1]
                                   [--slow-clients 150]

The load comes from this process (aiohttp client), the server is a separate process on
loopback (`app_server.py crumb`, receipts in SQLite, rate limit lifted). Every receipt Crumb
acknowledged with a 201 is looked for in the database once the server has stopped. Prints one
table (requests, errors, rate, p50/p99 per route), the hostile answers, and writes
`bench/results/soak.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from hostile import POST_KINDS, HostileTally, hostile_body, slow_client
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
        self.acknowledged: set[str] = set()  # receipt ids of every 201
        self.hostile = HostileTally()

    def add(self, route: str, seconds: float, problem: str | None) -> None:
        self.latencies.setdefault(route, []).append(seconds)
        if problem:
            self.errors.setdefault(route, []).append(problem)


async def worker(session: aiohttp.ClientSession, port: int, deadline: float, tally: Tally, offset: int,
                 hostile_every: int) -> None:
    points = endpoints("bench", WEBSITE)
    turn, posts = offset, 0
    while time.monotonic() < deadline:
        point = points[turn % len(points)]
        turn += 1
        body, kind = None, None
        if point.method == "POST":
            receipt = json.loads(point.body)
            receipt["consent_id"] = str(uuid.uuid4())  # every receipt a new one, as visitors are
            posts += 1
            if hostile_every and posts % hostile_every == 0:
                kind = POST_KINDS[posts // hostile_every % len(POST_KINDS)]
            body = hostile_body(kind, receipt) if kind else json.dumps(receipt).encode()
        started = time.perf_counter()
        problem = None
        try:
            async with session.request(point.method, point.url(port), data=body,
                                       headers={"Content-Type": "application/json"} if body else None) as answer:
                content = await answer.read()
                if kind:
                    tally.hostile.add(kind, answer.status)
                    continue
                if answer.status >= 400:
                    problem = f"HTTP {answer.status}"
                elif point.method == "POST":
                    tally.acknowledged.add(json.loads(content)["receipt_id"])
        except aiohttp.ClientError as error:
            if kind:
                tally.hostile.add(kind, type(error).__name__)
                continue
            problem = type(error).__name__
        tally.add(point.name, time.perf_counter() - started, problem)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def soak(port: int, seconds: int, concurrency: int, hostile_share: float, slow_clients: int) -> dict:
    tally = Tally()
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    hostile_every = round(1 / hostile_share) if hostile_share else 0
    consents = endpoints("bench", WEBSITE)[-1].path
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(worker(session, port, deadline, tally, n, hostile_every) for n in range(concurrency)),
                             *(slow_client(port, consents, deadline, tally.hostile) for _ in range(slow_clients)))
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
            "errors": sum(r["errors"] for r in routes.values()),
            "hostile_share": hostile_share, "slow_clients": slow_clients, "hostile": tally.hostile.summary(),
            "hostile_unexpected": tally.hostile.unexpected(), "acknowledged": sorted(tally.acknowledged)}


def check_stored(result: dict, database: Path) -> None:
    """Count the acknowledged receipts missing from the database, and the rows nobody was told of."""
    connection = sqlite3.connect(database)
    try:
        stored = {row[0] for row in connection.execute("SELECT receipt_id FROM receipts")}
    finally:
        connection.close()
    acknowledged = set(result.pop("acknowledged"))
    result.update(receipts_acknowledged=len(acknowledged), receipts_stored=len(stored),
                  receipts_lost=len(acknowledged - stored), receipts_unacknowledged=len(stored - acknowledged))


def print_table(result: dict) -> None:
    print(f"soak: {result['seconds']} s at concurrency {result['concurrency']}: "
          f"{result['requests']} requests, {result['errors']} errors")
    print(f"{'route':<16}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for route, row in result["routes"].items():
        print(f"{route:<16}{row['requests']:>10}{row['errors']:>8}{row['per_second']:>9}"
              f"{row['p50_ms']:>9}{row['p99_ms']:>9}")
    print(f"hostile (share {result['hostile_share']} of posts, {result['slow_clients']} slow clients): "
          f"{result['hostile']}; {result['hostile_unexpected']} unexpected answers")
    print(f"receipts: {result['receipts_acknowledged']} acknowledged, {result['receipts_stored']} stored, "
          f"{result['receipts_lost']} lost, {result['receipts_unacknowledged']} stored without a 201")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--hostile-share", type=float, default=0.1, help="share of receipt posts that are hostile")
    parser.add_argument("--slow-clients", type=int, default=150, help="clients that send bodies a byte a second")
    options = parser.parse_args()
    sys.path.insert(0, str(BENCH.parent))
    from package_builder import ensure_built

    ensure_built(BENCH.parent)
    with tempfile.TemporaryDirectory(prefix="crumb-soak-") as scratch:
        policies = Path(scratch) / "policies"
        policies.mkdir()
        write_bench_policy(policies, WEBSITE)
        port = free_port()
        database = Path(scratch) / "receipts.sqlite3"
        with server("app_server.py", "crumb", "--port", str(port), "--policies", str(policies),
                    "--db", f"sqlite:///{database}", "--static", str(BENCH.parent / "static")):
            result = asyncio.run(soak(port, options.seconds, options.concurrency, options.hostile_share,
                                      options.slow_clients))
        check_stored(result, database)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print_table(result)
    failed = result["errors"] or result["receipts_lost"] or result["receipts_unacknowledged"] or result["hostile_unexpected"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
