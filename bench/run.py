"""Run every benchmark in one go: `python bench/run.py` (see bench/BENCHMARKS.md).

Installs the compared tools from npm into bench/node_modules when missing, starts every
server itself on loopback, measures the browser figures and the server figures, prints one
table and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
import urllib.request
from pathlib import Path

import browser_bench
from budgets import budget_table, check_budgets
from playwright.async_api import async_playwright
from processes import (
    NORMAL_NICE,
    free_port,
    harness_priority,
    server,
    write_bench_policy,
)
from report import browser_table, server_table, summarize_browser, timeline_table
from server_bench import run_server_bench
from tools import TOOLS, Origins, tool_named

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
DOC = BENCH / "BENCHMARKS.md"
NPM_PACKAGES = ("vanilla-cookieconsent", "klaro")
DOC_START, DOC_END = "<!-- latest-run:start -->", "<!-- latest-run:end -->"


def parse_args() -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description="Crumb's benchmarks against the alternatives")
    parser.add_argument("--runs", type=int, default=10, help="measured runs per tool (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--tools", default=",".join(tool.name for tool in TOOLS),
                        help="comma-separated subset of: " + ", ".join(tool.name for tool in TOOLS))
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    parser.add_argument("--no-server", action="store_true", help="skip the server figures")
    parser.add_argument("--seconds", type=int, default=3, help="seconds per wrk run (default 3)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--server-rounds", type=int, default=5, help="wrk runs per endpoint and side")
    parser.add_argument("--max-requests", type=int, default=200_000, help="wrk answers per run, at most")
    parser.add_argument("--verbose", action="store_true", help="print the traceback of a failed run")
    parser.add_argument("--update-doc", action="store_true", help="put this run's tables into BENCHMARKS.md")
    return parser.parse_args()


def ensure_npm_packages() -> None:
    """Install the compared tools from npm (bench/package.json) unless they are there."""
    if all((BENCH / "node_modules" / name / "package.json").exists() for name in NPM_PACKAGES):
        return
    print("installing", ", ".join(NPM_PACKAGES), "from npm into bench/node_modules ...", flush=True)
    subprocess.run(["npm", "install", "--prefix", str(BENCH), "--no-package-lock", "--no-audit",
                    "--no-fund", "--ignore-scripts"], check=True)


def snapshot_widget_bundle(scratch: Path) -> Path:
    """Build static/dist/ if it is missing or stale (as `python -m server` does), and copy it.

    Crumb's servers serve the copy, so a rebuild in the working tree during the run (new
    hashed names, old ones removed) cannot break the run half-way.
    """
    sys.path.insert(0, str(ROOT))
    from package_builder import ensure_built

    if ensure_built(ROOT):
        print("built the widget bundle (package_builder.py)", flush=True)
    static = scratch / "static"
    shutil.copytree(ROOT / "static" / "dist", static / "dist")
    return static


def bench_gate_sizes() -> tuple[bool, int]:
    """Whether the bench policy (the demo's) lists service hosts, and the brotli size of the gate
    without auto-blocking for it with its hosts left out (as bench/gate_size.py builds it)."""
    sys.path.insert(0, str(ROOT))
    import dataclasses

    from gate_size import gate_bytes, templates

    from crumb.gate_config import declares_hosts, gate_config
    from crumb.policy import load_policy
    from crumb.settings import DEMO_POLICIES

    policy = load_policy(DEMO_POLICIES / "demo.toml").policy
    plain = dataclasses.replace(policy, services=tuple(dataclasses.replace(s, hosts=()) for s in policy.services))
    return declares_hosts(policy), gate_bytes(templates()["gate.js"][0], gate_config(plain, "http://127.0.0.1:8080"))


def machine() -> dict:
    """Return what the figures depend on: CPUs, memory, load, versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "load_average_at_start": os.getloadavg()}


def crumb_is_served(origins: Origins) -> str | None:
    """Return None when the Crumb server serves the bench gate, else why not."""
    try:
        with urllib.request.urlopen(f"{origins.crumb}/sites/bench/gate.js", timeout=10) as response:
            return None if response.status == 200 else f"gate.js answered {response.status}"
    except OSError as error:
        return f"gate.js not served ({error})"


async def run_browser(tools: list[str], origins: Origins, options: argparse.Namespace) -> tuple[dict, dict, str]:
    """Measure the tools round by round (the order rotates each round).

    Return the runs, the failed runs' messages and Chromium's version.
    """
    runs: dict[str, list[dict]] = {name: [] for name in tools}
    failures: dict[str, list[str]] = {name: [] for name in tools}
    async with async_playwright() as playwright:
        browser = await browser_bench.launch(playwright, NORMAL_NICE)
        try:
            for round_number in range(options.warmup + options.runs):
                shift = round_number % len(tools)
                for name in tools[shift:] + tools[:shift]:
                    try:
                        result = await browser_bench.measure_once(browser, tool_named(name), origins)
                    except browser_bench.RunFailed as error:
                        print(f"run failed: {error}", flush=True)
                        if options.verbose:
                            traceback.print_exception(error.__cause__)
                            for report in getattr(error, "reports", []):
                                if report["kind"] not in ("longtask", "resource"):
                                    print("  probe:", report)
                        failures[name].append(str(error))
                        continue
                    if round_number >= options.warmup:
                        runs[name].append(result)
                print(f"browser round {round_number + 1}/{options.warmup + options.runs}"
                      + (" (warm-up)" if round_number < options.warmup else ""), flush=True)
            return runs, failures, browser.version
        finally:
            await browser.close()


