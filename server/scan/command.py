"""`crumb scan URL... --site ID`: the command-line glue of the scanner."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..policy import Policy, PolicyError
from ..settings import DEMO_POLICIES
from ..sites import Sites, UnknownSite
from .catalogue import Catalogue, CatalogueError
from .compare import findings, gather, inventory
from .report_json import EXIT_CANNOT_SCAN, build_report, exit_status, write_json

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def add_scan_parser(commands) -> None:
    """Register `scan` with the command line."""
    scan = commands.add_parser("scan", help="scan a live website and compare it with its policy")
    scan.add_argument("urls", nargs="+", metavar="URL", help="start pages (http or https)")
    scan.add_argument("--site", help="the policy's id (may be left out for a site without the Crumb gate)")
    scan.add_argument("--policies", type=Path, default=DEMO_POLICIES, help="directory of policy files")
    scan.add_argument("--pages", type=int, default=10, metavar="N", help="pages to visit per phase (default 10)")
    scan.add_argument("--chromium", default=DEFAULT_CHROMIUM, metavar="PATH", help="the Chromium to drive")
    scan.add_argument("--json", type=Path, metavar="FILE", help="write the JSON report here")
    scan.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report here")
    scan.add_argument("--toml", type=Path, metavar="FILE", help="write a policy draft for what is undeclared")
    scan.add_argument("--cookie-db", type=Path, metavar="FILE", help="an Open Cookie Database CSV to add")
    scan.set_defaults(run=run_scan)


class BadInput(Exception):
    """A problem with the command's input, said in one line."""


def run_scan(args: argparse.Namespace) -> int:
    """Scan, report, and return 0 (clean), 1 (violations) or 2 (could not scan)."""
    try:
        policy, catalogue = _check_input(args)
        from .crawl import ScanError, scan
    except BadInput as error:
        print(f"scan: {error}", file=sys.stderr)
        return EXIT_CANNOT_SCAN
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        run = asyncio.run(scan(args.urls, max_pages=args.pages, chromium=args.chromium,
                               progress=lambda line: print(line, file=sys.stderr, flush=True)))
    except ScanError as error:
        print(f"scan: {error}", file=sys.stderr)
        return EXIT_CANNOT_SCAN
    if run.gate_found and policy is None:
        print("scan: the site embeds the Crumb gate: name its policy with --site ID", file=sys.stderr)
        return EXIT_CANNOT_SCAN
    items = gather([s for log in run.logs for s in log.sightings])
    errors = [(log.phase, page, message) for log in run.logs for page, message in log.errors]
    report = build_report(site=policy.id if policy else args.site, revision=policy.revision if policy else None,
                          started=started, pages=run.pages, gate_found=run.gate_found,
                          findings=findings(policy, items, catalogue, errors), inventory=inventory(policy, items))
    _write_outputs(args, report, policy, catalogue)
    print(findings_table(report))
    return exit_status(report)


def _check_input(args: argparse.Namespace) -> tuple[Policy | None, Catalogue]:
    for url in args.urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadInput(f"URL: expected an http:// or https:// address (got {url!r})")
    if args.pages < 1:
        raise BadInput(f"--pages: expected a number of pages of at least 1 (got {args.pages})")
    if not (os.path.isfile(args.chromium) and os.access(args.chromium, os.X_OK)):
        raise BadInput(f"--chromium: no Chromium program at {args.chromium}")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError as error:
        raise BadInput("needs Playwright for Python: pip install playwright "
                       "(or install Crumb with its scan extra, crumb[scan])") from error
    catalogue = Catalogue.bundled()
    try:
        if args.cookie_db:
            catalogue.add_open_cookie_database(args.cookie_db)
    except CatalogueError as error:
        raise BadInput(str(error)) from error
    if not args.site:
        return None, catalogue
    try:
        sites = Sites.from_directory(args.policies)
        return sites.policy(args.site), catalogue
    except PolicyError as error:
        raise BadInput(f"--policies: {args.policies} has problems: {error.problems[0]}") from error
    except UnknownSite as error:
        raise BadInput(f"--site: no policy with id {args.site!r} in {args.policies} "
                       f"(sites: {', '.join(sites.ids())})") from error


def _write_outputs(args: argparse.Namespace, report: dict, policy: Policy | None, catalogue: Catalogue) -> None:
    if args.json:
        write_json(report, args.json)
    if args.html:
        from .report_html import write_html
        write_html(report, args.html)
    if args.toml:
        from .report_toml import draft_toml
        args.toml.write_text(draft_toml(report, policy, catalogue, args.urls[0]), encoding="utf-8")


def findings_table(report: dict) -> str:
    """The findings as an aligned text table, with a one-line summary."""
    rows = [(f["severity"], f["kind"], f["storage"] or "-", f["name"], f["domain"] or "-", f["phase"] or "-",
             (f["known"] or {}).get("vendor", "-")) for f in report["findings"]]
    header = ("severity", "kind", "storage", "name", "domain", "phase", "known vendor")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    violations = sum(f["severity"] == "violation" for f in report["findings"])
    summary = (f"{len(report['pages'])} pages, gate {'found' if report['gate_found'] else 'not found'}: "
               f"{violations} violations, {len(report['findings']) - violations} other findings")
    return "\n".join(lines + [summary]) if rows else summary
