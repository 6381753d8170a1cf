"""The receipt API on a real server: store a decision, read it back, CORS, store outages."""

from __future__ import annotations

import datetime as dt
import uuid

from crumb.app import create_app
from crumb.appkeys import RECEIPTS
from crumb.policy import canonical_json
from tests.receipts.receipt_data import (
    CONSENTS,
    SITE,
    SITE_ORIGIN,
    receipt_settings,
    valid_body,
)


async def test_a_valid_receipt_is_answered_201_with_a_new_uuid4_and_utc_time(receipt_client):
    response = await receipt_client.post(CONSENTS, json=valid_body())
    assert response.status == 201
    body = await response.json()
    assert set(body) == {"receipt_id", "received_at"}
    assert uuid.UUID(body["receipt_id"]).version == 4
    assert str(uuid.UUID(body["receipt_id"])) == body["receipt_id"]
    assert body["received_at"].endswith("Z")
    assert dt.datetime.fromisoformat(body["received_at"].replace("Z", "+00:00")).tzinfo is not None


async def test_a_stored_receipt_is_read_back_with_the_server_fields(receipt_client, bakery):
    sent = valid_body()
    answer = await (await receipt_client.post(CONSENTS, json=sent)).json()
    response = await receipt_client.get(f"{CONSENTS}/{sent['consent_id']}")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body == {"consent_id": sent["consent_id"], "receipts": [{
        **sent, **answer, "site": SITE, "policy_hash": bakery.policy(SITE).content_hash}]}


async def test_every_decision_of_one_consent_is_kept_oldest_first(receipt_client):
    first = valid_body(method="reject_all", categories=["necessary"], services=[])
    later = valid_body(consent_id=first["consent_id"], method="accept_all",
                       categories=["necessary", "analytics", "marketing"], services=["plausible", "vidtube"])
    ids = [(await (await receipt_client.post(CONSENTS, json=body)).json())["receipt_id"]
           for body in (first, later)]
    receipts = (await (await receipt_client.get(f"{CONSENTS}/{first['consent_id']}")).json())["receipts"]
    assert [r["receipt_id"] for r in receipts] == ids
    assert [r["method"] for r in receipts] == ["reject_all", "accept_all"]


async def test_the_policy_text_the_visitor_saw_is_kept_with_the_first_receipt(receipt_client, bakery):
    policy = bakery.policy(SITE)
    await receipt_client.post(CONSENTS, json=valid_body())
    kept = await receipt_client.app[RECEIPTS].policy_versions(SITE, policy.revision)
    assert kept == [(policy.content_hash, canonical_json(policy))]


async def test_an_unknown_consent_id_is_a_404_unknown_consent(receipt_client):
    response = await receipt_client.get(f"{CONSENTS}/{uuid.uuid4()}")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_consent"


async def test_a_consent_id_that_is_not_a_uuid_is_a_400(receipt_client):
    response = await receipt_client.get(f"{CONSENTS}/not-a-uuid")
    assert response.status == 400
    assert (await response.json())["error"] == "invalid_consent_id"


async def test_a_receipt_from_the_sites_origin_gets_cors_headers_for_that_origin(receipt_client):
    response = await receipt_client.post(CONSENTS, json=valid_body(), headers={"Origin": SITE_ORIGIN})
    assert response.status == 201
    assert response.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "Origin" in response.headers["Vary"]


async def test_a_receipt_from_the_configured_public_origin_is_accepted_whatever_the_host(aiohttp_client, db_url):
    # The cookie-policy page on Crumb's own origin embeds the widget, which posts from there.
    public = "https://consent.example"
    client = await aiohttp_client(create_app(receipt_settings(db_url, public_url=public)))
    response = await client.post(CONSENTS, json=valid_body(page=public + "/sites/bakery/cookie-policy"),
                                 headers={"Origin": public})
    assert response.status == 201, await response.text()
    assert "Access-Control-Allow-Origin" not in response.headers  # same origin: no CORS needed


async def test_the_cors_preflight_from_a_site_origin_allows_a_json_post(receipt_client):
    response = await receipt_client.options(CONSENTS, headers={
        "Origin": SITE_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert "Origin" in response.headers["Vary"]


async def test_the_cors_preflight_from_a_foreign_origin_is_refused(receipt_client):
    response = await receipt_client.options(CONSENTS, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_a_store_that_is_down_answers_503_with_retry_after(receipt_client):
    await receipt_client.app[RECEIPTS].close()
    response = await receipt_client.post(CONSENTS, json=valid_body())
    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
    assert (await response.json())["error"] == "store_unavailable"


async def test_the_health_check_names_no_site_to_an_anonymous_caller(receipt_client):
    response = await receipt_client.get("/healthz")
    assert await response.json() == {"status": "ok", "problems": []}
    assert "bakery" not in await response.text()


async def test_health_check_fails_when_the_store_is_down(receipt_client):
    assert (await receipt_client.get("/healthz")).status == 200
    await receipt_client.app[RECEIPTS].close()
    response = await receipt_client.get("/healthz")
    assert response.status == 503
    assert any("receipt store" in problem for problem in (await response.json())["problems"])


async def test_a_postgresql_outage_answers_503_and_receipts_are_taken_again_once_it_is_back(
        aiohttp_client, postgres_cluster):
    client = await aiohttp_client(create_app(receipt_settings(postgres_cluster.create_database())))
    assert (await client.post(CONSENTS, json=valid_body())).status == 201
    postgres_cluster.stop()
    try:
        refused = await client.post(CONSENTS, json=valid_body())
        health = await client.get("/healthz")
    finally:
        postgres_cluster.start()
    assert refused.status == 503
    assert refused.headers["Retry-After"].isdigit()
    assert (await refused.json())["error"] == "store_unavailable"
    assert health.status == 503
    assert (await client.post(CONSENTS, json=valid_body())).status == 201
