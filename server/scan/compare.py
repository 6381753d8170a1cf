"""Findings: what a scan saw, held against the policy's storage rows and service hosts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..policy import Policy, StorageRow
from .catalogue import Catalogue
from .domains import host_matches
from .record import PHASES, Sighting

KINDS = ("set_before_consent", "request_before_consent", "set_after_refusal", "request_after_refusal",
         "undeclared", "page_error", "declared_not_seen")
SEVERITY = {"declared_not_seen": "info", "page_error": "error"}


@dataclass
class Item:
    """One thing (cookie, key, database, request host) over all phases."""

    storage: str
    name: str
    domain: str
    party: str
    pages: dict[str, list[str]] = field(default_factory=dict)  # phase -> pages, in order
    expires: dict[str, str | None] = field(default_factory=dict)
    attributes: tuple[str, ...] = ()
    paths: set[str] = field(default_factory=set)

    def first_phase(self) -> str:
        """The first phase it was seen in."""
        return next(phase for phase in PHASES if phase in self.pages)


def gather(sightings: list[Sighting]) -> list[Item]:
    """Group sightings by storage, name and domain."""
    items: dict[tuple, Item] = {}
    for s in sightings:
        item = items.setdefault((s.storage, s.name, s.domain), Item(s.storage, s.name, s.domain, s.party))
        pages = item.pages.setdefault(s.phase, [])
        if s.page not in pages:
            pages.append(s.page)
        item.expires[s.phase] = s.expires
        item.attributes = s.attributes or item.attributes
        item.paths.add(s.path)
    return list(items.values())


def name_matches(name: str, pattern: str) -> bool:
    """True when `name` is `pattern`, where `*` stands for any run of characters."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), name) is not None


def storage_row(policy: Policy | None, item: Item) -> StorageRow | None:
    """The policy's row for a cookie, key or database: same kind, name pattern and domain."""
    for row in policy.storage if policy else ():
        if row.kind != item.storage or not name_matches(item.name, row.name):
            continue
        if row.first_party:
            if item.party == "first":
                return row
        elif host_matches(item.domain, row.domain) or host_matches(item.domain, "*." + row.domain):
            return row
    return None


def service_for(policy: Policy | None, host: str):
    """The service whose `hosts` list `host`, or None."""
    for service in policy.services if policy else ():
        if any(host_matches(host, pattern) for pattern in service.hosts):
            return service
    return None


def findings(policy: Policy | None, items: list[Item], catalogue: Catalogue,
             errors: list[tuple[str, str, str]]) -> list[dict]:
    """Every finding, violations first; `errors` are (phase, page, message)."""
    required = {c.id for c in policy.categories if c.required} if policy else set()
    found = []
    for item in items:
        row, category = _declaration(policy, item)
        base = {"storage": item.storage, "name": item.name, "domain": item.domain, "party": item.party,
                "row": row.name if row else None, "category": category,
                "known": catalogue.known(item.storage, item.name, item.domain)}
        prefix = "request" if item.storage == "request" else "set"
        if category is None:
            found.append(_finding("undeclared", base, item.first_phase(), item))
        for phase, kind in (("before", f"{prefix}_before_consent"), ("reject", f"{prefix}_after_refusal")):
            if phase in item.pages and category not in required:
                found.append(_finding(kind, base, phase, item))
    found += _not_seen(policy, items, catalogue)
    found += [{"kind": "page_error", "severity": "error", "storage": None, "name": message, "domain": None,
               "party": None, "phase": phase, "pages": [page], "row": None, "category": None, "known": None}
              for phase, page, message in errors]
    return sorted(found, key=lambda f: (KINDS.index(f["kind"]), f["storage"] or "", f["name"], f["domain"] or ""))


def _declaration(policy: Policy | None, item: Item):
    if item.storage == "request":
        service = service_for(policy, item.name)
        return None, service.category if service else None
    row = storage_row(policy, item)
    return row, row.category if row else None


def _finding(kind: str, base: dict, phase: str, item: Item) -> dict:
    return {"kind": kind, "severity": SEVERITY.get(kind, "violation"), **base, "phase": phase,
            "pages": list(item.pages[phase])}


def _not_seen(policy: Policy | None, items: list[Item], catalogue: Catalogue) -> list[dict]:
    """Declared rows (not the automatic consent and language cookies) that nothing matched."""
    missing = []
    for row in policy.storage if policy else ():
        if not row.declared or any(_row_seen(policy, row, item) for item in items):
            continue
        storage = "request" if row.kind == "pixel" else row.kind
        missing.append({"kind": "declared_not_seen", "severity": "info", "storage": storage, "name": row.name,
                        "domain": row.domain or None, "party": "first" if row.first_party else "third",
                        "phase": None, "pages": [], "row": row.name, "category": row.category,
                        "known": catalogue.known(storage, row.name, row.domain)})
    return missing


def _row_seen(policy: Policy, row: StorageRow, item: Item) -> bool:
    if row.kind == "pixel":  # a pixel row is seen when a request went to its domain for that file
        return item.storage == "request" and (host_matches(item.name, row.domain)
                                              or host_matches(item.name, "*." + row.domain)) \
            and any(name_matches(path.rsplit("/", 1)[-1], row.name) for path in item.paths)
    return storage_row(policy, item) is row


def inventory(policy: Policy | None, items: list[Item]) -> list[dict]:
    """Everything seen, one entry per phase it was seen in."""
    rows = []
    for item in items:
        row, _ = _declaration(policy, item)
        for phase in PHASES:
            if phase in item.pages:
                rows.append({"phase": phase, "storage": item.storage, "name": item.name, "domain": item.domain,
                             "party": item.party, "expires": item.expires.get(phase),
                             "attributes": list(item.attributes), "row": row.name if row else None,
                             "pages": list(item.pages[phase])})
    return sorted(rows, key=lambda r: (PHASES.index(r["phase"]), r["storage"], r["name"], r["domain"]))
