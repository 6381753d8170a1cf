"""The owner's statistics API on a real server, both stores: exact counts, tokens, bad ranges."""

from __future__ import annotations

import datetime as dt

import pytest

from crumb.app import create_app
from tests.receipts.receipt_data import receipt_settings
from tests.receipts.stats_data import LANGUAGES, STATS, TOKEN, TOTALS, post_known_mix, token_file

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def owner_client(aiohttp_client, db_url, tmp_path):
    """A client of the real app with an owner token file."""
    return await aiohttp_client(create_app(receipt_settings(db_url, admin_tokens_file=token_file(tmp_path))))


def today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


async def test_posted_receipts_and_shown_banners_give_exactly_those_counts(owner_client):
    await post_known_mix(owner_client)
    response = await owner_client.get(STATS, params={"from": today(), "to": today()}, headers=AUTH)
    assert response.status == 200
    body = await response.json()
    assert body == {"site": "bakery", "from": today(), "to": today(),
                    "days": [{"date": today(), **TOTALS}], "totals": TOTALS}
    assert sum(LANGUAGES[lang]["decisions"] for lang in LANGUAGES) == sum(TOTALS["decisions"].values())


async def test_without_dates_the_last_30_days_are_answered_each_day_present(owner_client):
    await post_known_mix(owner_client)
    body = await (await owner_client.get(STATS, headers=AUTH)).json()
    assert len(body["days"]) == 30
    assert body["to"] == today() and body["days"][-1]["date"] == today()
    assert body["days"][0]["shown"] == 0 and body["totals"] == TOTALS


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}])
async def test_without_a_valid_token_the_answer_is_401_unauthorized(owner_client, headers):
    response = await owner_client.get(STATS, headers=headers)
    assert response.status == 401
    assert (await response.json())["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_without_a_token_file_no_token_is_valid(aiohttp_client, db_url):
    client = await aiohttp_client(create_app(receipt_settings(db_url)))
    response = await client.get(STATS, headers=AUTH)
    assert response.status == 401


async def test_an_unknown_site_is_a_404_once_the_token_is_valid(owner_client):
    response = await owner_client.get("/api/v1/sites/nosuch/stats", headers=AUTH)
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


@pytest.mark.parametrize(("query", "code", "named"), [
    ({"from": "2026-13-01"}, "invalid_date", "from:"),
    ({"to": "yesterday"}, "invalid_date", "to:"),
    ({"from": ""}, "invalid_date", "from:"),
    ({"from": "2026-11-02", "to": "2026-11-01"}, "invalid_range", "from:"),
    ({"from": "2025-01-01", "to": "2026-02-05"}, "invalid_range", "to:"),
])
async def test_bad_dates_are_a_400_naming_the_parameter(owner_client, query, code, named):
    response = await owner_client.get(STATS, params=query, headers=AUTH)
    assert response.status == 400
    body = await response.json()
    assert body["error"] == code and body["detail"].startswith(named)


async def test_a_range_of_400_days_is_answered(owner_client):
    response = await owner_client.get(STATS, params={"from": "2025-01-01", "to": "2026-02-04"}, headers=AUTH)
    assert response.status == 200
    assert len((await response.json())["days"]) == 400


def test_a_token_file_line_that_is_not_a_sha256_hex_stops_the_start_naming_the_line(tmp_path, db_url):
    path = tmp_path / "tokens"
    path.write_text("# owners\n" + "ab" * 32 + "\nmy-secret-token\n")
    problems = receipt_settings(db_url, admin_tokens_file=path).problems()
    assert problems == [f"--admin-tokens: {path} line 3: expected the SHA-256 hex of a token (64 characters "
                        "0-9a-f, from `crumb admin-token`), got 15 other characters"]


async def test_a_line_removed_from_the_token_file_revokes_its_token_at_once(owner_client, tmp_path):
    assert (await owner_client.get(STATS, headers=AUTH)).status == 200
    (tmp_path / "owner-tokens").write_text("# nobody\n")
    assert (await owner_client.get(STATS, headers=AUTH)).status == 401
