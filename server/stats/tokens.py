"""Owner tokens (`serve --admin-tokens FILE`): the file holds one SHA-256 hex per line, never a token.

A token is checked by hashing it and comparing the hash with every line in constant time
(`hmac.compare_digest`), so neither a match's position nor its prefix shows in the timing.
The file is read again when it changes: removing a line revokes its token at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

_HEX = re.compile(r"[0-9a-f]{64}")


class TokenFileError(ValueError):
    """The token file has a line that is not a SHA-256 hex."""


def new_token() -> str:
    """Return a new random owner token (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def token_line(token: str) -> str:
    """Return the line the token file holds for `token`: its SHA-256 in lowercase hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_token_file(path: Path) -> tuple[str, ...]:
    """Return the hashes in the token file (blank lines and `#` comments skipped).

    :raise TokenFileError: naming the file and line of a bad line.
    """
    hashes = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _HEX.fullmatch(line):
            raise TokenFileError(f"--admin-tokens: {path} line {number}: expected the SHA-256 hex of a token "
                                 f"(64 characters 0-9a-f, from `crumb admin-token`), got {len(line)} other characters")
        hashes.append(line)
    return tuple(hashes)


class OwnerTokens:
    """The owner tokens of one server: none without a file, else those the file names."""

    def __init__(self, path: Path | None):
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._hashes: tuple[str, ...] = ()
        self._reread()

    def accepts(self, token: str) -> bool:
        """True when `token` is one of the owner tokens; compared in constant time."""
        self._reread()
        if not token or len(token) > 512:
            return False
        offered = token_line(token)
        found = False
        for known in self._hashes:  # no early exit: every line is compared
            found |= hmac.compare_digest(offered, known)
        return found

    def _reread(self) -> None:
        if self.path is None:
            return
        try:
            status = self.path.stat()
        except OSError:
            self._hashes = ()  # the file went away: no token is valid any more
            return
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp != self._stamp:
            try:
                self._hashes = read_token_file(self.path)
            except (OSError, TokenFileError, UnicodeDecodeError):
                self._hashes = ()  # a broken file grants nothing; start-up reported its problem
            self._stamp = stamp
