"""Statistics budget (README, "Statistics"; bench/BENCHMARKS.md): 30 days of statistics over
1,000,000 receipts answered in at most 1 s, on SQLite and on PostgreSQL.

Each store is filled with 1,000,000 receipts of the demo policy spread over 30 days, through the
store's own counting code (`crumb.stats.counting`): SQLite through its group-commit insert (the
path a posted receipt takes, 5,000 receipts a transaction), PostgreSQL by COPY plus the store's
upserts in the same transaction (one INSERT per receipt would take an hour). Then the real app
answers `GET /api/v1/sites/demo/stats` for those 30 days with an owner token, over loopback;
the figure is the median and the slowest of 10 answers after one warm-up.

    .venv/bin/python bench/stats_bench.py [--receipts N] [--pg postgresql://...]

Without --pg a throwaway PostgreSQL cluster is started (initdb, as the tests do).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crumb.app import create_app  # noqa: E402
from crumb.receipts import (  # noqa: E402
    Receipt,
    postgres_stats,  # noqa: E402
    store_for,
)
from crumb.receipts.receipt import FIELDS  # noqa: E402
from crumb.settings import DEMO_POLICIES, Settings  # noqa: E402
from crumb.stats.counting import Counts, tally  # noqa: E402
from crumb.stats.tokens import new_token, token_line  # noqa: E402

DAYS, BATCH, RUNS = 30, 5000, 10
LAST_DAY = dt.date(2026, 11, 30)
REQUIRED = ("necessary",)
CHOICES = (("accept_all", ("necessary", "preferences", "analytics", "marketing"), ("statly", "adpixel", "vidtube")),
           ("reject_all", ("necessary",), ()), ("custom", ("necessary", "analytics"), ("statly",)),
           ("gpc", ("necessary",), ()))


def receipts(count: int):
    """Yield `count` receipts of the demo site over `DAYS` days, in batches of `BATCH`."""
    chance = random.Random(14)
    start = dt.datetime.combine(LAST_DAY - dt.timedelta(days=DAYS - 1), dt.time(), dt.timezone.utc)
    span = DAYS * 86400
    for first in range(0, count, BATCH):
        batch = []
        for _ in range(min(BATCH, count - first)):
            method, categories, services = chance.choices(CHOICES, weights=(5, 4, 2, 1))[0]
            batch.append(Receipt(str(uuid.uuid4()), start + dt.timedelta(seconds=chance.randrange(span)), "demo",
                                 str(uuid.uuid4()), 1, "ab" * 32, categories, services, method,
                                 chance.choice(("en", "lt", "pt")), "http://127.0.0.1:8080/demo/"))
        yield batch


async def fill_sqlite(db_url: str, count: int) -> None:
    store = store_for(db_url)
    await store.open()
    for batch in receipts(count):
        await store._run(store._insert, [(r, tally(r, REQUIRED)) for r in batch])
    await store.close()


async def fill_postgres(db_url: str, count: int) -> None:
    store = store_for(db_url)
    await store.open()
    async with store._connection() as connection:
        for batch in receipts(count):
            records = [(r.receipt_id, r.received_at, r.site, r.consent_id, r.revision, r.policy_hash,
                        list(r.categories), list(r.services), r.method, r.language, r.page) for r in batch]
            async with connection.transaction():
                await connection.copy_records_to_table("receipts", records=records, columns=FIELDS)
                await postgres_stats.add_counts(connection, Counts.of(tally(r, REQUIRED) for r in batch))
        await connection.execute("ANALYZE")
    await store.close()


async def answer_times(db_url: str, workdir: Path) -> tuple[list[float], dict]:
    """Serve the real app with a new owner token and time `RUNS` answers for the 30 days."""
    token, tokens = new_token(), workdir / "owner-tokens"
    tokens.write_text(token_line(token) + "\n")
    settings = Settings(policies_dir=DEMO_POLICIES, db_url=db_url, demo=False, admin_tokens_file=tokens)
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    query = {"from": (LAST_DAY - dt.timedelta(days=DAYS - 1)).isoformat(), "to": LAST_DAY.isoformat()}
    times = []
    try:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
            for _ in range(RUNS + 1):
                began = time.perf_counter()
                async with session.get(f"http://127.0.0.1:{port}/api/v1/sites/demo/stats", params=query) as answer:
                    body = await answer.json()
                    assert answer.status == 200, body
                times.append(time.perf_counter() - began)
    finally:
        await runner.cleanup()
    return times[1:], body["totals"]


async def bench(name: str, db_url: str, count: int, fill, workdir: Path) -> None:
    began = time.perf_counter()
    await fill(db_url, count)
    filled = time.perf_counter() - began
    times, totals = await answer_times(db_url, workdir)
    decided = sum(totals["decisions"].values())
    assert decided == count, (decided, count)
    verdict = "within" if max(times) <= 1.0 else "OVER"
    print(f"{name}: {count} receipts over {DAYS} days (filled in {filled:.0f} s); 30-day statistics answered in "
          f"median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms of {RUNS} "
          f"({verdict} the 1 s budget); decisions counted {decided}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1_000_000)
    parser.add_argument("--pg", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crumb-stats-bench-") as workdir:
        work = Path(workdir)
        asyncio.run(bench("SQLite", f"sqlite:///{work / 'receipts.sqlite3'}", args.receipts, fill_sqlite, work))
        if args.pg:
            asyncio.run(bench("PostgreSQL", args.pg, args.receipts, fill_postgres, work))
            return 0
        from tests.receipts.conftest import start_cluster
        cluster = start_cluster()
        try:
            asyncio.run(bench("PostgreSQL", cluster.create_database(), args.receipts, fill_postgres, work))
        finally:
            cluster.stop()
            shutil.rmtree(cluster.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
