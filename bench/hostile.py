"""The hostile share of the soak (`soak.py`): receipt posts built to hurt, each with the answer
Crumb must give it, and slow clients that send a body one byte at a time on raw sockets.

Kinds, each from issue 14: a lone surrogate in `page` (once a whole SQLite group commit failed
with it), `categories` nested 975 deep (once a 500), a body over 4 KB (413) and slow bodies
(cut off at the deadline, or refused at once past the cap of bodies awaited).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

# kind -> the statuses Crumb may answer it with
EXPECTED = {"surrogate": {400}, "deep": {400}, "oversized": {413}, "slow": {408, 503}}
POST_KINDS = ("surrogate", "deep", "oversized")
SLOW_CONTENT_LENGTH = 4000
SLOW_BYTE_EVERY = 1.0


def hostile_body(kind: str, receipt: dict) -> bytes:
    """Return a receipt body of one hostile `kind`, made from an honest `receipt`."""
    if kind == "surrogate":
        return json.dumps({**receipt, "page": receipt["page"] + "\ud800"}).encode()
    if kind == "deep":
        return json.dumps({**receipt, "categories": "DEEP"}).encode().replace(b'"DEEP"', b"[" * 975 + b"]" * 975)
    return json.dumps({**receipt, "page": receipt["page"] + "a" * 5000}).encode()


class HostileTally:
    """Answers to hostile requests, by kind and status."""

    def __init__(self) -> None:
        self.statuses: dict[str, Counter] = {}

    def add(self, kind: str, status: int | str) -> None:
        self.statuses.setdefault(kind, Counter())[status] += 1

    def unexpected(self) -> int:
        """How many hostile requests got an answer Crumb must not give them."""
        return sum(count for kind, counted in self.statuses.items()
                   for status, count in counted.items() if status not in EXPECTED[kind])

    def summary(self) -> dict:
        return {kind: {str(status): count for status, count in sorted(counted.items(), key=str)}
                for kind, counted in self.statuses.items()}


async def slow_client(port: int, path: str, deadline: float, tally: HostileTally) -> None:
    """Until `deadline`: post a receipt whose body comes one byte a second, note the answer, again."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {SLOW_CONTENT_LENGTH}\r\n\r\n").encode()
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            tally.add("slow", type(error).__name__)
            await asyncio.sleep(SLOW_BYTE_EVERY)
            continue
        answer = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
        try:
            writer.write(head)
            while not answer.done() and time.monotonic() < deadline:
                writer.write(b" ")
                await writer.drain()
                await asyncio.wait([answer], timeout=SLOW_BYTE_EVERY)
            if answer.done():
                tally.add("slow", int(answer.result().split(b" ", 2)[1]))
        except (OSError, asyncio.IncompleteReadError) as error:
            tally.add("slow", type(error).__name__)
        finally:
            answer.cancel()
            writer.close()
        # Back again a second later, as the next byte would have come: the places stay taken
        # without turning the soak into a connection flood from this process.
        await asyncio.sleep(SLOW_BYTE_EVERY)
