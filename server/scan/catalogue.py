"""The known-vendor catalogue: well-known cookies, storage keys and hosts, for guessing what a
scan found (README, "Scanning your site"). Shipped as `catalogue.json`; the Open Cookie Database
CSV (Apache-2.0) can be added with `--cookie-db FILE`."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .domains import host_matches

# The Open Cookie Database's categories, in the words of a Crumb policy.
OPEN_COOKIE_CATEGORIES = {"functional": "necessary", "security": "necessary", "analytics": "analytics",
                          "marketing": "marketing", "personalization": "preferences"}
OPEN_COOKIE_COLUMNS = ("Cookie / Data Key name", "Platform", "Category", "Domain", "Retention period",
                       "Wildcard match")


class CatalogueError(ValueError):
    """A catalogue file that cannot be read."""


@dataclass(frozen=True)
class Entry:
    """One known cookie or storage key of a vendor."""

    name: str  # exact, or a pattern with *
    kind: str
    vendor: str
    category: str
    duration: str  # as a policy writes it: "session", "persistent", "2y"
    hosts: tuple[str, ...]
    domain: str = ""  # "" when the vendor's script sets it on the website; else the vendor's domain

    def matches(self, storage: str, name: str, domain: str) -> bool:
        """True for this kind and name, and for a vendor domain, on that domain."""
        if storage != self.kind or not re.fullmatch(".*".join(map(re.escape, self.name.split("*"))), name):
            return False
        return not self.domain or host_matches(domain, self.domain) or host_matches(domain, "*." + self.domain)


@dataclass(frozen=True)
class Vendor:
    """A vendor's name, usual category and hosts."""

    name: str
    category: str
    hosts: tuple[str, ...]


class Catalogue:
    """Known entries and vendor hosts, looked up by what a scan saw."""

    def __init__(self, entries: list[Entry], vendors: list[Vendor]):
        self.entries = entries
        self.vendors = vendors

    @classmethod
    def bundled(cls) -> "Catalogue":
        """The catalogue shipped with Crumb."""
        data = json.loads(resources.files(__package__).joinpath("catalogue.json").read_text(encoding="utf-8"))
        entries, vendors = [], []
        for vendor in data["vendors"]:
            hosts = tuple(vendor["hosts"])
            vendors.append(Vendor(vendor["vendor"], vendor["category"], hosts))
            entries += [Entry(name, kind, vendor["vendor"], vendor["category"], duration, hosts, vendor["domain"])
                        for name, kind, duration in vendor["storage"]]
        return cls(entries, vendors)

    def add_open_cookie_database(self, path: Path) -> None:
        """Add the rows of an Open Cookie Database CSV file (checked against their own catalogue first).

        :raise CatalogueError: when the file cannot be read or lacks the expected columns.
        """
        try:
            with path.open(encoding="utf-8", newline="") as file:
                reader = csv.DictReader(file)
                missing = [column for column in OPEN_COOKIE_COLUMNS if column not in (reader.fieldnames or ())]
                if missing:
                    raise CatalogueError(f"--cookie-db: {path}: not an Open Cookie Database CSV "
                                         f"(no column {missing[0]!r})")
                self.entries += [_open_cookie_entry(row) for row in reader if row["Cookie / Data Key name"]]
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CatalogueError(f"--cookie-db: cannot read {path}: {error}") from error

    def entry(self, storage: str, name: str, domain: str) -> Entry | None:
        """The first known entry for this thing, or None."""
        return next((e for e in self.entries if e.matches(storage, name, domain)), None)

    def vendor_of_host(self, host: str) -> Vendor | None:
        """The vendor whose hosts include `host`, or None."""
        return next((v for v in self.vendors if any(host_matches(host, h) for h in v.hosts)), None)

    def known(self, storage: str, name: str, domain: str | None) -> dict | None:
        """The report's `known` field: {vendor, category} or None."""
        if storage == "request":
            vendor = self.vendor_of_host(name)
            return {"vendor": vendor.name, "category": vendor.category} if vendor else None
        entry = self.entry(storage, name, domain or "")
        return {"vendor": entry.vendor, "category": entry.category} if entry else None


def _open_cookie_entry(row: dict) -> Entry:
    name = row["Cookie / Data Key name"].strip()
    if row.get("Wildcard match", "").strip() == "1" and not name.endswith("*"):
        name += "*"
    category = OPEN_COOKIE_CATEGORIES.get(row["Category"].strip().lower(), "marketing")
    # Its domains are free text ("google.com (3rd party)"); the first word is the vendor's domain.
    domain = (row["Domain"].split() or [""])[0].lstrip(".").lower()
    third = domain and "3rd" in row["Domain"]
    return Entry(name, "cookie", row["Platform"].strip(), category, "persistent", (), domain if third else "")
