"""What the receipt tests post and how they look into the database behind the API."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from crumb.settings import Settings

RECEIPT_POLICIES = Path(__file__).resolve().parent / "policies"
SITE = "bakery"
SITE_ORIGIN = "https://bakery.example"
CONSENTS = f"/api/v1/sites/{SITE}/consents"


def receipt_settings(db_url: str, rate_per_minute: int = 100_000, **changes: Any) -> Settings:
    """Settings for the receipt-test policies with receipts in `db_url`."""
    return Settings(policies_dir=RECEIPT_POLICIES, db_url=db_url, demo=False,
                    receipt_rate_per_minute=rate_per_minute, **changes)


def valid_body(**changes: Any) -> dict[str, Any]:
    """Return a valid receipt body for the bakery policy, with `changes` applied."""
    body: dict[str, Any] = {
        "consent_id": str(uuid.uuid4()),
        "revision": 4,
        "categories": ["necessary", "analytics"],
        "services": ["plausible"],
        "method": "custom",
        "language": "lt",
        "page": SITE_ORIGIN + "/recipes/rye-bread",
    }
    body.update(changes)
    return body


async def database_dump(db_url: str) -> str:
    """Return every row of every table of the database as text, to search it."""
    if db_url.startswith("sqlite:///"):
        connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    connection = await asyncpg.connect(db_url)
    try:
        tables = [row[0] for row in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        lines = []
        for table in tables:
            rows = await connection.fetch(f'SELECT t::text FROM "{table}" AS t')
            lines.extend(f"{table}: {row[0]}" for row in rows)
        return "\n".join(lines)
    finally:
        await connection.close()


async def count_receipts(db_url: str) -> int:
    """Return how many receipts the database holds, counted directly in SQL."""
    if db_url.startswith("sqlite:///"):
        connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        try:
            return connection.execute("SELECT count(*) FROM receipts").fetchone()[0]
        finally:
            connection.close()
    connection = await asyncpg.connect(db_url)
    try:
        return await connection.fetchval("SELECT count(*) FROM receipts")
    finally:
        await connection.close()
