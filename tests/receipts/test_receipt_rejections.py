"""Every class of bad receipt is refused with its status and error code, and nothing is stored."""

from __future__ import annotations

import json
import uuid

import pytest

from crumb.app import create_app
from tests.receipts.receipt_data import (
    CONSENTS,
    SITE_ORIGIN,
    count_receipts,
    receipt_settings,
    valid_body,
)

JSON = {"Content-Type": "application/json"}


def encoded(**changes) -> bytes:
    return json.dumps(valid_body(**changes)).encode()


def without(field: str) -> bytes:
    body = valid_body()
    del body[field]
    return json.dumps(body).encode()


def nested(field: str, raw_json: bytes) -> bytes:
    """A valid body whose `field` is `raw_json`, nested deeper than json.dumps can write back."""
    return encoded(**{field: "PLACEHOLDER"}).replace(b'"PLACEHOLDER"', raw_json)


INVALID_FIELDS = {
    "a missing field": (without("page"), "page"),
    "an unknown field": (encoded(ip="203.0.113.9"), "ip"),
    "an uppercase consent id": (encoded(consent_id=str(uuid.uuid4()).upper()), "consent_id"),
    "a uuid1 consent id": (encoded(consent_id=str(uuid.uuid1())), "consent_id"),
    "a consent id that is not text": (encoded(consent_id=42), "consent_id"),
    "an old revision": (encoded(revision=3), "revision"),
    "a revision as text": (encoded(revision="4"), "revision"),
    "a revision as a boolean": (encoded(revision=True), "revision"),
    "an unknown category": (encoded(categories=["necessary", "tracking"]), "categories"),
    "no required category": (encoded(categories=["analytics"]), "categories"),
    "a repeated category": (encoded(categories=["necessary", "analytics", "analytics"]), "categories"),
    "categories that are not a list": (encoded(categories="necessary"), "categories"),
    "an unknown service": (encoded(services=["hotjar"]), "services"),
    "services that are not ids": (encoded(services=[{"id": "plausible"}]), "services"),
    "an unknown method": (encoded(method="implied"), "method"),
    "accept_all that refuses a category": (encoded(method="accept_all"), "method"),
    "reject_all that accepts a category": (encoded(method="reject_all"), "method"),
    "a language the site does not offer": (encoded(language="pt"), "language"),
    "a page with a query": (encoded(page=SITE_ORIGIN + "/search?q=rye"), "page"),
    "a page with a fragment": (encoded(page=SITE_ORIGIN + "/#top"), "page"),
    "a page on a foreign origin": (encoded(page="https://evil.example/recipes"), "page"),
    "a page without a path": (encoded(page=SITE_ORIGIN), "page"),
    "a javascript page": (encoded(page="javascript:alert(1)"), "page"),
    "a page that is not text": (encoded(page=["/"]), "page"),
    # Text that is not a sequence of Unicode scalar values cannot be stored as UTF-8 (SQLite
    # refused the whole group commit it was in), nor can U+0000 be stored in PostgreSQL.
    "a page holding a lone surrogate": (encoded(page=SITE_ORIGIN + "/\ud800"), "page"),
    "a page holding a surrogate pair in the wrong order": (encoded(page=SITE_ORIGIN + "/\udfff\udbff"), "page"),
    "a page holding U+0000": (encoded(page=SITE_ORIGIN + "/rye\u0000bread"), "page"),
    "a page holding a control character": (encoded(page=SITE_ORIGIN + "/rye\u0007bread"), "page"),
    "a language that is a lone surrogate": (encoded(language="\udc80"), "language"),
    "a category that is a lone surrogate": (encoded(categories=["necessary", "\ud800"]), "categories"),
    "a page longer than 512 characters": (encoded(page=SITE_ORIGIN + "/" + "a" * 490), "page"),
    # 20 levels parse, and are refused field by field; 975 levels are deeper than the parser goes
    # (the error used to be a 500: json.dumps of the value in the error recursed as deep).
    "categories nested 20 deep": (nested("categories", b"[" * 20 + b"]" * 20), "categories"),
    "categories nested 975 deep": (nested("categories", b"[" * 975 + b"]" * 975), "categories"),
    "services nested 600 deep in objects": (nested("services", b'{"a":' * 600 + b"1" + b"}" * 600), "services"),
}

