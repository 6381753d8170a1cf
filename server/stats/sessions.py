"""Dashboard sessions: random ids held in memory with an expiry, never written anywhere.

A restart logs every owner out, which is the safe side for an admin page.
"""

from __future__ import annotations

import secrets
import time
from typing import Callable

SESSION_SECONDS = 8 * 3600
MAX_SESSIONS = 1000


class Sessions:
    """Open dashboard sessions, by id, each until its expiry (monotonic seconds)."""

    def __init__(self, lifetime: float = SESSION_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.lifetime = lifetime
        self.clock = clock
        self._expiry: dict[str, float] = {}

    def open(self) -> str:
        """Start a session and return its id (for the cookie)."""
        self._drop_expired()
        if len(self._expiry) >= MAX_SESSIONS:  # the oldest goes: logins cannot fill the memory
            self._expiry.pop(next(iter(self._expiry)))
        session = secrets.token_urlsafe(32)
        self._expiry[session] = self.clock() + self.lifetime
        return session

    def is_open(self, session: str | None) -> bool:
        """True when `session` names a session that has not expired."""
        if not session:
            return False
        expiry = self._expiry.get(session)
        if expiry is None:
            return False
        if expiry <= self.clock():
            del self._expiry[session]
            return False
        return True

    def close(self, session: str | None) -> None:
        """End `session` (log out); unknown ids are ignored."""
        self._expiry.pop(session or "", None)

    def _drop_expired(self) -> None:
        now = self.clock()
        for session in [s for s, expiry in self._expiry.items() if expiry <= now]:
            del self._expiry[session]
