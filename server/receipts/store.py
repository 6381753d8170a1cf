"""The interface every receipt store keeps, and how a database URL picks one."""

from __future__ import annotations

import datetime as dt
from typing import AsyncIterator, Collection, Protocol

from .receipt import Receipt


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or refused to write; the caller may retry later."""


class ReceiptStore(Protocol):
    """Append-only storage of receipts and of the policy versions they refer to."""

    async def open(self) -> None:
        """Connect, create the schema on first start and run pending migrations."""

    async def close(self) -> None:
        """Release connections and threads; the store cannot be used afterwards."""

    async def add(self, receipt: Receipt, required_categories: Collection[str] = ()) -> Receipt:
        """Store `receipt` durably (on disk when this returns) and return it, and in the same
        transaction add it to the counting tables (`required_categories` are not counted).

        :raise StoreUnavailable: when the database cannot take the write.
        """

    async def by_consent(self, site: str, consent_id: str) -> list[Receipt]:
        """Return the receipts of one consent id on one site, oldest first."""

    def iter_export(self, site: str, since: dt.datetime | None = None) -> AsyncIterator[Receipt]:
        """Yield the site's receipts (received at or after `since`), oldest first, in batches."""

    async def purge(self, older_than: dt.datetime) -> int:
        """Delete receipts received before `older_than`; return how many were removed."""

    async def ping(self) -> str | None:
        """Return None when the database answers, else a short description of the problem."""

    async def keep_policy_version(self, site: str, revision: int, policy_hash: str,
                                  canonical_json: str) -> None:
        """Keep the canonical policy JSON of this revision and hash (once; later calls do nothing)."""

    async def policy_versions(self, site: str, revision: int) -> list[tuple[str, str]]:
        """Return `(policy_hash, canonical_json)` of every kept version of a revision, oldest first."""

    async def count_shown(self, banners: dict[tuple[str, str, str], int]) -> None:
        """Add banners shown, keyed by (site, day YYYY-MM-DD, language), to the counting table."""

    async def stats(self, site: str, first: dt.date, last: dt.date) -> tuple[list, list]:
        """Return the site's counting rows from `first` to `last` (inclusive), days as ISO text:
        `(day, language, shown, accept_all, reject_all, custom, gpc)` and
        `(day, language, kind, id, accepted)`."""

    async def served_policies(self, site: str) -> list[tuple]:
        """Return `(revision, hash, kept_at, first day, last day, decisions)` per kept policy version."""


def store_for(db_url: str) -> ReceiptStore:
    """Return the (not yet opened) store a URL names: `sqlite:///PATH` or `postgresql://...`.

    :raise ValueError: for any other URL.
    """
    if db_url.startswith("sqlite:///"):
        from .sqlite import SqliteStore
        return SqliteStore(db_url.removeprefix("sqlite:///"))
    if db_url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore
        return PostgresStore(db_url)
    raise ValueError(f"database URL {db_url!r} is not sqlite:///PATH or postgresql://...")
