"""The loaded sites: policies by id, with their localized documents rendered once.

Rendering a document (Babel formatting, JSON encoding, hashing) happens at load time, so
serving the policy JSON is a dictionary lookup. A reload swaps the whole set at once: a
request sees either the old policies or the new ones, never a mix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .policy import LoadedPolicy, Policy, load_policies, policy_document
from .precompressed import Precompressed

POLICY_MAX_AGE = 300


@dataclass(frozen=True)
class RenderedDocument:
    """One language's policy document, as data, as the exact JSON bytes served, and as the answer."""

    data: dict
    json_bytes: bytes
    response: Precompressed

    @property
    def etag(self) -> str:
        """The strong ETag of the JSON bytes: it changes with the document's content."""
        return self.response.headers[""]["ETag"]


class UnknownSite(LookupError):
    """No loaded policy has this id."""


class Sites:
    """Every loaded site; one instance per app, replaced wholesale on reload."""

    def __init__(self, loaded: dict[str, LoadedPolicy]):
        self._loaded = loaded
        self._documents = {
            (site, lang): _render(item.policy, lang)
            for site, item in loaded.items() for lang in item.policy.languages
        }

    @classmethod
    def from_directory(cls, directory: Path) -> "Sites":
        """Load every policy file in `directory`.

        :raise PolicyError: listing every problem of every invalid file.
        """
        return cls(load_policies(directory))

    def swap(self, newer: "Sites") -> None:
        """Serve `newer`'s policies from now on (a reload); requests in flight finish on the old ones."""
        # One event loop thread: no request runs between these two assignments.
        self._loaded = newer._loaded
        self._documents = newer._documents

    def ids(self) -> list[str]:
        """Return the site ids, sorted."""
        return sorted(self._loaded)

    def warnings(self) -> list[str]:
        """Return the warnings of every loaded file."""
        return [warning for item in self._loaded.values() for warning in item.warnings]

    def policies(self) -> list[Policy]:
        """Return every loaded policy, by site id."""
        return [self._loaded[site].policy for site in self.ids()]

    def policy(self, site: str) -> Policy:
        """Return the policy of `site`.

        :raise UnknownSite: when no policy has that id.
        """
        try:
            return self._loaded[site].policy
        except KeyError:
            raise UnknownSite(site) from None

    def document(self, site: str, requested_lang: str | None) -> RenderedDocument:
        """Return the document in the requested language, or the site's default one.

        :raise UnknownSite: when no policy has that id.
        """
        lang = self.policy(site).language_for(requested_lang)
        return self._documents[(site, lang)]


def _render(policy: Policy, lang: str) -> RenderedDocument:
    data = policy_document(policy, lang)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return RenderedDocument(data, body, Precompressed.of(
        body, content_type="application/json; charset=utf-8", cache_control=f"public, max-age={POLICY_MAX_AGE}",
        headers={"Access-Control-Allow-Origin": "*", "Content-Language": lang}))
