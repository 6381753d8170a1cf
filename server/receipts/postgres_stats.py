"""The counting tables in the PostgreSQL store (README, "Statistics"): schema, upserts and reads.

Functions take a connection inside the caller's transaction, so a receipt and its counts are
committed together or not at all.
"""

from __future__ import annotations

import datetime as dt

import asyncpg

from ..stats.counting import Counts

# Migration 2: rollups per site, day (UTC) and language, counted from this migration on.
MIGRATION = (
    """CREATE TABLE stats_days (
        site TEXT NOT NULL, day DATE NOT NULL, language TEXT NOT NULL,
        shown BIGINT NOT NULL DEFAULT 0, accept_all BIGINT NOT NULL DEFAULT 0,
        reject_all BIGINT NOT NULL DEFAULT 0, custom BIGINT NOT NULL DEFAULT 0,
        gpc BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (site, day, language))""",
    """CREATE TABLE stats_accepted (
        site TEXT NOT NULL, day DATE NOT NULL, language TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'service')), name TEXT NOT NULL,
        accepted BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (site, day, language, kind, name))""",
    """CREATE TABLE stats_policies (
        site TEXT NOT NULL, day DATE NOT NULL, revision INTEGER NOT NULL, policy_hash TEXT NOT NULL,
        decisions BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (site, policy_hash, day))""",
)

_ADD_DAYS = """INSERT INTO stats_days AS t (site, day, language, shown, accept_all, reject_all, custom, gpc)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (site, day, language) DO UPDATE SET
    shown = t.shown + excluded.shown, accept_all = t.accept_all + excluded.accept_all,
    reject_all = t.reject_all + excluded.reject_all, custom = t.custom + excluded.custom,
    gpc = t.gpc + excluded.gpc"""
_ADD_ACCEPTED = """INSERT INTO stats_accepted AS t (site, day, language, kind, name, accepted)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (site, day, language, kind, name) DO UPDATE SET accepted = t.accepted + excluded.accepted"""
_ADD_POLICIES = """INSERT INTO stats_policies AS t (site, day, revision, policy_hash, decisions)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (site, policy_hash, day) DO UPDATE SET decisions = t.decisions + excluded.decisions"""
_DAYS = """SELECT day, language, shown, accept_all, reject_all, custom, gpc FROM stats_days
    WHERE site = $1 AND day BETWEEN $2 AND $3 ORDER BY day, language"""
_ACCEPTED = """SELECT day, language, kind, name, accepted FROM stats_accepted
    WHERE site = $1 AND day BETWEEN $2 AND $3 ORDER BY day, language, kind, name"""
_SERVED = """SELECT v.revision, v.policy_hash, v.kept_at, min(s.day), max(s.day), coalesce(sum(s.decisions), 0)
    FROM policy_versions AS v LEFT JOIN stats_policies AS s ON s.site = v.site AND s.policy_hash = v.policy_hash
    WHERE v.site = $1 GROUP BY v.revision, v.policy_hash, v.kept_at ORDER BY v.kept_at"""


def _dated(rows: list[tuple]) -> list[tuple]:
    """The rows with their day (second column) as a date, which PostgreSQL's DATE column takes."""
    return [(row[0], dt.date.fromisoformat(row[1]), *row[2:]) for row in rows]


async def add_counts(connection: asyncpg.Connection, counts: Counts) -> None:
    """Add `counts` to the counting tables, in the caller's transaction."""
    for statement, rows in ((_ADD_DAYS, counts.day_rows()), (_ADD_ACCEPTED, counts.accepted_rows()),
                            (_ADD_POLICIES, counts.policy_rows())):
        if rows:
            await connection.executemany(statement, _dated(rows))


async def read_counts(connection: asyncpg.Connection, site: str, first: dt.date, last: dt.date) -> tuple[list, list]:
    """Return the day rows and accepted rows of `site` from `first` to `last` (inclusive), days as text."""
    days = await connection.fetch(_DAYS, site, first, last)
    accepted = await connection.fetch(_ACCEPTED, site, first, last)
    return ([(row[0].isoformat(), *tuple(row)[1:]) for row in days],
            [(row[0].isoformat(), *tuple(row)[1:]) for row in accepted])


async def read_served(connection: asyncpg.Connection, site: str) -> list[tuple]:
    """Return `(revision, hash, kept_at, first day, last day, decisions)` of each kept policy version."""
    rows = await connection.fetch(_SERVED, site)
    return [(r[0], r[1], r[2].astimezone(dt.timezone.utc), r[3] and r[3].isoformat(), r[4] and r[4].isoformat(),
             r[5]) for r in rows]
