"""The command line: `crumb [serve|check|...]` (also `python -m crumb`, and `python -m server` in a checkout)."""

from __future__ import annotations

import argparse
import errno
import functools
import logging
import os
import re
import signal
import sys
from pathlib import Path

from aiohttp import web

from .app import create_app
from .bundle import ensure_bundle
from .policy import PolicyError, load_policies, load_policy
from .receipts import StoreUnavailable
from .receipts.commands import add_receipts_parser, run_with_store
from .receipts.drift import drift_warnings
from .reload import reload_on_sighup
from .scan.command import add_scan_parser
from .settings import DEFAULT_DB, DEMO_POLICIES, Settings
from .sites import Sites, UnknownSite
from .stats.commands import add_stats_parsers
from .views.pages import export_page


def add_serve_parser(commands) -> None:
    """Add `serve` and its options."""
    serve = commands.add_parser("serve", help="serve policies, the gate, the widget and receipts")
    serve.add_argument("--policies", type=Path, default=DEMO_POLICIES, help="directory of policy files")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--db", default=DEFAULT_DB, help="sqlite:///PATH or postgresql://...")
    serve.add_argument("--no-demo", action="store_true", help="do not serve the demo website at /demo/")
    serve.add_argument("--pid-file", type=Path, help="write the process id here, for `reload`")
    serve.add_argument("--receipt-rate", type=int, default=Settings.receipt_rate_per_minute, metavar="N",
                       help="receipts one client may post per minute (0: no limit)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the origin browsers reach this server at, e.g. https://consent.example "
                            "(default: http://HOST:PORT)")
    serve.add_argument("--admin-tokens", type=Path, metavar="FILE",
                       help="owner tokens for statistics and the dashboard, one SHA-256 hex per line")
    serve.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                       help="a reverse proxy's address; its X-Forwarded-For tells clients apart for the "
                            "receipt rate limit (repeat for several)")
    serve.set_defaults(run=run_serve)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="crumb", description="Crumb cookie-consent server")
    commands = parser.add_subparsers(dest="command")
    add_serve_parser(commands)
    check = commands.add_parser("check", help="validate policy files")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--db", metavar="URL", help="also warn when a revision was already served with other "
                       "content (sqlite:///PATH or postgresql://...)")
    check.set_defaults(run=lambda args: run_check(args.files, args.db))
    reload = commands.add_parser("reload", help="re-read the policies of a running server (SIGHUP)")
    reload.add_argument("--pid-file", type=Path, required=True, help="the file `serve --pid-file` wrote")
    reload.add_argument("--policies", type=Path, help="validate this directory first; signal only if valid")
    reload.set_defaults(run=run_reload)
    export = commands.add_parser("export-page", help="write a site's cookie-policy page as one HTML file")
    export.add_argument("--site", required=True, help="the policy's id")
    export.add_argument("--lang", required=True, help="one of the policy's languages")
    export.add_argument("--policies", type=Path, default=DEMO_POLICIES, help="directory of policy files")
    export.add_argument("--crumb-url", default="", help="Crumb server origin (https://consent.example): "
                        "loads its gate and adds the settings button")
    export.add_argument("--lang-url", default="cookie-policy.{lang}.html",
                        help="where the language switcher links to; {lang} is the language code")
    export.set_defaults(run=run_export_page)
    add_receipts_parser(commands)
    add_stats_parsers(commands)
    add_scan_parser(commands)
    return parser


def run_check(files: list[Path], db_url: str | None = None) -> int:
    """Validate each file; print problems and warnings (revision drift too, with `db_url`);
    return the exit status."""
    status = 0
    valid = []
    for path in files:
        try:
            loaded = load_policy(path)
        except PolicyError as error:
            status = 1
            for problem in error.problems:
                print(problem, file=sys.stderr)
            continue
        for warning in loaded.warnings:
            print("warning: " + warning, file=sys.stderr)
        print(f"{path}: ok (site {loaded.policy.id!r}, revision {loaded.policy.revision})")
        valid.append(loaded.policy)
    if db_url and valid:
        status = max(status, run_with_store(db_url, functools.partial(_print_drift, valid)))
    return status


