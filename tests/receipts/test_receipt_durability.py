"""Real server processes: a 201 survives kill -9, and two processes share one PostgreSQL."""

from __future__ import annotations

import asyncio

import aiohttp

from tests.receipts.receipt_data import (
    CONSENTS,
    RECEIPT_POLICIES,
    count_receipts,
    valid_body,
)
from tests.server_process import ServerProcess, free_port

ATTEMPTS = 200
KILL_AFTER = 120
IN_FLIGHT = 40


async def started(db_url: str) -> ServerProcess:
    server = ServerProcess(["--db", db_url, "--policies", str(RECEIPT_POLICIES), "--no-demo",
                            "--receipt-rate", "1000000"], free_port())
    await asyncio.to_thread(server.wait_for_line, "Running on")
    return server


async def post_until_killed(server: ServerProcess, bodies: list[dict]) -> dict[str, str]:
    """Post `bodies` with many in flight; SIGKILL the server right after the KILL_AFTER-th 201.

    Returns consent_id -> receipt_id of every acknowledged receipt.
    """
    acknowledged: dict[str, str] = {}
    queue = iter(bodies)

    async def worker(session: aiohttp.ClientSession) -> None:
        for body in queue:
            try:
                async with session.post(server.url + CONSENTS, json=body) as response:
                    if response.status != 201:
                        continue
                    answer = await response.json()
            except aiohttp.ClientError:
                return  # the server is gone
            acknowledged[body["consent_id"]] = answer["receipt_id"]
            if len(acknowledged) == KILL_AFTER:
                server.process.kill()

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(IN_FLIGHT)))
    return acknowledged


async def receipts_of(url: str, consent_id: str, session: aiohttp.ClientSession) -> list[dict]:
    async with session.get(f"{url}{CONSENTS}/{consent_id}") as response:
        if response.status == 404:
            return []
        assert response.status == 200
        return (await response.json())["receipts"]


async def test_every_receipt_acknowledged_before_kill_9_is_found_after_restart(db_url):
    bodies = [valid_body() for _ in range(ATTEMPTS)]
    server = await started(db_url)
    try:
        acknowledged = await post_until_killed(server, bodies)
        assert server.process.wait() == -9
    finally:
        server.stop()
    assert len(acknowledged) >= KILL_AFTER
    restarted = await started(db_url)
    try:
        async with aiohttp.ClientSession() as session:
            for consent_id, receipt_id in acknowledged.items():
                found = await receipts_of(restarted.url, consent_id, session)
                assert [receipt["receipt_id"] for receipt in found] == [receipt_id]
    finally:
        restarted.stop()
    # Receipts in flight at the kill may or may not have landed, but nothing appears twice.
    assert len(acknowledged) <= await count_receipts(db_url) <= ATTEMPTS


async def test_two_server_processes_accept_receipts_into_one_postgresql_database(postgres_cluster):
    db_url = postgres_cluster.create_database()
    # Both start at once on an empty database: the migration lock makes them take turns.
    first, second = await asyncio.gather(started(db_url), started(db_url))
    try:
        bodies = [valid_body() for _ in range(200)]
        async with aiohttp.ClientSession() as session:
            async def post(index: int, body: dict) -> str:
                url = (first if index % 2 else second).url
                async with session.post(url + CONSENTS, json=body) as response:
                    assert response.status == 201
                    return (await response.json())["receipt_id"]

            receipt_ids = await asyncio.gather(*(post(i, body) for i, body in enumerate(bodies)))
            for index, body in enumerate(bodies):
                other = (second if index % 2 else first).url  # read from the process that did not write
                found = await receipts_of(other, body["consent_id"], session)
                assert [receipt["receipt_id"] for receipt in found] == [receipt_ids[index]]
    finally:
        first.stop()
        second.stop()
    assert await count_receipts(db_url) == 200
