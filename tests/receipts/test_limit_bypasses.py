"""The rate limit and the Origin check hold against the bypasses that worked before (issue 14,
item 4): 150 posts against a limit of 60 from one client, however it dresses its address, and
a forged Host that once made any origin pass for Crumb's own."""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from multidict import CIMultiDict

from crumb.app import create_app
from tests.receipts.receipt_data import CONSENTS, count_receipts, receipt_settings, valid_body
from tests.server_process import running_server

LIMIT = 60
POSTS = 150
PROXY = "127.0.0.1"  # the test client's own address, trusted as a reverse proxy


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'receipts.sqlite3'}"


@pytest.fixture
async def proxied_client(aiohttp_client, sqlite_url):
    """A client of the app behind a trusted proxy (the test client's own address), limit 60."""
    settings = receipt_settings(sqlite_url, rate_per_minute=LIMIT, trusted_proxies=(PROXY,))
    return await aiohttp_client(create_app(settings))


async def statuses(client, headers_of) -> Counter:
    """Post 150 receipts one after another, the n-th with `headers_of(n)`; count the statuses."""
    counted: Counter = Counter()
    for n in range(POSTS):
        response = await client.post(CONSENTS, json=valid_body(), headers=headers_of(n))
        counted[response.status] += 1
    return counted


async def test_a_forwarded_for_line_the_proxy_adds_is_the_one_that_counts(proxied_client, sqlite_url):
    # The client sends its own X-Forwarded-For, new each time; the proxy adds a second line
    # with the real address instead of appending to the first. Only the first line was read.
    def headers_of(n: int) -> CIMultiDict:
        return CIMultiDict([("X-Forwarded-For", f"192.0.2.1, 198.51.100.{n}"),
                            ("X-Forwarded-For", "203.0.113.9")])

    assert await statuses(proxied_client, headers_of) == {201: LIMIT, 429: POSTS - LIMIT}
    assert await count_receipts(sqlite_url) == LIMIT


async def test_the_addresses_of_one_ipv6_64_share_one_limit(proxied_client, sqlite_url):
    counted = await statuses(proxied_client, lambda n: {"X-Forwarded-For": f"2001:db8:7:7:{n:x}::{n + 1:x}"})
    assert counted == {201: LIMIT, 429: POSTS - LIMIT}
    assert await count_receipts(sqlite_url) == LIMIT


async def test_ipv6_clients_of_other_64s_each_have_their_own_limit(aiohttp_client, sqlite_url):
    settings = receipt_settings(sqlite_url, rate_per_minute=1, trusted_proxies=(PROXY,))
    client = await aiohttp_client(create_app(settings))
    counted = await statuses(client, lambda n: {"X-Forwarded-For": f"2001:db8:7:{n:x}::1"})
    assert counted == {201: POSTS}


async def test_a_forged_host_with_a_matching_origin_stores_nothing(receipt_client, db_url):
    forged = {"Host": "evil.example", "Origin": "http://evil.example"}
    response = await receipt_client.post(CONSENTS, json=valid_body(page="http://evil.example/phish"), headers=forged)
    assert response.status == 403
    assert (await response.json())["error"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await count_receipts(db_url) == 0


async def test_a_page_on_a_forged_host_is_refused_without_an_origin(receipt_client, db_url):
    response = await receipt_client.post(CONSENTS, json=valid_body(page="http://evil.example/phish"),
                                         headers={"Host": "evil.example"})
    assert response.status == 400
    assert (await response.json())["detail"].startswith("page:")
    assert await count_receipts(db_url) == 0


async def test_receipt_lookups_are_rate_limited_apart_from_posts(aiohttp_client, sqlite_url):
    client = await aiohttp_client(create_app(receipt_settings(sqlite_url, rate_per_minute=LIMIT)))
    lookups = await asyncio.gather(*(client.get(f"{CONSENTS}/{uuid.uuid4()}") for _ in range(POSTS)))
    assert Counter(response.status for response in lookups) == {404: LIMIT, 429: POSTS - LIMIT}
    limited = next(response for response in lookups if response.status == 429)
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await limited.json())["error"] == "rate_limited"
    assert (await client.post(CONSENTS, json=valid_body())).status == 201  # posts keep their own limit


def test_the_demo_server_by_default_takes_receipts_from_its_own_origin(tmp_path):
    # No --public-url: the default is http://HOST:PORT, what a browser on the demo sees.
    with running_server("--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        body = {"consent_id": str(uuid.uuid4()), "revision": 1, "categories": ["necessary"], "services": [],
                "method": "reject_all", "language": "en", "page": server.url + "/sites/demo/cookie-policy"}
        request = urllib.request.Request(server.url + "/api/v1/sites/demo/consents", method="POST",
                                         data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "Origin": server.url})
        with urllib.request.urlopen(request) as response:
            assert response.status == 201
