"""The counting tables hold numbers per site, day and language, and nothing of any visitor."""

from __future__ import annotations

import sqlite3

import asyncpg

from crumb.appkeys import RECEIPTS, SHOWN_BANNERS
from tests.receipts.receipt_data import CONSENTS, valid_body
from tests.receipts.stats_data import WIDGET

TABLES = ("stats_days", "stats_accepted", "stats_policies")
AGENT = "Mozilla/5.0 (X11; Linux x86_64) VisitorFingerprint/9.9"
COLUMNS = {
    "stats_days": ["site", "day", "language", "shown", "accept_all", "reject_all", "custom", "gpc"],
    "stats_accepted": ["site", "day", "language", "kind", "name", "accepted"],
    "stats_policies": ["site", "day", "revision", "policy_hash", "decisions"],
}


async def counting_tables(db_url: str) -> dict[str, tuple[list[str], list[str]]]:
    """Return each counting table's column names and its rows as text."""
    found = {}
    if db_url.startswith("sqlite:///"):
        connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        try:
            for table in TABLES:
                cursor = connection.execute(f"SELECT * FROM {table}")
                found[table] = ([c[0] for c in cursor.description], [repr(row) for row in cursor.fetchall()])
        finally:
            connection.close()
        return found
    connection = await asyncpg.connect(db_url)
    try:
        for table in TABLES:
            columns = [r[0] for r in await connection.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
                table)]
            found[table] = (columns, [r[0] for r in await connection.fetch(f"SELECT t::text FROM {table} AS t")])
    finally:
        await connection.close()
    return found


async def test_the_counting_tables_hold_nothing_that_tells_visitors_apart(receipt_client, db_url):
    headers = {"User-Agent": AGENT, "X-Forwarded-For": "203.0.113.77", "Cookie": "visitor=v-8f3a2c"}
    bodies = [valid_body(page=f"https://bakery.example/visitor-{n}") for n in range(3)]
    receipt_ids = []
    for body in bodies:
        response = await receipt_client.post(CONSENTS, json=body, headers=headers)
        receipt_ids.append((await response.json())["receipt_id"])
    for _ in range(2):
        await receipt_client.get(WIDGET, params={"lang": "en", "mode": "banner", "ask": "1"}, headers=headers)
    await receipt_client.app[SHOWN_BANNERS].write(receipt_client.app[RECEIPTS])
    tables = await counting_tables(db_url)
    assert {table: columns for table, (columns, _) in tables.items()} == COLUMNS
    text = "\n".join(row for _, rows in tables.values() for row in rows)
    assert "bakery" in text and len(text.splitlines()) == 2 + 2 + 1  # days (en, lt), accepted (2), policy
    visitor_traces = [*(body["consent_id"] for body in bodies), *receipt_ids, "visitor-", "127.0.0.1",
                      "203.0.113.77", "VisitorFingerprint", "v-8f3a2c", "https://"]
    assert [trace for trace in visitor_traces if trace in text] == []
