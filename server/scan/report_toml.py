"""The TOML draft: `[[storage]]` and `[[services]]` entries for what the scan found undeclared,
filled from the catalogue where it knows the thing, or a whole first policy for a site without
the Crumb gate. What only the owner can write (purposes, the controller) is marked `TODO`."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

from ..policy import Policy
from .catalogue import Catalogue
from .domains import registrable_domain

NEW_CATEGORIES = {  # for a first policy: the usual ids, with English texts the owner will reword
    "necessary": ("Strictly necessary", "Needed for the website to work; always on."),
    "preferences": ("Preferences", "Remembers choices you make, such as chat or layout."),
    "analytics": ("Analytics", "Helps us understand how the website is used."),
    "marketing": ("Marketing", "Used by advertising partners to show and measure ads."),
}
TODO = "# TODO: check; say what it is for in your own words, and in every language of the policy"


def draft_toml(report: dict, policy: Policy | None, catalogue: Catalogue, site_url: str) -> str:
    """Return the draft for every `undeclared` finding (a whole policy when `policy` is None)."""
    undeclared = [f for f in report["findings"] if f["kind"] == "undeclared"]
    categories = [c.id for c in policy.categories] if policy else list(NEW_CATEGORIES)
    lang = policy.default_language if policy else "en"
    services: dict[str, dict] = {}
    rows: dict[tuple, dict] = {}
    for finding in undeclared:
        if finding["storage"] == "request":
            _add_service(services, finding["name"], catalogue, categories, policy)
    for finding in undeclared:
        if finding["storage"] != "request":
            _add_row(rows, services, finding, report, catalogue, categories, policy)
    lines = [] if policy else _policy_head(report, site_url, sorted(
        {s["category"] for s in services.values()} | {r["category"] for r in rows.values()} | {"necessary"},
        key=list(NEW_CATEGORIES).index))
    for service in services.values():
        lines += ["", "[[services]]", *(f"{k} = {_value(v)}" for k, v in service.items() if v != ""),
                  f'description = {{ {lang} = "TODO: what {service["name"]} does on this site" }}  {TODO}']
    for row in rows.values():
        guess = row.pop("_guess")
        lines += ["", "[[storage]]", *(f"{k} = {_value(v)}" for k, v in row.items() if v != ""),
                  f'purpose = {{ {lang} = "TODO: {guess}" }}  {TODO}']
    header = f"# Drafted by `crumb scan` on {report['started']}: {len(undeclared)} undeclared things."
    return header + "\n" + "\n".join(lines).lstrip("\n") + "\n"


def _policy_head(report: dict, site_url: str, used: list[str]) -> list[str]:
    parts = urlsplit(site_url)
    site_id = report["site"] or re.sub(r"[^a-z0-9-]+", "-", (parts.hostname or "site").lower()).strip("-")[:40]
    lines = [f"id = {_value(site_id)}", f"name = {_value(parts.hostname or site_id)}  # TODO: your site's name",
             "revision = 1", f"updated = {dt.date.today().isoformat()}", 'languages = ["en"]',
             f"origins = {_value([f'{parts.scheme}://{parts.netloc}'])}", "",
             "[controller]", 'name = "TODO: the company responsible"', 'email = "privacy@example.com"  # TODO']
    for category in used:
        title, description = NEW_CATEGORIES[category]
        lines += ["", "[[categories]]", f"id = {_value(category)}"] + (["required = true"] if category == "necessary"
                                                                       else [])
        lines += [f"title = {{ en = {_value(title)} }}", f"description = {{ en = {_value(description)} }}"]
    return lines


def _guess_category(category: str | None, categories: list[str]) -> str:
    if category in categories:
        return category
    optional = [c for c in categories if c != "necessary"]
    return "marketing" if "marketing" in categories else (optional or categories)[0]


def _add_service(services: dict, host: str, catalogue: Catalogue, categories: list[str], policy) -> None:
    vendor = catalogue.vendor_of_host(host)
    name = vendor.name if vendor else registrable_domain(host)
    service_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "service"
    taken = {s.id for s in policy.services} | {c for c in categories} if policy else set(categories)
    while service_id in taken:
        service_id = (service_id + "-2")[-40:]
    entry = services.setdefault(name, {"id": service_id, "name": name,
                                       "category": _guess_category(vendor and vendor.category, categories),
                                       "provider": name if vendor else "", "hosts": []})
    entry["hosts"].append(host)


def _add_row(rows: dict, services: dict, finding: dict, report: dict, catalogue: Catalogue,
             categories: list[str], policy) -> None:
    entry = catalogue.entry(finding["storage"], finding["name"], finding["domain"] or "")
    domain = "" if finding["party"] == "first" else registrable_domain(finding["domain"])
    key = (finding["name"], finding["storage"], domain)
    if key in rows:
        return
    service = services.get(entry.vendor) if entry else None
    category = service["category"] if service else _guess_category(entry and entry.category, categories)
    rows[key] = {"name": finding["name"], "kind": finding["storage"], "domain": domain, "category": category,
                 "service": service["id"] if service else "",
                 "duration": entry.duration if entry else _duration(finding, report),
                 "_guess": f"set by {entry.vendor}" if entry else "what this is for"}


def _duration(finding: dict, report: dict) -> str:
    expires = next((r["expires"] for r in report["inventory"] if r["name"] == finding["name"]
                    and r["storage"] == finding["storage"] and r["domain"] == finding["domain"]), None)
    if finding["storage"] == "session_storage":
        return "session"
    if finding["storage"] != "cookie":
        return "persistent"
    if expires is None:
        return "session"
    started = dt.datetime.fromisoformat(report["started"].replace("Z", "+00:00"))
    seconds = (dt.datetime.fromisoformat(expires.replace("Z", "+00:00")) - started).total_seconds()
    return f"{max(1, round(seconds / 86400))}d" if seconds >= 86400 else f"{max(1, round(seconds / 60))}min"


def _value(value) -> str:
    return json.dumps(value, ensure_ascii=False)
