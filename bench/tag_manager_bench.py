"""Requests to vendor hosts before consent on a page whose tags a tag manager injects.

The same page three times: with Crumb (its policy declares the vendor's hosts, so the gate has
auto-blocking; README, "Auto-blocking"), with vanilla-cookieconsent 3 (which blocks only tags
marked up for it, never what page code injects), and with no consent tool. The page's own
script plays Google Tag Manager: it injects the vendor's loader (createElement, async,
insertBefore the first script), a pixel, a `fetch` and a `sendBeacon`; the loader, once it
runs, injects a second script and an iframe. Each page is loaded in a fresh profile and left
alone (no click) for two seconds after `load`; every request the browser makes to the vendor's
origin is counted, and every one that reaches the vendor's server.

`.venv/bin/python bench/tag_manager_bench.py [--runs N]` prints a Markdown table (about 20 s;
installs vanilla-cookieconsent from npm into bench/node_modules when missing, as run.py does).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import tomllib
from pathlib import Path

from aiohttp import web
from playwright.async_api import async_playwright

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from browser_bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (after the path is set)
from host_server import TOOL_FILES  # noqa: E402
from run import ensure_npm_packages  # noqa: E402

from crumb.app import create_app  # noqa: E402
from crumb.settings import DEMO_POLICIES, Settings  # noqa: E402
from tests.browser.conftest import start_site, toml_text  # noqa: E402  (the browser tests' harness)
from tests.server_process import free_port  # noqa: E402

SETTLE_MS = 2_000


def tag_manager(vendor: str) -> str:
    """The page's own script: what a tag manager does with the vendor's tags."""
    return f"""<script>
  (function (w, d) {{
    var j = d.createElement('script'), f = d.getElementsByTagName('script')[0];
    j.async = true; j.src = '{vendor}/s/loader.js'; f.parentNode.insertBefore(j, f);
    new Image().src = '{vendor}/p/pixel.gif';
    fetch('{vendor}/p/fetched.gif', {{mode: 'no-cors'}}).catch(function () {{}});
    navigator.sendBeacon('{vendor}/p/beacon.gif', 'x');
  }})(window, document);
</script>"""


LOADER = """var s = document.createElement('script'); s.src = '{vendor}/s/second.js'; document.head.append(s);
var f = document.createElement('iframe'); f.src = '{vendor}/f/widget.html'; document.body.append(f);"""


def pages(crumb: str, vendor: str) -> dict[str, str]:
    """The three pages, by tool."""
    vanilla = ('<link rel="stylesheet" href="/tools/vanilla/cookieconsent.css">'
               '<script src="/tools/vanilla/cookieconsent.umd.js" defer></script>'
               '<script src="/tools/vanilla/config.js" defer></script>')
    heads = {"Crumb": f'<script src="{crumb}/sites/bench/gate.js" crossorigin="anonymous"></script>',
             "vanilla-cookieconsent 3": vanilla, "no consent tool": ""}
    return {tool: (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invoices</title>{head}'
                   f'{tag_manager(vendor)}</head><body><main><h1>Invoices</h1></main></body></html>')
            for tool, head in heads.items()}


def vendor_app(origin: str, reached: list[str]) -> web.Application:
    """The vendor: its loader, second script, pixels and frame; records what reaches it."""
    async def answer(request: web.Request) -> web.Response:
        reached.append(request.path)
        if request.path == "/s/loader.js":
            return web.Response(text=LOADER.replace("{vendor}", origin), content_type="text/javascript")
        kind = "text/javascript" if request.path.endswith(".js") else "text/html"
        return web.Response(text="", content_type=kind)
    app = web.Application()
    app.router.add_route("*", "/{path:.*}", answer)
    return app


def host_app(html: dict[str, str]) -> web.Application:
    """The website: one page per tool, and the compared tool's files."""
    slugs = {tool: f"/{index}/" for index, tool in enumerate(html)}

    async def page(request: web.Request) -> web.Response:
        tool = next(tool for tool, slug in slugs.items() if slug == request.path)
        return web.Response(text=html[tool], content_type="text/html")

    async def tool_file(request: web.Request) -> web.Response:
        return web.FileResponse(TOOL_FILES[request.match_info["path"]])
    app = web.Application()
    app["slugs"] = slugs
    for slug in slugs.values():
        app.router.add_get(slug, page)
    app.router.add_get("/tools/{path:.+}", tool_file)
    return app


def bench_policy(policies: Path, website: str) -> None:
    """The demo policy as site `bench`, its analytics service on the vendor's host."""
    data = tomllib.loads((DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8"))
    data.update(id="bench", origins=[website])
    for service in data["services"]:
        if service["id"] == "statly":
            service["hosts"] = ["127.0.0.2"]
    (policies / "bench.toml").write_text(toml_text(data), encoding="utf-8")


async def measure(runs: int) -> dict[str, list[tuple[int, int]]]:
    """Return, per tool, (browser requests to the vendor, requests that reached it) per run."""
    ports = {name: free_port(host) for name, host in (("web", "127.0.0.1"), ("crumb", "127.0.0.1"),
                                                      ("vendor", "127.0.0.2"))}
    website, crumb, vendor = (f"http://localhost:{ports['web']}", f"http://127.0.0.1:{ports['crumb']}",
                              f"http://127.0.0.2:{ports['vendor']}")
    reached: list[str] = []
    html = pages(crumb, vendor)
    host = host_app(html)
    results: dict[str, list[tuple[int, int]]] = {tool: [] for tool in html}
    with tempfile.TemporaryDirectory() as scratch:
        bench_policy(Path(scratch), website)
        settings = Settings(policies_dir=Path(scratch), db_url=f"sqlite:///{scratch}/r.sqlite3", demo=False,
                            public_url=crumb)
        runners = [await start_site(host, "127.0.0.1", ports["web"]),
                   await start_site(create_app(settings), "127.0.0.1", ports["crumb"]),
                   await start_site(vendor_app(vendor, reached), "127.0.0.2", ports["vendor"])]
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for _ in range(runs):
                    for tool in html:
                        results[tool].append(await one_visit(browser, website + host["slugs"][tool], vendor, reached))
                await browser.close()
        finally:
            for runner in runners:
                await runner.cleanup()
    return results


async def one_visit(browser, url: str, vendor: str, reached: list[str]) -> tuple[int, int]:
    """Load `url` in a fresh profile, wait, and count the vendor requests."""
    context = await browser.new_context()
    page = await context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: request.url.startswith(vendor + "/") and requested.append(request.url))
    reached.clear()
    await page.goto(url)
    await page.wait_for_timeout(SETTLE_MS)
    await context.close()
    return len(requested), len(reached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    ensure_npm_packages()
    results = asyncio.run(measure(options.runs))
    print(f"| page with a tag manager, first visit, no click ({options.runs} runs) "
          "| requests to the vendor's host | of them reached the vendor |")
    print("|---|---|---|")
    for tool, figures in results.items():
        requested = sorted({r for r, _ in figures})
        arrived = sorted({a for _, a in figures})
        print(f"| {tool} | {', '.join(map(str, requested))} | {', '.join(map(str, arrived))} |")


if __name__ == "__main__":
    main()
