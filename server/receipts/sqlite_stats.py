"""The counting tables in the SQLite store (README, "Statistics"): schema, upserts and reads.

Functions take the store's connection and run on its thread, inside the caller's transaction,
so a receipt and its counts are committed together or not at all.
"""

from __future__ import annotations

import sqlite3

from ..stats.counting import Counts

# Migration 2: rollups per site, day (UTC) and language. Counted from this migration on; receipts
# stored before it are not counted (their optional categories cannot be told from required ones).
MIGRATION = (
    """CREATE TABLE stats_days (
        site TEXT NOT NULL, day TEXT NOT NULL, language TEXT NOT NULL,
        shown INTEGER NOT NULL DEFAULT 0, accept_all INTEGER NOT NULL DEFAULT 0,
        reject_all INTEGER NOT NULL DEFAULT 0, custom INTEGER NOT NULL DEFAULT 0,
        gpc INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site, day, language)) WITHOUT ROWID""",
    """CREATE TABLE stats_accepted (
        site TEXT NOT NULL, day TEXT NOT NULL, language TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'service')), name TEXT NOT NULL,
        accepted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site, day, language, kind, name)) WITHOUT ROWID""",
    """CREATE TABLE stats_policies (
        site TEXT NOT NULL, day TEXT NOT NULL, revision INTEGER NOT NULL, policy_hash TEXT NOT NULL,
        decisions INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site, policy_hash, day)) WITHOUT ROWID""",
)

_ADD_DAYS = """INSERT INTO stats_days (site, day, language, shown, accept_all, reject_all, custom, gpc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, day, language) DO UPDATE SET
    shown = shown + excluded.shown, accept_all = accept_all + excluded.accept_all,
    reject_all = reject_all + excluded.reject_all, custom = custom + excluded.custom, gpc = gpc + excluded.gpc"""
_ADD_ACCEPTED = """INSERT INTO stats_accepted (site, day, language, kind, name, accepted) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (site, day, language, kind, name) DO UPDATE SET accepted = accepted + excluded.accepted"""
_ADD_POLICIES = """INSERT INTO stats_policies (site, day, revision, policy_hash, decisions) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (site, policy_hash, day) DO UPDATE SET decisions = decisions + excluded.decisions"""
_DAYS = """SELECT day, language, shown, accept_all, reject_all, custom, gpc FROM stats_days
    WHERE site = ? AND day BETWEEN ? AND ? ORDER BY day, language"""
_ACCEPTED = """SELECT day, language, kind, name, accepted FROM stats_accepted
    WHERE site = ? AND day BETWEEN ? AND ? ORDER BY day, language, kind, name"""
_SERVED = """SELECT v.revision, v.policy_hash, v.kept_at, min(s.day), max(s.day), coalesce(sum(s.decisions), 0)
    FROM policy_versions AS v LEFT JOIN stats_policies AS s ON s.site = v.site AND s.policy_hash = v.policy_hash
    WHERE v.site = ? GROUP BY v.revision, v.policy_hash, v.kept_at ORDER BY v.kept_at"""


def add_counts(connection: sqlite3.Connection, counts: Counts) -> None:
    """Add `counts` to the counting tables, in the caller's transaction."""
    connection.executemany(_ADD_DAYS, counts.day_rows())
    connection.executemany(_ADD_ACCEPTED, counts.accepted_rows())
    connection.executemany(_ADD_POLICIES, counts.policy_rows())


def read_counts(connection: sqlite3.Connection, site: str, first: str, last: str) -> tuple[list, list]:
    """Return the day rows and accepted rows of `site` from `first` to `last` (ISO dates, inclusive)."""
    return (connection.execute(_DAYS, (site, first, last)).fetchall(),
            connection.execute(_ACCEPTED, (site, first, last)).fetchall())


def read_served(connection: sqlite3.Connection, site: str) -> list[tuple]:
    """Return `(revision, hash, kept_at, first day, last day, decisions)` of each kept policy version."""
    return connection.execute(_SERVED, (site,)).fetchall()