async def _print_drift(policies: list, store) -> int:
    for warning in await drift_warnings(store, policies):
        print("warning: " + warning, file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Start the server; refuse to start on bad settings or an invalid policy."""
    settings = Settings(policies_dir=args.policies, db_url=args.db, demo=not args.no_demo,
                        receipt_rate_per_minute=args.receipt_rate,
                        trusted_proxies=tuple(args.trusted_proxy),
                        public_url=args.public_url or f"http://{_url_host(args.host)}:{args.port}",
                        admin_tokens_file=args.admin_tokens)
    problems = settings.problems()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    # The app reads the built bundle's manifest once; in a checkout it is built first if stale.
    if not ensure_bundle(settings.static_dir):
        return 1
    try:
        app = create_app(settings)
    except PolicyError as error:
        print("Crumb will not start: the policies have problems:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    reload_on_sighup(app)
    if args.pid_file:
        args.pid_file.write_text(f"{os.getpid()}\n")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # No access log: it would write every visitor's IP address to disk, which Crumb never stores.
    try:
        web.run_app(app, host=args.host, port=args.port, access_log=None)
    except StoreUnavailable as error:
        print(f"Crumb will not start: the receipt store is unavailable: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno not in _BIND_ERRORS:
            raise
        print(f"Crumb will not start: cannot listen on {_url_host(args.host)}:{args.port} ({_bind_reason(error)}); "
              "stop what uses it or choose another --port", file=sys.stderr)
        return 1
    return 0


# Binding the listening socket: a port in use, a privileged port, an address this machine lacks.
_BIND_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


def _bind_reason(error: OSError) -> str:
    """What went wrong binding, in words: asyncio's message repeats the address at length."""
    return os.strerror(error.errno).lower()


def run_export_page(args: argparse.Namespace) -> int:
    """Write one language's cookie-policy page to stdout as a standalone HTML file."""
    if args.crumb_url and not re.fullmatch(r"https?://[^\s/?#]+/?", args.crumb_url):
        print(f"--crumb-url: expected an origin such as https://consent.example (got {args.crumb_url!r})",
              file=sys.stderr)
        return 2
    try:
        sites = Sites.from_directory(args.policies)
        policy = sites.policy(args.site)
    except PolicyError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return 1
    except UnknownSite:
        print(f"no policy with id {args.site!r} in {args.policies} (sites: {', '.join(sites.ids())})",
              file=sys.stderr)
        return 1
    if args.lang not in policy.languages:
        print(f"site {args.site!r} has no language {args.lang!r} (languages: {', '.join(policy.languages)})",
              file=sys.stderr)
        return 1
    page = export_page(sites.document(args.site, args.lang).data, crumb_url=args.crumb_url,
                       lang_url=args.lang_url)
    sys.stdout.buffer.write(page.encode("utf-8"))
    sys.stdout.flush()
    return 0


def run_reload(args: argparse.Namespace) -> int:
    """Ask a running server to re-read its policies, after checking them here when asked to."""
    if args.policies:
        try:
            load_policies(args.policies)
        except PolicyError as error:
            print("not reloaded: the policies have problems:", file=sys.stderr)
            print("\n".join(error.problems), file=sys.stderr)
            return 1
    try:
        os.kill(int(args.pid_file.read_text().strip()), signal.SIGHUP)
    except (OSError, ValueError) as error:
        print(f"cannot signal the server named in {args.pid_file}: {error}", file=sys.stderr)
        return 1
    print("reload requested; the server logs whether the new policies were accepted")
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def main(argv: list[str] | None = None) -> int:
    """Run the command line; no arguments serves the bundled demo."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["serve", *argv]  # `python -m server --port 9000` means serve
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`crumb receipts export ... | head`): stop quietly, as Unix tools do;
        # stdout goes to /dev/null so that the interpreter's final flush cannot raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
