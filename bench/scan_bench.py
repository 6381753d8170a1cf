"""Scanner benchmark (README, "Scanning your site"; budget in BENCHMARKS.md): a 10-page local
site with the Crumb gate, scanned by `crumb scan` in three phases and by
@slashgear/gdpr-cookie-scanner (`gdpr-scan`, npm) in the same run; time, peak memory of the
whole process tree (Chromium included) and what each found.

Run: `python bench/scan_bench.py [--gdpr-scan NODE_MODULES]` (after
`npm install @slashgear/gdpr-cookie-scanner` there, with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CrumbServer, HostSite, Origins, ThirdParty, start_site  # noqa: E402
from tests.server_process import free_port  # noqa: E402

PAGES = 10


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of `pid` and all its descendants, in KiB (from /proc): Chromium's
    processes share most of their pages, which a sum of RSS would count once per process."""
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        children.setdefault(int(parent), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


async def measure(argv: list[str], env: dict | None = None) -> tuple[float, int, int, str]:
    """Run `argv`; return seconds, peak KiB of its process tree, exit status and stdout."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.DEVNULL, cwd=ROOT,
                                                   env=env)
    peak = 0
    output = asyncio.ensure_future(process.communicate())
    while not output.done():
        peak = max(peak, tree_pss_kib(process.pid))
        await asyncio.sleep(0.1)
    stdout, _ = await output
    return time.perf_counter() - started, peak, process.returncode, stdout.decode(errors="replace")


def site_pages(host: HostSite, third: ThirdParty) -> str:
    """Ten linked pages, each with a sleeping analytics script and a pixel that is not asleep."""
    nav = "".join(f'<a href="/p{i}">Page {i}</a> ' for i in range(PAGES))
    for i in range(PAGES):
        host.page(f'<nav>{nav}</nav><img src="{third.pixel(f"px{i}")}" alt="">'
                  f'<script type="text/plain" data-category="analytics" data-service="statly" '
                  f'src="{third.script("statly")}"></script>', path=f"/p{i}")
    return host.origin + "/p0"


async def main(gdpr_scan: str | None) -> None:
    ports = {"crumb": free_port("127.0.0.1"), "host": free_port("127.0.0.1"), "third": free_port("127.0.0.2")}
    origins = Origins(f"http://127.0.0.1:{ports['crumb']}", f"http://localhost:{ports['host']}",
                      f"http://127.0.0.2:{ports['third']}")
    with tempfile.TemporaryDirectory() as tmp:
        crumb = CrumbServer(origins, ports["crumb"], Path(tmp))
        crumb.write_policy()
        await crumb.start()
        host, third = HostSite(origins.host, crumb), ThirdParty(origins.third)
        runners = [await start_site(host.app, "127.0.0.1", ports["host"]),
                   await start_site(third.app, "127.0.0.2", ports["third"])]
        start = site_pages(host, third)
        try:
            report = Path(tmp) / "crumb.json"
            seconds, peak, status, _ = await measure(
                [sys.executable, "-m", "server", "scan", start, "--site", "demo", "--policies",
                 str(crumb.policies_dir), "--pages", str(PAGES), "--json", str(report)])
            data = json.loads(report.read_text())
            kinds: dict[str, int] = {}
            for finding in data["findings"]:
                kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1
            print(f"crumb scan: {seconds:.1f} s, peak {peak / 1024:.0f} MiB, exit {status}, "
                  f"{len(data['pages'])} pages x 3 phases, gate found {data['gate_found']}, findings {kinds}")
            if gdpr_scan:
                await compare_gdpr_scan(gdpr_scan, start, seconds, peak, Path(tmp))
        finally:
            for runner in runners:
                await runner.cleanup()
            await crumb.stop()


async def compare_gdpr_scan(node_modules: str, start: str, seconds: float, peak: int, tmp: Path) -> None:
    """Run gdpr-scan on the same site and print it next to Crumb's numbers, as ratios.

    It has no option for the browser: Playwright's own headless-shell path is pointed at
    Debian's Chromium instead (PLAYWRIGHT_BROWSERS_PATH)."""
    modules = Path(node_modules)
    browsers = json.loads((modules / "playwright-core/browsers.json").read_text())["browsers"]
    revision = next(b["revision"] for b in browsers if b["name"] == "chromium-headless-shell")
    shell = tmp / f"browsers/chromium_headless_shell-{revision}/chrome-headless-shell-linux64"
    shell.mkdir(parents=True)
    (shell / "chrome-headless-shell").symlink_to("/usr/bin/chromium")
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp / "browsers")}
    other_seconds, other_peak, status, _ = await measure(
        [str(modules / ".bin/gdpr-scan"), "scan", start, "-o", str(tmp / "gdpr"), "-f", "json", "-l", "en-US"], env)
    report = json.loads(next((tmp / "gdpr").rglob("*.json")).read_text())
    print(f"gdpr-scan:  {other_seconds:.1f} s, peak {other_peak / 1024:.0f} MiB, exit {status}, 1 page; "
          f"banner detected {report['modal']['detected']} by {report['modal']['selector']!r}, "
          f"buttons {len(report['modal']['buttons'])}, cookies before/reject/accept "
          f"{len(report['cookiesBeforeInteraction'])}/{len(report['cookiesAfterReject'])}/"
          f"{len(report['cookiesAfterAccept'])}, requests before {len(report['networkBeforeInteraction'])}, "
          f"errors {report['errors']}")
    print(f"ratios crumb/gdpr-scan: time {seconds / other_seconds:.2f}, memory {peak / max(other_peak, 1):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gdpr-scan", metavar="NODE_MODULES",
                        help="a node_modules directory with @slashgear/gdpr-cookie-scanner installed")
    asyncio.run(main(parser.parse_args().gdpr_scan))
