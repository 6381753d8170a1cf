"""The SQLite receipt store: one file, WAL, every commit synced before a 201 is sent.

sqlite3 blocks, so every statement runs on one dedicated thread that owns the connection;
the event loop only awaits it. One writer thread also serialises writes, which SQLite
needs anyway. An export gets its own thread and connection, so a long export never
holds up new receipts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import AsyncIterator, Callable, Collection, Iterator, TypeVar

from ..stats.counting import Counts, Tally, tally
from . import sqlite_stats
from .receipt import FIELDS, Receipt, format_time, parse_time
from .store import StoreUnavailable

T = TypeVar("T")
EXPORT_BATCH = 500
COMMIT_BATCH = 500
_INSERT = "INSERT INTO receipts (" + ", ".join(FIELDS) + ") VALUES (" + ", ".join("?" * len(FIELDS)) + ")"

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        """CREATE TABLE receipts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            receipt_id TEXT NOT NULL UNIQUE,
            received_at TEXT NOT NULL,
            site TEXT NOT NULL,
            consent_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            policy_hash TEXT NOT NULL,
            categories TEXT NOT NULL,
            services TEXT NOT NULL,
            method TEXT NOT NULL,
            language TEXT NOT NULL,
            page TEXT NOT NULL)""",
        "CREATE INDEX receipts_by_consent ON receipts (site, consent_id, seq)",
        "CREATE INDEX receipts_by_time ON receipts (site, received_at, seq)",
        "CREATE INDEX receipts_for_purge ON receipts (received_at)",
        """CREATE TABLE policy_versions (
            site TEXT NOT NULL,
            revision INTEGER NOT NULL,
            policy_hash TEXT NOT NULL,
            canonical_json TEXT NOT NULL,
            kept_at TEXT NOT NULL,
            PRIMARY KEY (site, policy_hash))""",
    )),
    (2, sqlite_stats.MIGRATION),
)

_SELECT = "SELECT " + ", ".join(FIELDS) + " FROM receipts "


class SqliteStore:
    """Receipts in a SQLite file (created with its schema on first start)."""

    def __init__(self, path: str):
        self.path = Path(path)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crumb-sqlite")
        self._connection: sqlite3.Connection | None = None
        self._kept: set[tuple[str, str]] = set()
        self._pending: list[tuple[Receipt, Tally, asyncio.Future]] = []
        self._committer: asyncio.Task | None = None
        self._closed = False

    async def open(self) -> None:
        """Open the file (creating it), switch to WAL and run pending migrations."""
        await self._run(self._open_connection)

    async def close(self) -> None:
        """Commit what is pending, close the connection and stop the thread."""
        if self._committer is not None:
            await self._committer
        if self._connection is not None:
            await self._run(self._connection.close)
            self._connection = None
        self._closed = True
        self._thread.shutdown(wait=True)

    async def add(self, receipt: Receipt, required_categories: Collection[str] = ()) -> Receipt:
        """Insert one receipt and its counts; returns once the commit that holds them is synced to disk."""
        if self._closed or self._connection is None:
            raise StoreUnavailable("the store is closed")
        stored = asyncio.get_running_loop().create_future()
        self._pending.append((receipt, tally(receipt, required_categories), stored))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_pending())
        await stored
        return receipt

    async def _commit_pending(self) -> None:
        # Group commit: receipts that arrive while one commit is being synced wait for the
        # next one, and share it. One fsync per batch instead of one per receipt.
        while self._pending:
            batch, self._pending = self._pending[:COMMIT_BATCH], self._pending[COMMIT_BATCH:]
            receipts = [(receipt, counted) for receipt, counted, _ in batch]
            try:
                await self._run(self._insert, receipts)
                outcomes: list[Exception | None] = [None] * len(batch)
            except StoreUnavailable as error:  # an outage: every row would fail alike
                outcomes = [error] * len(batch)
            except Exception:
                # One row the database refuses must never fail the others: each row again, alone,
                # so that only the bad one gets its error (a lone surrogate in one receipt used to
                # fail every honest receipt of its batch).
                outcomes = await self._insert_each(receipts)
            for (_, _, stored), outcome in zip(batch, outcomes):
                if stored.done():  # the request went away meanwhile
                    continue
                if outcome is None:
                    stored.set_result(None)
                else:
                    stored.set_exception(outcome)

    async def _insert_each(self, receipts: list[tuple[Receipt, Tally]]) -> list[Exception | None]:
        """Insert each receipt in a transaction of its own; return each one's error, or None."""
        outcomes: list[Exception | None] = []
        for receipt in receipts:
            try:
                await self._run(self._insert, [receipt])
                outcomes.append(None)
            except StoreUnavailable as error:  # the store went away meanwhile: so it has for the rest
                return outcomes + [error] * (len(receipts) - len(outcomes))
            except Exception as error:
                outcomes.append(error)
        return outcomes

    async def by_consent(self, site: str, consent_id: str) -> list[Receipt]:
        """Return one consent id's receipts, oldest first."""
        rows = await self._run(self._read, _SELECT + "WHERE site = ? AND consent_id = ? ORDER BY seq",
                               (site, consent_id))
        return [_receipt(row) for row in rows]

    async def iter_export(self, site: str, since: dt.datetime | None = None) -> AsyncIterator[Receipt]:
        """Yield a site's receipts oldest first, fetched `EXPORT_BATCH` rows at a time."""
        since_text = format_time(since) if since else ""
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crumb-export") as thread:
            connection = await loop.run_in_executor(thread, self._connect)
            try:
                cursor = await loop.run_in_executor(
                    thread, connection.execute,
                    _SELECT + "WHERE site = ? AND received_at >= ? ORDER BY received_at, seq",
                    (site, since_text))
                while rows := await loop.run_in_executor(thread, cursor.fetchmany, EXPORT_BATCH):
                    for row in rows:
                        yield _receipt(row)
            finally:
                await loop.run_in_executor(thread, connection.close)

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete receipts received before `older_than`; return the count."""
        return await self._run(self._write, "DELETE FROM receipts WHERE received_at < ?",
                               (format_time(older_than),))

    async def ping(self) -> str | None:
        """Run a trivial query; describe the failure if there is one."""
        try:
            await self._run(self._read, "SELECT 1", ())
        except StoreUnavailable as error:
            return f"receipt store (SQLite {self.path}): {error}"
        return None

    async def keep_policy_version(self, site: str, revision: int, policy_hash: str,
                                  canonical_json: str) -> None:
        """Keep a policy version once; repeated calls only touch memory."""
        if (site, policy_hash) in self._kept:
            return
        await self._run(self._write, "INSERT OR IGNORE INTO policy_versions "
                        "(site, revision, policy_hash, canonical_json, kept_at) VALUES (?, ?, ?, ?, ?)",
                        (site, revision, policy_hash, canonical_json, format_time(dt.datetime.now(dt.timezone.utc))))
        self._kept.add((site, policy_hash))

    async def policy_versions(self, site: str, revision: int) -> list[tuple[str, str]]:
        """Return `(hash, canonical JSON)` of the kept versions of a revision, oldest first."""
        rows = await self._run(self._read, "SELECT policy_hash, canonical_json FROM policy_versions "
                               "WHERE site = ? AND revision = ? ORDER BY kept_at", (site, revision))
        return [(row[0], row[1]) for row in rows]

    async def count_shown(self, banners: dict[tuple[str, str, str], int]) -> None:
        """Add banners shown, by (site, day, language), to the counting table."""
        await self._run(self._add_counts, Counts.shown(banners))

    async def stats(self, site: str, first: dt.date, last: dt.date) -> tuple[list, list]:
        """Return the site's day rows and accepted rows from `first` to `last`, inclusive."""
        return await self._run(lambda: sqlite_stats.read_counts(self._live_connection(), site,
                                                                first.isoformat(), last.isoformat()))

    async def served_policies(self, site: str) -> list[tuple]:
        """Return each kept policy version of the site with its first and last day of decisions."""
        rows = await self._run(lambda: sqlite_stats.read_served(self._live_connection(), site))
        return [(r[0], r[1], parse_time(r[2]), r[3], r[4], r[5]) for r in rows]

    async def _run(self, function: Callable[..., T], *args) -> T:
        if self._closed:
            raise StoreUnavailable("the store is closed")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)
        except (sqlite3.IntegrityError, sqlite3.DataError):
            raise  # a bug in a statement or a value it cannot hold, not an outage
        except sqlite3.DatabaseError as error:  # locked, disk full or I/O error, file unreadable
            raise StoreUnavailable(str(error)) from error

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode: every transaction below is explicit, so none stays open by accident.
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        # FULL syncs the WAL on every commit: a 201 survives kill -9 and power loss alike.
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    def _open_connection(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = self._connect()
        self._migrate(self._connection)

    def _migrate(self, connection: sqlite3.Connection) -> None:
        # BEGIN IMMEDIATE takes the write lock first, so two processes starting at once
        # cannot both apply the same migration.
        with _transaction(connection):
            connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                               "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            applied = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
            for version, statements in MIGRATIONS:
                if version in applied:
                    continue
                for statement in statements:
                    connection.execute(statement)
                connection.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                                   (version, format_time(dt.datetime.now(dt.timezone.utc))))

    def _write(self, sql: str, params: tuple) -> int:
        connection = self._live_connection()
        with _transaction(connection):
            return connection.execute(sql, params).rowcount

    def _insert(self, receipts: list[tuple[Receipt, Tally]]) -> None:
        connection = self._live_connection()
        with _transaction(connection):
            connection.executemany(_INSERT, [_row(receipt) for receipt, _ in receipts])
            sqlite_stats.add_counts(connection, Counts.of(counted for _, counted in receipts))

    def _add_counts(self, counts: Counts) -> None:
        connection = self._live_connection()
        with _transaction(connection):
            sqlite_stats.add_counts(connection, counts)

    def _read(self, sql: str, params: tuple) -> list[tuple]:
        return self._live_connection().execute(sql, params).fetchall()

    def _live_connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise sqlite3.OperationalError("the store is not open")
        return self._connection


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (a failed COMMIT included)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _row(receipt: Receipt) -> tuple:
    return (receipt.receipt_id, format_time(receipt.received_at), receipt.site, receipt.consent_id,
            receipt.revision, receipt.policy_hash, json.dumps(list(receipt.categories)),
            json.dumps(list(receipt.services)), receipt.method, receipt.language, receipt.page)


def _receipt(row: tuple) -> Receipt:
    values = dict(zip(FIELDS, row))
    values["received_at"] = parse_time(values["received_at"])
    values["categories"] = tuple(json.loads(values["categories"]))
    values["services"] = tuple(json.loads(values["services"]))
    return Receipt(**values)