def browser_figures(options: argparse.Namespace, scratch: Path, static: Path) -> dict:
    """Start the website, third-party and Crumb servers; measure every tool; stop them."""
    website_port, third_party_port, crumb_port = free_port(), free_port("127.0.0.2"), free_port()
    origins = Origins(f"http://localhost:{website_port}", f"http://127.0.0.2:{third_party_port}",
                      f"http://127.0.0.1:{crumb_port}")
    policies = scratch / "policies"
    policies.mkdir(exist_ok=True)
    write_bench_policy(policies, origins.website)
    tools = options.tools.split(",")
    notes = []
    with server("host_server.py", "--port", str(website_port), "--third-party-port", str(third_party_port),
                "--crumb-origin", origins.crumb), \
         server("app_server.py", "crumb", "--port", str(crumb_port), "--policies", str(policies),
                "--db", f"sqlite:///{scratch / 'browser-receipts.sqlite3'}", "--static", str(static)):
        if "crumb" in tools and (why := crumb_is_served(origins)):
            tools.remove("crumb")
            notes.append(f"Crumb left out: {why}")
        with harness_priority() as boosted:
            runs, failures, chromium = asyncio.run(run_browser(tools, origins, options))
        if not boosted:
            notes.append("the harness could not raise its priority (not root): on a loaded machine it may click late")
    if "crumb" in tools:
        notes.append(f"Crumb stored {count_receipts(scratch / 'browser-receipts.sqlite3')} receipts for "
                     f"{options.warmup + options.runs - len(failures['crumb'])} accepted first visits")
    notes += [f"{name}: {len(failed)} failed run(s), first: {failed[0]}" for name, failed in failures.items() if failed]
    return {"origins": origins.__dict__, "chromium": chromium, "notes": notes, "runs": runs,
            "failures": failures}


def count_receipts(database: Path) -> int | str:
    """Return how many receipts the browser runs left in Crumb's SQLite store."""
    try:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            return connection.execute("SELECT count(*) FROM receipts").fetchone()[0]
    except sqlite3.Error as error:
        return f"an unknown number of ({error})"


def update_doc(text: str) -> None:
    """Replace the latest-run section of BENCHMARKS.md with `text`."""
    doc = DOC.read_text(encoding="utf-8")
    start, end = doc.index(DOC_START) + len(DOC_START), doc.index(DOC_END)
    DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")


def main() -> int:
    """Run everything, print the tables, write the results."""
    options = parse_args()
    ensure_npm_packages()
    started = dt.datetime.now(dt.timezone.utc)
    results: dict = {"started": started.isoformat(timespec="seconds"), "machine": machine(),
                     "options": vars(options)}
    with tempfile.TemporaryDirectory(prefix="crumb-bench-") as scratch:
        scratch_path = Path(scratch)
        static = snapshot_widget_bundle(scratch_path)
        browser = {"runs": {}, "notes": ["not run"]} if options.no_browser else \
            browser_figures(options, scratch_path, static)
        policies = scratch_path / "server-policies"
        policies.mkdir()
        write_bench_policy(policies, "http://localhost:8000")
        server_results = {"skipped": "--no-server"} if options.no_server else \
            run_server_bench(policies, static, "http://localhost:8000", options)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["machine"]["chromium"] = browser.get("chromium")
    summary = summarize_browser(browser["runs"])
    autoblock, plain_gate = bench_gate_sizes()
    verdicts = check_budgets(browser["runs"].get("crumb", []), summary, server_results, autoblock, plain_gate)
    results.update(browser=browser, browser_summary=summary, server=server_results,
                   budgets=[verdict.as_dict() for verdict in verdicts])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    load = results["machine"]
    text = "\n\n".join([
        f"Run of {results['started']} on {load['nproc']} CPUs ({load['cpu']}), {load['memory_gib']} GiB, "
        f"{load['chromium'] or 'no browser run'}; load average {load['load_average_at_start'][0]:.2f} at start, "
        f"{load['load_average_at_end'][0]:.2f} at end. Browser: median (min-max) of "
        f"{options.runs} runs per tool after {options.warmup} warm-up round(s), xratio to vanilla-cookieconsent "
        "in the same run." + "".join(f" {note}." for note in browser["notes"]),
        browser_table(summary) if summary else "Browser figures not measured.",
        *[f"Where {name}'s first visit spends its time (the run with the median accept time):\n\n"
          + timeline_table(runs) for name, runs in browser["runs"].items() if name in ("crumb", "vanilla") and runs],
        server_table(server_results),
        budget_table(verdicts),
    ])
    print("\n" + text)
    print(f"\nwritten: {RESULTS / 'latest.json'}")
    if options.update_doc:
        update_doc(text)
        print(f"updated: {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
