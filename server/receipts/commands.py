"""`python -m server receipts export|purge|policy`: the receipt log from the command line."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import sys
from pathlib import Path

from ..settings import DEFAULT_DB
from .export import FORMATS, ReceiptWriter
from .receipt import format_time, parse_time
from .store import ReceiptStore, StoreUnavailable, store_for


def add_receipts_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `receipts` command and its subcommands to the main parser."""
    receipts = commands.add_parser("receipts", help="export, purge and inspect consent receipts")
    actions = receipts.add_subparsers(dest="receipts_command", required=True)
    export = actions.add_parser("export", help="stream a site's receipts to stdout, oldest first")
    export.add_argument("--site", required=True, help="the policy's id")
    export.add_argument("--since", type=_moment, help="only receipts received at or after this "
                        "ISO-8601 date or date-time (UTC unless it says otherwise)")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.set_defaults(run=lambda args: run_with_store(args.db, _export(args)))
    purge = actions.add_parser("purge", help="delete receipts older than a number of days")
    purge.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    purge.set_defaults(run=lambda args: run_with_store(args.db, _purge(args)))
    policy = actions.add_parser("policy", help="print the kept canonical policy JSON of a revision, or list "
                                "its content hashes when it was served with several")
    policy.add_argument("--site", required=True, help="the policy's id")
    policy.add_argument("--revision", type=int, required=True)
    policy.add_argument("--hash", dest="policy_hash", metavar="H", help="print the content with this hash")
    policy.set_defaults(run=lambda args: run_with_store(args.db, _policy(args)))
    for action in (export, purge, policy):
        action.add_argument("--db", default=DEFAULT_DB, help="sqlite:///PATH or postgresql://...")


def run_with_store(db_url: str, command) -> int:
    """Open the store `db_url` names, run `await command(store)` and return its exit status (1 or 2
    with one line on stderr when the store cannot be used)."""
    try:
        store = store_for(db_url)
    except ValueError as error:
        print(f"--db: {error}", file=sys.stderr)
        return 2
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).exists():
        print(f"--db: no receipt database at {db_url.removeprefix('sqlite:///')}; name the one `serve --db` "
              "writes to (sqlite:///PATH or postgresql://...)", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_with_store(store, command))
    except StoreUnavailable as error:
        print(f"the receipt store is unavailable: {error}", file=sys.stderr)
        return 1


async def _with_store(store: ReceiptStore, command) -> int:
    await store.open()
    try:
        return await command(store)
    finally:
        await store.close()


def _export(args: argparse.Namespace):
    async def export(store: ReceiptStore) -> int:
        receipts = aiter(store.iter_export(args.site, args.since))
        first = await anext(receipts, None)
        # A site this store never heard of is most likely a typo or the wrong --db: a bare CSV
        # header would look like "no receipts yet". A known site with nothing to export is fine.
        if first is None and not await known_site(store, args.site):
            return unknown_site(args.db, args.site)
        writer = ReceiptWriter(sys.stdout, args.format)
        if first is not None:
            writer.write(first)
        async for receipt in receipts:
            writer.write(receipt)
        sys.stdout.flush()
        return 0
    return export


def unknown_site(db_url: str, site: str) -> int:
    """Say that the store has never heard of `site` (a typo or the wrong --db); return exit status 2."""
    print(f"--site: the receipt store {where(db_url)} has no receipts and no kept policy of site "
          f"{site!r}; check the site id and --db", file=sys.stderr)
    return 2


async def known_site(store: ReceiptStore, site: str) -> bool:
    """Whether the store holds any receipt (of any date) or a kept policy of `site`."""
    if await store.served_policies(site):
        return True
    return await anext(aiter(store.iter_export(site)), None) is not None


def where(db_url: str) -> str:
    """The database a URL names, without a password it may carry."""
    if db_url.startswith("sqlite:///"):
        return db_url.removeprefix("sqlite:///")
    return re.sub(r"//[^/@]*@", "//", db_url)


def _purge(args: argparse.Namespace):
    async def purge(store: ReceiptStore) -> int:
        cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.older_than)
        removed = await store.purge(cutoff)
        print(f"removed {removed} receipt{'s' if removed != 1 else ''} received before {format_time(cutoff)}")
        return 0
    return purge


def _policy(args: argparse.Namespace):
    async def policy(store: ReceiptStore) -> int:
        versions = await store.policy_versions(args.site, args.revision)
        if not versions:
            print(f"no policy of site {args.site!r} revision {args.revision} is kept "
                  "(it is kept when its first receipt arrives)", file=sys.stderr)
            return 1
        if args.policy_hash:
            return _print_version(args, versions)
        if len(versions) > 1:
            print(f"revision {args.revision} was served with {len(versions)} different contents (oldest "
                  "first); print one with --hash H", file=sys.stderr)
            print("\n".join(policy_hash for policy_hash, _ in versions))
            return 0
        print(versions[0][1])
        return 0
    return policy


def _print_version(args: argparse.Namespace, versions: list[tuple[str, str]]) -> int:
    kept = dict(versions)
    if args.policy_hash not in kept:
        print(f"--hash: revision {args.revision} of site {args.site!r} was not served with content "
              f"{args.policy_hash!r} (kept: {', '.join(kept)})", file=sys.stderr)
        return 1
    print(kept[args.policy_hash])
    return 0


def _moment(text: str) -> dt.datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an ISO-8601 date or date-time (got {text!r})") from None


def _days(text: str) -> int:
    # 0 would delete every receipt of every site at once: proof of consent is kept, not wiped.
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, at least 1 (got {text!r})")
    return int(text)
