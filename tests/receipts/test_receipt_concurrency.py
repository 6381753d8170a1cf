"""Hundreds of receipts at once through the HTTP API: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio

from crumb.appkeys import RECEIPTS
from tests.receipts.receipt_data import CONSENTS, SITE, count_receipts, valid_body

PARALLEL = 300


async def test_parallel_posts_are_each_stored_exactly_once(receipt_client, db_url):
    bodies = [valid_body() for _ in range(PARALLEL)]
    responses = await asyncio.gather(*(receipt_client.post(CONSENTS, json=body) for body in bodies))
    assert [response.status for response in responses] == [201] * PARALLEL
    acknowledged = {(await response.json())["receipt_id"] for response in responses}
    assert len(acknowledged) == PARALLEL
    exported = [receipt async for receipt in receipt_client.app[RECEIPTS].iter_export(SITE)]
    assert {receipt.receipt_id for receipt in exported} == acknowledged
    assert sorted(receipt.consent_id for receipt in exported) == sorted(body["consent_id"] for body in bodies)
    assert await count_receipts(db_url) == PARALLEL


async def test_parallel_decisions_on_one_consent_id_are_all_kept(receipt_client):
    first = valid_body()
    bodies = [valid_body(consent_id=first["consent_id"]) for _ in range(50)]
    responses = await asyncio.gather(*(receipt_client.post(CONSENTS, json=body) for body in bodies))
    assert {response.status for response in responses} == {201}
    found = await (await receipt_client.get(f"{CONSENTS}/{first['consent_id']}")).json()
    assert len(found["receipts"]) == 50
    assert len({receipt["receipt_id"] for receipt in found["receipts"]}) == 50
