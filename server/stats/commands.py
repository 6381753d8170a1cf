"""`python -m server stats` and `python -m server admin-token`: statistics from the command line."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from typing import TextIO

from ..receipts.commands import known_site, run_with_store, unknown_site
from ..receipts.store import ReceiptStore
from ..settings import DEFAULT_DB
from .counting import METHODS
from .report import BadRange, Period, parse_range
from .tokens import new_token, token_line

FORMATS = ("table", "csv", "json")


def add_stats_parsers(commands: argparse._SubParsersAction) -> None:
    """Add the `stats` and `admin-token` commands to the main parser."""
    stats = commands.add_parser("stats", help="print a site's counts per day (banners shown, decisions, accepted)")
    stats.add_argument("--site", required=True, help="the policy's id")
    stats.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD (UTC; default: 29 days before --until)")
    stats.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD (UTC; default: today)")
    stats.add_argument("--format", choices=FORMATS, default="table")
    stats.add_argument("--db", default=DEFAULT_DB, help="sqlite:///PATH or postgresql://...")
    stats.set_defaults(run=run_stats)
    token = commands.add_parser("admin-token", help="print a new owner token and the line for the token file")
    token.set_defaults(run=run_admin_token)


def run_admin_token(args: argparse.Namespace) -> int:
    """Print a new token, then the SHA-256 line to append to the `--admin-tokens` file."""
    token = new_token()
    print(f"token (give it to the site owner; it is not stored): {token}")
    print(f"line for the --admin-tokens file: {token_line(token)}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print the site's counts in the chosen format."""
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        first, last = parse_range(args.since, args.until, today, names=("--since", "--until"))
    except BadRange as error:
        print(error.detail, file=sys.stderr)
        return 2

    async def stats(store: ReceiptStore) -> int:
        day_rows, accepted_rows = await store.stats(args.site, first, last)
        # As for `receipts export`: a site the store never heard of is a typo or the wrong --db,
        # not a period of zeros.
        if not day_rows and not await known_site(store, args.site):
            return unknown_site(args.db, args.site)
        write_period(Period.of(args.site, first, last, day_rows, accepted_rows), args.format, sys.stdout)
        return 0
    return run_with_store(args.db, stats)


def write_period(period: Period, form: str, out: TextIO) -> None:
    """Write `period` to `out` as an aligned table, CSV or the API's JSON."""
    if form == "json":
        out.write(json.dumps(period.as_json(), indent=1) + "\n")
        return
    names = list(period.kinds)
    header = ["date", "shown", *METHODS, *(f"accepted:{name}" for name in names)]
    totals = period.totals()
    rows = [_row(day, names) for day in period.days] + [_row({"date": "total", **totals}, names)]
    if form == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.write("  ".join(str(cell).rjust(width) if i else str(cell).ljust(width)
                            for i, (cell, width) in enumerate(zip(row, widths))).rstrip() + "\n")


def _row(day: dict, names: list[str]) -> list:
    return [day["date"], day["shown"], *(day["decisions"][m] for m in METHODS),
            *(day["accepted"][name] for name in names)]
