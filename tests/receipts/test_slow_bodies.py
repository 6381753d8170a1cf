"""Bodies that trickle in (one byte at a time, on real sockets) are cut off at the deadline, only
so many are awaited at once, and an honest receipt still gets through meanwhile (issue 14, item 3)."""

from __future__ import annotations

import asyncio
import json

from crumb.app import create_app
from crumb.request_bodies import BODY_DEADLINE_SECONDS, MAX_BODIES_AWAITED
from tests.receipts.receipt_data import CONSENTS, count_receipts, receipt_settings, valid_body

CONTENT_LENGTH = 4000  # announced, never sent: at one byte per BYTE_EVERY it would take half an hour
BYTE_EVERY = 0.5  # seconds between two bytes of a slow body: the slow client's own pace
BEYOND_THE_CAP = 20
# Only a server that never cuts a slow body off could make the test run this long.
HANG = 6 * BODY_DEADLINE_SECONDS


def request_head(content_length: int) -> bytes:
    return (f"POST {CONSENTS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {content_length}\r\n\r\n").encode()


async def status_of(reader: asyncio.StreamReader) -> int:
    """Read an answer's status line and headers; return the status."""
    head = await reader.readuntil(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1])


async def post_slowly(address: tuple[str, int], answers: list[tuple[str, int]]) -> int:
    """Post a receipt whose body comes one byte every BYTE_EVERY s until the server answers;
    record the answer in `answers` as it comes; return how many body bytes were sent."""
    reader, writer = await asyncio.open_connection(*address)
    answer = asyncio.ensure_future(status_of(reader))
    writer.write(request_head(CONTENT_LENGTH))
    sent = 0
    try:
        while not answer.done():
            writer.write(b" ")  # leading whitespace: what a receipt may start with
            sent += 1
            await writer.drain()
            await asyncio.wait([answer], timeout=BYTE_EVERY)
        answers.append(("slow", answer.result()))
        return sent
    finally:
        writer.close()


async def post_at_once(address: tuple[str, int], answers: list[tuple[str, int]]) -> None:
    """Post an honest receipt, headers and body in one write (as a browser sends a small body)."""
    body = json.dumps(valid_body()).encode()
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(request_head(len(body)) + body)
        answers.append(("honest", await status_of(reader)))
    finally:
        writer.close()


async def test_slow_bodies_are_cut_off_at_the_deadline_capped_and_an_honest_receipt_passes(aiohttp_client, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
    client = await aiohttp_client(create_app(receipt_settings(db_url)))
    address = (client.server.host, client.server.port)
    answers: list[tuple[str, int]] = []
    async with asyncio.timeout(HANG):
        slow = [asyncio.ensure_future(post_slowly(address, answers))
                for _ in range(MAX_BODIES_AWAITED + BEYOND_THE_CAP)]
        waiting = set(slow)
        while len(answers) < BEYOND_THE_CAP:  # the ones past the cap are answered at once
            _, waiting = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        await post_at_once(address, answers)
        sent = await asyncio.gather(*slow)
    assert answers[:BEYOND_THE_CAP] == [("slow", 503)] * BEYOND_THE_CAP
    assert answers[BEYOND_THE_CAP] == ("honest", 201)  # while every place is taken by a slow body
    assert answers[BEYOND_THE_CAP + 1:] == [("slow", 408)] * MAX_BODIES_AWAITED
    assert max(sent) < CONTENT_LENGTH  # each was cut off long before its body could arrive
    assert await count_receipts(db_url) == 1