MALFORMED = {
    "not JSON": b"consent_id=1&revision=4",
    "a JSON array": b"[1, 2]",
    "JSON with a repeated key": b'{"revision": 4, "revision": 4}',
    "not UTF-8": '{"page": "caf\u00e9"}'.encode("latin-1"),
    "an empty body": b"",
    "JSON nested deeper than the parser goes": b"[" * 4000 + b"]" * 90,
}


async def assert_refused(response, status: int, code: str, db_url: str) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    body = await response.json()
    assert body["error"] == code
    assert body["detail"]
    assert await count_receipts(db_url) == 0
    return body


@pytest.mark.parametrize("body, field", INVALID_FIELDS.values(), ids=INVALID_FIELDS.keys())
async def test_an_invalid_field_is_a_400_naming_the_field(receipt_client, db_url, body, field):
    response = await receipt_client.post(CONSENTS, data=body, headers=JSON)
    refusal = await assert_refused(response, 400, "invalid_receipt", db_url)
    assert refusal["detail"].startswith(field + ":")


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_body_that_is_not_one_json_object_is_a_400_malformed_json(receipt_client, db_url, body):
    response = await receipt_client.post(CONSENTS, data=body, headers=JSON)
    await assert_refused(response, 400, "malformed_json", db_url)


async def test_a_body_over_4_kb_is_a_413(receipt_client, db_url):
    body = encoded(page=SITE_ORIGIN + "/" + "a" * 4096)
    response = await receipt_client.post(CONSENTS, data=body, headers=JSON)
    await assert_refused(response, 413, "payload_too_large", db_url)


async def test_a_chunked_body_over_4_kb_is_a_413(receipt_client, db_url):
    async def chunks():
        for _ in range(10):
            yield b" " * 1000

    response = await receipt_client.post(CONSENTS, data=chunks(), headers=JSON)
    await assert_refused(response, 413, "payload_too_large", db_url)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
async def test_a_body_that_is_not_declared_json_is_a_415(receipt_client, db_url, content_type):
    response = await receipt_client.post(CONSENTS, data=encoded(), headers={"Content-Type": content_type})
    await assert_refused(response, 415, "unsupported_media_type", db_url)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "https://bakery.example.evil.example"])
async def test_a_post_from_a_foreign_origin_is_a_403(receipt_client, db_url, origin):
    response = await receipt_client.post(CONSENTS, data=encoded(), headers={**JSON, "Origin": origin})
    body = await assert_refused(response, 403, "forbidden_origin", db_url)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert origin in body["detail"]


async def test_a_receipt_for_an_unknown_site_is_a_404(receipt_client, db_url):
    response = await receipt_client.post("/api/v1/sites/nobody/consents", data=encoded(), headers=JSON)
    await assert_refused(response, 404, "unknown_site", db_url)


async def test_a_client_over_the_rate_limit_gets_429_with_retry_after(aiohttp_client, db_url):
    client = await aiohttp_client(create_app(receipt_settings(db_url, rate_per_minute=3)))
    for _ in range(3):
        assert (await client.post(CONSENTS, json=valid_body())).status == 201
    response = await client.post(CONSENTS, json=valid_body())
    assert response.status == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert (await response.json())["error"] == "rate_limited"
    assert await count_receipts(db_url) == 3


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(aiohttp_client, db_url):
    settings = receipt_settings(db_url, rate_per_minute=1, trusted_proxies=("127.0.0.1",))
    client = await aiohttp_client(create_app(settings))
    first = {"X-Forwarded-For": "198.51.100.1"}
    # A client-forged entry before the proxy's own one changes nothing.
    second = {"X-Forwarded-For": "198.51.100.1, 198.51.100.2"}
    assert (await client.post(CONSENTS, json=valid_body(), headers=first)).status == 201
    assert (await client.post(CONSENTS, json=valid_body(), headers=second)).status == 201
    assert (await client.post(CONSENTS, json=valid_body(), headers=first)).status == 429


async def test_forwarded_addresses_from_an_untrusted_peer_do_not_escape_the_limit(aiohttp_client, db_url):
    client = await aiohttp_client(create_app(receipt_settings(db_url, rate_per_minute=1)))
    assert (await client.post(CONSENTS, json=valid_body(), headers={"X-Forwarded-For": "198.51.100.1"})).status == 201
    refused = await client.post(CONSENTS, json=valid_body(), headers={"X-Forwarded-For": "198.51.100.2"})
    assert refused.status == 429
