"""PostgreSQL stopped in the middle of a mixed load: receipts get 503 with Retry-After, every
page keeps serving, posting resumes once the database is back, and nothing acknowledged is lost."""

from __future__ import annotations

import asyncio

from crumb.app import create_app
from tests.receipts.receipt_data import CONSENTS, SITE, receipt_settings, valid_body

PAGES = [f"/sites/{SITE}/gate.js", f"/api/v1/sites/{SITE}/policy?lang=en", f"/sites/{SITE}/widget?lang=en",
         f"/sites/{SITE}/cookie-policy?lang=en", "/api/v1/openapi.json"]
WORKERS = 8


class Load:
    """Mixed traffic from several workers; each phase ends on a count, not on a clock."""

    def __init__(self, client):
        self.client = client
        self.acknowledged: list[str] = []
        self.refused: list[tuple[int, str, str]] = []
        self.page_failures: list[tuple[str, int]] = []
        self.pages_served = 0
        self.stopping = False

    async def worker(self, number: int) -> None:
        turn = number
        while not self.stopping:
            turn += 1
            if turn % 2:
                await self.page(PAGES[turn % len(PAGES)])
            else:
                await self.post()

    async def page(self, path: str) -> None:
        response = await self.client.get(path)
        await response.read()
        if response.status == 200:
            self.pages_served += 1
        else:
            self.page_failures.append((path, response.status))

    async def post(self) -> None:
        body = valid_body()
        response = await self.client.post(CONSENTS, json=body)
        answer = await response.json()
        if response.status == 201:
            self.acknowledged.append(body["consent_id"])
        else:
            self.refused.append((response.status, answer["error"], response.headers.get("Retry-After", "")))

    async def until(self, condition) -> None:
        while not condition():
            await asyncio.sleep(0)  # yield to the workers; the condition is on counts they update


async def test_a_database_outage_under_load_loses_nothing_acknowledged(aiohttp_client, postgres_cluster):
    client = await aiohttp_client(create_app(receipt_settings(postgres_cluster.create_database())))
    load = Load(client)
    workers = [asyncio.create_task(load.worker(number)) for number in range(WORKERS)]
    try:
        await asyncio.wait_for(load.until(lambda: len(load.acknowledged) >= 100), 120)
        await asyncio.to_thread(postgres_cluster.stop)
        # Counted from the moment the database is down: refusals may already have piled up
        # while `stop` ran, and the outage phase must see pages served and posts refused.
        served_before, refused_before = load.pages_served, len(load.refused)
        await asyncio.wait_for(load.until(lambda: len(load.refused) >= refused_before + 50
                                          and load.pages_served > served_before), 120)
        served_during_outage = load.pages_served - served_before
        await asyncio.to_thread(postgres_cluster.start)
        acknowledged_before_return = len(load.acknowledged)
        await asyncio.wait_for(load.until(lambda: len(load.acknowledged) >= acknowledged_before_return + 100), 120)
    finally:
        load.stopping = True
        await asyncio.gather(*workers)
    assert load.page_failures == []
    assert served_during_outage > 0
    assert {refusal for refusal in load.refused} == {(503, "store_unavailable", "5")}
    missing = []
    for consent_id in load.acknowledged:
        response = await client.get(f"{CONSENTS}/{consent_id}")
        if response.status != 200:
            missing.append(consent_id)
    assert missing == []
