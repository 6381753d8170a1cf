"""What a scan saw: one `Sighting` per thing, phase and page, gathered from a browser context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .domains import party, registrable_domain

PHASES = ("before", "reject", "accept")
STORAGE_SCRIPT = """async () => {
  const keys = name => { try { return Object.keys(window[name]); } catch (e) { return []; } };
  let dbs = [];
  try { dbs = (await indexedDB.databases()).map(d => d.name); } catch (e) {}
  return {local: keys('localStorage'), session: keys('sessionStorage'), indexed: dbs};
}"""


@dataclass(frozen=True)
class Sighting:
    """One cookie, storage key, database or request seen in one phase on one page."""

    phase: str
    storage: str  # cookie | local_storage | session_storage | indexed_db | request
    name: str
    domain: str
    party: str
    page: str
    expires: str | None = None
    attributes: tuple[str, ...] = ()
    path: str = ""


@dataclass
class PhaseLog:
    """Everything one phase saw, plus pages that failed to load."""

    phase: str
    sightings: list[Sighting] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (page, what went wrong)


def cookie_sightings(phase: str, page: str, cookies: list[dict], site_domain: str) -> list[Sighting]:
    """Turn Playwright's cookie list into sightings; values are never kept."""
    found = []
    for cookie in cookies:
        domain = cookie["domain"].lstrip(".")
        expires = cookie.get("expires", -1)
        attributes = [name for name, key in (("HttpOnly", "httpOnly"), ("Secure", "secure")) if cookie.get(key)]
        if cookie.get("sameSite"):
            attributes.append(f"SameSite={cookie['sameSite']}")
        found.append(Sighting(
            phase, "cookie", cookie["name"], domain, party(domain, site_domain), page,
            expires=None if expires is None or expires < 0 else _iso(expires),
            attributes=tuple(attributes), path=cookie.get("path", "/")))
    return found


def storage_sightings(phase: str, page: str, origin: str, keys: dict, site_domain: str) -> list[Sighting]:
    """Turn one frame's storage keys (from STORAGE_SCRIPT) into sightings."""
    host = urlsplit(origin).hostname or ""
    who = party(host, site_domain)
    kinds = (("local", "local_storage"), ("session", "session_storage"), ("indexed", "indexed_db"))
    return [Sighting(phase, storage, name, host, who, page)
            for key, storage in kinds for name in keys.get(key) or () if isinstance(name, str)]


def request_sighting(phase: str, page: str, url: str, site_domain: str) -> Sighting | None:
    """A sighting for a request to another site, or None for the site's own requests."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https", "ws", "wss") or registrable_domain(host) == site_domain:
        return None
    return Sighting(phase, "request", host, host, "third", page, path=parts.path)


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
