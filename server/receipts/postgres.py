"""The PostgreSQL receipt store: an asyncpg pool, for one or several server processes.

Every process runs the migrations on start; an advisory lock makes them take turns, so
the first one migrates and the others find the work done. A commit with PostgreSQL's
default `synchronous_commit = on` is on disk before a 201 is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from contextlib import asynccontextmanager
from typing import AsyncIterator, Collection

import asyncpg

from ..stats.counting import Counts, tally
from . import postgres_stats
from .receipt import FIELDS, Receipt
from .store import StoreUnavailable

EXPORT_BATCH = 500
ACQUIRE_TIMEOUT = 5.0
# Any constant shared by every Crumb process: the key of the migration advisory lock.
MIGRATION_LOCK = 0x43_72_75_6D_62  # "Crumb"

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        """CREATE TABLE receipts (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            receipt_id UUID NOT NULL UNIQUE,
            received_at TIMESTAMPTZ NOT NULL,
            site TEXT NOT NULL,
            consent_id UUID NOT NULL,
            revision INTEGER NOT NULL,
            policy_hash TEXT NOT NULL,
            categories TEXT[] NOT NULL,
            services TEXT[] NOT NULL,
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
            kept_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (site, policy_hash))""",
    )),
    (2, postgres_stats.MIGRATION),
)

# Failures that mean "the database is not there right now", as opposed to a bug in a query.
_UNAVAILABLE = (OSError, asyncio.TimeoutError, asyncpg.InterfaceError,
                asyncpg.exceptions.PostgresConnectionError,
                asyncpg.exceptions.OperatorInterventionError,
                asyncpg.exceptions.InsufficientResourcesError,
                asyncpg.exceptions.ReadOnlySQLTransactionError)

_SELECT = "SELECT " + ", ".join(FIELDS) + " FROM receipts "


class PostgresStore:
    """Receipts in PostgreSQL, through a connection pool."""

    def __init__(self, dsn: str, *, max_connections: int = 10):
        self.dsn = dsn
        self.max_connections = max_connections
        self._pool: asyncpg.Pool | None = None
        self._kept: set[tuple[str, str]] = set()

    async def open(self) -> None:
        """Create the pool and run pending migrations under the advisory lock."""
        try:
            self._pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=self.max_connections,
                                                   command_timeout=30)
        except _UNAVAILABLE as error:
            raise StoreUnavailable(f"cannot connect to PostgreSQL: {error}") from error
        async with self._connection() as connection, connection.transaction():
            await migrate(connection)

    async def close(self) -> None:
        """Close every pooled connection."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def add(self, receipt: Receipt, required_categories: Collection[str] = ()) -> Receipt:
        """Insert one receipt and its counts; returns once PostgreSQL has committed them."""
        counts = Counts.of([tally(receipt, required_categories)])
        async with self._connection() as connection, connection.transaction():
            await connection.execute(
                "INSERT INTO receipts (" + ", ".join(FIELDS) + ") VALUES ("
                + ", ".join(f"${i}" for i in range(1, len(FIELDS) + 1)) + ")",
                receipt.receipt_id, receipt.received_at, receipt.site, receipt.consent_id,
                receipt.revision, receipt.policy_hash, list(receipt.categories),
                list(receipt.services), receipt.method, receipt.language, receipt.page)
            await postgres_stats.add_counts(connection, counts)
        return receipt

    async def count_shown(self, banners: dict[tuple[str, str, str], int]) -> None:
        """Add banners shown, by (site, day, language), to the counting table."""
        async with self._connection() as connection, connection.transaction():
            await postgres_stats.add_counts(connection, Counts.shown(banners))

    async def stats(self, site: str, first: dt.date, last: dt.date) -> tuple[list, list]:
        """Return the site's day rows and accepted rows from `first` to `last`, inclusive."""
        async with self._connection() as connection:
            return await postgres_stats.read_counts(connection, site, first, last)

    async def served_policies(self, site: str) -> list[tuple]:
        """Return each kept policy version of the site with its first and last day of decisions."""
        async with self._connection() as connection:
            return await postgres_stats.read_served(connection, site)

    async def by_consent(self, site: str, consent_id: str) -> list[Receipt]:
        """Return one consent id's receipts, oldest first."""
        async with self._connection() as connection:
            rows = await connection.fetch(_SELECT + "WHERE site = $1 AND consent_id = $2 ORDER BY seq",
                                          site, consent_id)
        return [_receipt(row) for row in rows]

    async def iter_export(self, site: str, since: dt.datetime | None = None) -> AsyncIterator[Receipt]:
        """Yield a site's receipts oldest first through a server-side cursor."""
        since = since or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        async with self._connection() as connection, connection.transaction(readonly=True):
            query = _SELECT + "WHERE site = $1 AND received_at >= $2 ORDER BY received_at, seq"
            async for row in connection.cursor(query, site, since, prefetch=EXPORT_BATCH):
                yield _receipt(row)

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete receipts received before `older_than`; return the count."""
        async with self._connection() as connection:
            status = await connection.execute("DELETE FROM receipts WHERE received_at < $1", older_than)
        return int(status.split()[-1])

    async def ping(self) -> str | None:
        """Run a trivial query; describe the failure if there is one."""
        try:
            async with self._connection() as connection:
                await connection.fetchval("SELECT 1")
        except StoreUnavailable as error:
            return f"receipt store (PostgreSQL): {error}"
        return None

    async def keep_policy_version(self, site: str, revision: int, policy_hash: str,
                                  canonical_json: str) -> None:
        """Keep a policy version once; repeated calls only touch memory."""
        if (site, policy_hash) in self._kept:
            return
        async with self._connection() as connection:
            await connection.execute(
                "INSERT INTO policy_versions (site, revision, policy_hash, canonical_json) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", site, revision, policy_hash, canonical_json)
        self._kept.add((site, policy_hash))

    async def policy_versions(self, site: str, revision: int) -> list[tuple[str, str]]:
        """Return `(hash, canonical JSON)` of the kept versions of a revision, oldest first."""
        async with self._connection() as connection:
            rows = await connection.fetch("SELECT policy_hash, canonical_json FROM policy_versions "
                                          "WHERE site = $1 AND revision = $2 ORDER BY kept_at", site, revision)
        return [(row[0], row[1]) for row in rows]

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        if self._pool is None:
            raise StoreUnavailable("the store is closed")
        try:
            connection = await self._pool.acquire(timeout=ACQUIRE_TIMEOUT)
        except Exception as error:  # whatever stops a connection (refused, auth, no database) means unavailable
            raise StoreUnavailable(str(error) or type(error).__name__) from error
        try:
            yield connection
        except _UNAVAILABLE as error:
            raise StoreUnavailable(str(error) or type(error).__name__) from error
        finally:
            # A connection that broke right after the operation (the server stopped) fails its
            # reset on release; asyncpg has then terminated it and a new one will replace it.
            # What the operation did stands: a committed receipt must not become a 500.
            with contextlib.suppress(*_UNAVAILABLE):
                await self._pool.release(connection)


async def migrate(connection: asyncpg.Connection) -> None:
    """Apply pending migrations; the caller holds a transaction, the lock ends with it."""
    await connection.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
    await connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                             "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
    applied = {row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")}
    for version, statements in MIGRATIONS:
        if version in applied:
            continue
        for statement in statements:
            await connection.execute(statement)
        await connection.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)


def _receipt(row: asyncpg.Record) -> Receipt:
    values = dict(row.items())
    values["receipt_id"] = str(values["receipt_id"])
    values["consent_id"] = str(values["consent_id"])
    values["received_at"] = values["received_at"].astimezone(dt.timezone.utc)
    values["categories"] = tuple(values["categories"])
    values["services"] = tuple(values["services"])
    return Receipt(**values)
