"""Nothing that identifies a person reaches the database: no address, no user agent."""

from __future__ import annotations

from pathlib import Path

from crumb.app import create_app
from tests.receipts.receipt_data import (
    CONSENTS,
    SITE_ORIGIN,
    database_dump,
    receipt_settings,
    valid_body,
)

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) CrumbPrivacyProbe/7.3.1"
FORWARDED_FOR = "203.0.113.77"


async def post_as_a_visitor(aiohttp_client, db_url: str) -> tuple[str, list[str]]:
    """Post receipts with a distinctive user agent and forwarded addresses.

    Returns the client's own address and the consent ids posted.
    """
    client = await aiohttp_client(create_app(receipt_settings(db_url, rate_per_minute=50)))
    headers = {"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_FOR, "X-Real-IP": FORWARDED_FOR,
               "Forwarded": f"for={FORWARDED_FOR}", "Origin": SITE_ORIGIN}
    bodies = [valid_body() for _ in range(3)]
    for body in bodies:
        response = await client.post(CONSENTS, json=body, headers=headers)
        assert response.status == 201
    return client.host, [body["consent_id"] for body in bodies]


async def test_no_client_address_or_user_agent_is_anywhere_in_the_database(aiohttp_client, db_url):
    client_address, consent_ids = await post_as_a_visitor(aiohttp_client, db_url)
    dump = await database_dump(db_url)
    assert all(consent_id in dump for consent_id in consent_ids)  # the dump does hold the receipts
    for trace in (client_address, FORWARDED_FOR, USER_AGENT, "CrumbPrivacyProbe", "Mozilla"):
        assert trace not in dump


async def test_no_client_address_or_user_agent_is_in_the_sqlite_files_bytes(aiohttp_client, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
    client_address, _ = await post_as_a_visitor(aiohttp_client, db_url)
    raw = b"".join(path.read_bytes() for path in Path(tmp_path).glob("receipts.sqlite3*"))
    assert b"bakery.example" in raw  # the pages are there, so the search looks at real data
    for trace in (client_address, FORWARDED_FOR, USER_AGENT, "CrumbPrivacyProbe"):
        assert trace.encode() not in raw
