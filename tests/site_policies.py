"""Small policies built in code, for tests about what a site with given categories and languages shows."""

from __future__ import annotations

import datetime as dt

from crumb.policy import Policy
from crumb.policy.loader import parse_policy


def raw_site(optional: list[tuple[str, str]], languages: list[str], **extra) -> dict:
    """Return a raw policy with a required category, `optional` (id, title) categories whose
    titles carry the language code ("Support chat (de)"), and any other top-level keys."""
    def titled(word):
        return {lang: f"{word} ({lang})" for lang in languages}
    categories = [{"id": "necessary", "required": True, "title": titled("Necessary"),
                   "description": titled("Needed")}]
    categories += [{"id": cid, "title": titled(word), "description": titled("About " + word)}
                   for cid, word in optional]
    return {"id": "site", "name": "Site", "revision": 1, "updated": dt.date(2026, 12, 1),
            "languages": list(languages), "origins": ["https://site.example"],
            "controller": {"name": "Site Ltd"}, "categories": categories, **extra}


def site_policy(optional: list[tuple[str, str]], languages: list[str], **extra) -> Policy:
    """Return the loaded policy of `raw_site(...)`."""
    return parse_policy(raw_site(optional, languages, **extra), "site.toml").policy


class AllOff:
    """Choices with every optional category and service switched off, for rendering the panel."""

    def category_on(self, _):
        return False

    def service_on(self, _):
        return False
