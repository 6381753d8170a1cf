"""One hostile receipt never costs an honest one: a few unstorable posts among a thousand honest
ones at once, through the API and straight into each store's group commit."""

from __future__ import annotations

import asyncio
import json
import uuid

from crumb.receipts import Receipt, store_for
from crumb.receipts.receipt import new_receipt_id, now_utc
from tests.receipts.receipt_data import CONSENTS, SITE, SITE_ORIGIN, count_receipts, valid_body

HONEST = 1000
HOSTILE = 10
# "\ud800" in JSON is a lone surrogate, which no UTF-8 store can encode (issue 14, item 1).
UNSTORABLE_PAGE = SITE_ORIGIN + "/\ud800"


def interleaved(honest: list, hostile: list) -> list:
    """The hostile items spread evenly through the honest ones, as an attacker would mix them in."""
    mixed = list(honest)
    step = len(honest) // len(hostile)
    for index, item in enumerate(hostile):
        mixed.insert(index * (step + 1), item)
    return mixed


async def test_ten_lone_surrogate_posts_among_a_thousand_honest_ones_cost_no_honest_receipt(receipt_client, db_url):
    honest = [json.dumps(valid_body()).encode() for _ in range(HONEST)]
    hostile = [json.dumps(valid_body(page=UNSTORABLE_PAGE)).encode() for _ in range(HOSTILE)]

    async def post(body: bytes) -> tuple[bool, int, dict]:
        response = await receipt_client.post(CONSENTS, data=body, headers={"Content-Type": "application/json"})
        return body in hostile, response.status, await response.json()

    answers = await asyncio.gather(*(post(body) for body in interleaved(honest, hostile)))
    assert sorted(status for is_hostile, status, _ in answers if not is_hostile) == [201] * HONEST
    refusals = [answer for is_hostile, _, answer in answers if is_hostile]
    assert {(answer["error"], answer["detail"].split(":")[0]) for answer in refusals} == {("invalid_receipt", "page")}
    assert await count_receipts(db_url) == HONEST


def receipt(page: str = SITE_ORIGIN + "/") -> Receipt:
    return Receipt(receipt_id=new_receipt_id(), received_at=now_utc(), site=SITE, consent_id=str(uuid.uuid4()),
                   revision=4, policy_hash="ab" * 32, categories=("necessary",), services=(), method="reject_all",
                   language="en", page=page)


async def test_an_unstorable_row_in_a_group_commit_fails_alone(db_url):
    # Past validation (which now refuses it) the store itself must not let one bad row fail the
    # batch it shares: SQLite used to roll the whole group commit back and fail every receipt in it.
    store = store_for(db_url)
    await store.open()
    honest = [receipt() for _ in range(HONEST)]
    hostile = [receipt(UNSTORABLE_PAGE) for _ in range(HOSTILE)]
    outcomes = await asyncio.gather(*(store.add(item) for item in interleaved(honest, hostile)),
                                    return_exceptions=True)
    stored = {item.receipt_id for item in outcomes if isinstance(item, Receipt)}
    failed = [item for item in outcomes if isinstance(item, BaseException)]
    await store.close()
    assert stored == {item.receipt_id for item in honest}
    assert len(failed) == HOSTILE
    assert await count_receipts(db_url) == HONEST
