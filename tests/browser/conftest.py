"""The browser-test harness: three real origins and a real Chromium.

Every browser test runs against:

- the real Crumb app from `create_app()` on `http://127.0.0.1:<port>` (`crumb`), with a policy
  written to `tmp_path` whose `origins` hold the host website's origin;
- a host website on `http://localhost:<port>` (`host_site`) serving pages the test writes, with
  the gate embedded exactly as the README says ("Embedding on your website");
- a third party on `http://127.0.0.2:<port>` (`third_party`) serving scripts, pixels and frames
  and recording every request it receives, in order;
- Debian's Chromium through Playwright's async API, a fresh context (profile) per test, and a page
  that records every request URL (`visitor`).

Ports are picked first (the policy's `origins` must name the host site's port), then the policy
is written, then the servers start. Everything is closed at teardown: `filterwarnings = error`
turns a leaked socket or browser into a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import tomllib
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from aiohttp import web
from playwright.async_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Page,
    async_playwright,
)

from crumb.app import create_app
from crumb.settings import DEMO_POLICIES, Settings
from crumb.widget.consent_cookie import encode_consent
from tests.server_process import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Names such as shop.test make real, non-secure origins on loopback (tests of http sites).
    "--host-resolver-rules=MAP *.test 127.0.0.1",
]
SITE = "demo"
FRAME_SELECTOR = "iframe[data-crumb-frame]"
# 1x1 transparent GIF, the classic tracking pixel.
PIXEL_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


@dataclass(frozen=True)
class Origins:
    """The three origins of a browser test."""

    crumb: str
    host: str
    third: str


# --- policies -------------------------------------------------------------------------------


def demo_policy(host_origin: str) -> dict[str, Any]:
    """Return the bundled demo policy as data, allowing `host_origin` to embed it."""
    data = tomllib.loads((DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8"))
    data["origins"] = [host_origin]
    # Without the demo's vendor hosts: tests get the gate without auto-blocking unless they
    # declare hosts themselves (tests/browser/test_gate_autoblock.py).
    for service in data["services"]:
        service.pop("hosts", None)
    return data


def only_required(policy: dict[str, Any]) -> None:
    """Mutate `policy` so that every category is required (no banner is needed)."""
    policy["categories"] = [c for c in policy["categories"] if c.get("required")]
    kept = {c["id"] for c in policy["categories"]}
    policy["services"] = [s for s in policy.get("services", []) if s["category"] in kept]
    services = {s["id"] for s in policy["services"]}
    policy["storage"] = [row for row in policy.get("storage", [])
                         if row.get("category") in kept or row.get("service") in services]


def toml_text(data: dict[str, Any]) -> str:
    """Return TOML for a policy: scalars first, then tables, then arrays of tables."""
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items() if not _is_table(value)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"] + _table_lines(value, key)
        elif _is_table(value):
            for item in value:
                lines += ["", f"[[{key}]]"] + [f"{k} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and all(isinstance(item, dict) for item in value))


def _table_lines(table: dict[str, Any], prefix: str) -> list[str]:
    lines = [f"{k} = {_toml_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for key, value in table.items():
        if isinstance(value, dict):  # e.g. [texts.en]
            lines += ["", f"[{prefix}.{key}]"] + _table_lines(value, f"{prefix}.{key}")
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


# --- the three servers ----------------------------------------------------------------------


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve `app` on a real loopback port; return the runner to clean up."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


class CrumbServer:
    """The real Crumb app on a loopback port, with a policy the test may rewrite."""

    def __init__(self, origins: Origins, port: int, tmp_path: Path):
        self.origin = origins.crumb
        self.port = port
        self.host_origin = origins.host
        self.policies_dir = tmp_path / "policies"
        self.policies_dir.mkdir()
        self.db_url = f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
        self.policy: dict[str, Any] = demo_policy(origins.host)
        self._runner: web.AppRunner | None = None
        self.app: web.Application | None = None

    def write_policy(self, change: Callable[[dict[str, Any]], None] | None = None, **values: Any) -> None:
        """Change the policy (a function that mutates it, and/or top-level values) and write it."""
        if change is not None:
            change(self.policy)
        self.policy.update(values)
        self.policy_file.write_text(toml_text(self.policy), encoding="utf-8")

    def write_only_required(self) -> None:
        """Write the policy with only its required categories (a policy that needs no banner)."""
        self.write_policy(only_required)

    @property
    def policy_file(self) -> Path:
        """The written policy file."""
        return self.policies_dir / f"{SITE}.toml"

    def bump_revision(self) -> int:
        """Write the policy with its revision raised by one; return the new revision."""
        self.write_policy(revision=self.policy["revision"] + 1)
        return self.policy["revision"]

    async def start(self) -> None:
        """Build the app through `create_app()` from the written policy and serve it."""
        settings = Settings(policies_dir=self.policies_dir, db_url=self.db_url, demo=False, public_url=self.origin)
        self.app = create_app(settings)
        self._runner = await start_site(self.app, "127.0.0.1", self.port)

    async def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def restart(self) -> None:
        """Serve the policy as now written (e.g. after `bump_revision()`), on the same port."""
        await self.stop()
        await self.start()

    @property
    def gate_url(self) -> str:
        """The gate's URL, as a website embeds it."""
        return f"{self.origin}/sites/{SITE}/gate.js"


class HostSite:
    """The website that embeds the gate: serves pages the test writes, records requests."""

    def __init__(self, origin: str, crumb: CrumbServer):
        self.origin = origin
        self.crumb = crumb
        self.pages: dict[str, str] = {}
        self.requests: list[str] = []
        self.app = web.Application()
        self.app.router.add_get("/{path:.*}", self._serve)

    def page(self, body: str, *, path: str = "/", head: str = "", lang: str = "en",
             gate: bool = True) -> str:
        """Add a page whose `<head>` embeds the gate (as the README says: "Embedding on your website"); return its URL."""
        # As the README says: deferred, and without credentials.
        gate_tag = f'<script src="{self.crumb.gate_url}" defer crossorigin="anonymous"></script>' if gate else ""
        self.pages[path] = (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>Host {path}</title>{gate_tag}{head}</head><body>{body}</body></html>"
        )
        return self.origin + path

    async def _serve(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        html = self.pages.get(request.path)
        if html is None:
            raise web.HTTPNotFound()
        return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


class ThirdParty:
    """A third party on its own origin: scripts, pixels and frames, every request recorded.

    `/s/NAME.js` runs `window.thirdParty.push("NAME")` (or the body set in `scripts[NAME]`);
    `/p/NAME.gif` is a pixel; `/f/NAME.html` a frame whose body says NAME (or is `frames[NAME]`).
    """

    def __init__(self, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.scripts: dict[str, str] = {}
        self.frames: dict[str, str] = {}
        self.app = web.Application()
        self.app.router.add_get("/s/{name}.js", self._script)
        self.app.router.add_get("/p/{name}.gif", self._pixel)
        self.app.router.add_get("/f/{name}.html", self._frame)

    def script(self, name: str) -> str:
        """URL of a script that records that it ran."""
        return f"{self.origin}/s/{name}.js"

    def pixel(self, name: str) -> str:
        """URL of a tracking pixel."""
        return f"{self.origin}/p/{name}.gif"

    def frame(self, name: str) -> str:
        """URL of an embeddable page."""
        return f"{self.origin}/f/{name}.html"

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [urllib.parse.urlsplit(url).path for url in self.requests]

    async def _script(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        name = request.match_info["name"]
        body = self.scripts.get(name, f"(window.thirdParty = window.thirdParty || []).push({json.dumps(name)});")
        # CORS lets the script also load as a module (modules are fetched in CORS mode).
        return web.Response(text=body, content_type="text/javascript",
                            headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})

    async def _pixel(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        # Readable by any origin, as trackers' collection endpoints are, so that fetch and XHR
        # to them succeed once allowed.
        return web.Response(body=PIXEL_GIF, content_type="image/gif",
                            headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})

    async def _frame(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        name = request.match_info["name"]
        html = self.frames.get(name, f"<!doctype html><title>{name}</title><p>{name}</p>")
        return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


# --- the browser side -----------------------------------------------------------------------


class Visitor:
    """One visitor: a fresh browser profile (context) and a page recording every request URL."""

    def __init__(self, context: BrowserContext, page: Page, origins: Origins, crumb: CrumbServer):
        self.context = context
        self.page = page
        self.origins = origins
        self.crumb = crumb
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    async def goto(self, url: str) -> None:
        """Navigate and wait for the load event."""
        await self.page.goto(url)

    def requests_to(self, origin: str) -> list[str]:
        """The recorded request URLs that went to `origin` (page, frames, workers)."""
        return [url for url in self.requests if url.startswith(origin + "/")]

    def frame(self) -> FrameLocator:
        """The widget frame, as a locator into its document."""
        return self.page.frame_locator(FRAME_SELECTOR)

    async def wait_for_gate(self) -> None:
        """Wait until the gate has run its start-up (the `window.crumb` API exists)."""
        await self.page.wait_for_function("() => window.crumb && typeof window.crumb.consent === 'function'")

    async def wait_for_banner(self, button: str = "Accept all") -> FrameLocator:
        """Wait for the frame to be shown with `button` visible inside it; return the frame."""
        await self.page.locator(FRAME_SELECTOR).wait_for(state="visible")
        frame = self.frame()
        await frame.get_by_role("button", name=button).wait_for(state="visible")
        return frame

    async def wait_for_no_frame(self) -> None:
        """Wait until the widget frame is hidden or gone."""
        await self.page.locator(FRAME_SELECTOR).wait_for(state="hidden")

    async def click_in_frame(self, name: str, role: str = "button") -> None:
        """Click the control called `name` inside the widget frame."""
        await self.frame().get_by_role(role, name=name).click()

    async def decide(self, button: str) -> None:
        """Click `button` in the banner (e.g. "Accept all") and wait for the frame to close."""
        await self.wait_for_banner(button)
        await self.click_in_frame(button)
        await self.wait_for_no_frame()

    async def choose_in_preferences(self, *labels: str) -> None:
        """From the banner, open Preferences, switch on `labels`, save, and wait for the frame to close."""
        await self.wait_for_banner()
        await self.click_in_frame("Preferences")
        frame = self.frame()
        for label in labels:
            await frame.get_by_label(label).check()
        await frame.get_by_role("button", name="Save my choices").click()
        await self.wait_for_no_frame()

    async def cookies(self) -> dict[str, str]:
        """The host website's cookies, by name (raw values)."""
        return {c["name"]: c["value"] for c in await self.context.cookies(self.origins.host)}

    async def consent(self) -> dict[str, Any] | None:
        """The consent cookie's JSON, decoded, or None when there is none."""
        raw = (await self.cookies()).get(self.crumb.policy.get("consent_cookie", "crumb_consent"))
        return None if raw is None else json.loads(urllib.parse.unquote(raw))

    async def set_consent_cookie(self, value: str) -> None:
        """Put a raw consent cookie value on the host website (for forged/corrupt cookies)."""
        await self.context.add_cookies([{
            "name": self.crumb.policy.get("consent_cookie", "crumb_consent"), "value": value,
            "url": self.origins.host + "/",
        }])

    async def give_consent(self, categories: list[str], services: list[str] = (), method: str = "custom",
                           revision: int | None = None, expires_in: int = 86400) -> None:
        """Put a consent cookie as the gate writes it (a returning visitor), before visiting."""
        at = int(time.time())
        await self.set_consent_cookie(encode_consent(
            consent_id=str(uuid.uuid4()), revision=self.crumb.policy["revision"] if revision is None else revision,
            categories=categories, services=list(services), at=at, expires=at + expires_in, method=method))

    async def third_party_ran(self) -> list[str]:
        """The names of the third party's scripts that ran in the page, in order."""
        return await self.page.evaluate("window.thirdParty || []")

    async def screenshot(self, path: Path) -> None:
        """Save a screenshot of the page (for looking at, not for asserting)."""
        await self.page.screenshot(path=str(path))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def ports() -> dict[str, int]:
    """Free ports for the three servers, picked before anything is written."""
    return {"crumb": free_port("127.0.0.1"), "host": free_port("127.0.0.1"), "third": free_port("127.0.0.2")}


@pytest.fixture
def origins(ports) -> Origins:
    """The three origins: Crumb, the host website, the third party."""
    return Origins(crumb=f"http://127.0.0.1:{ports['crumb']}", host=f"http://localhost:{ports['host']}",
                   third=f"http://127.0.0.2:{ports['third']}")


@pytest.fixture
async def crumb(origins, ports, tmp_path):
    """The real Crumb server, serving the demo policy with the host website as an origin."""
    server = CrumbServer(origins, ports["crumb"], tmp_path)
    server.write_policy()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def host_site(origins, ports, crumb):
    """The website embedding the gate, on `http://localhost:<port>`."""
    site = HostSite(origins.host, crumb)
    runner = await start_site(site.app, "127.0.0.1", ports["host"])
    yield site
    await runner.cleanup()


@pytest.fixture
async def third_party(origins, ports):
    """The third party on `http://127.0.0.2:<port>`, recording every request."""
    party = ThirdParty(origins.third)
    runner = await start_site(party.app, "127.0.0.2", ports["third"])
    yield party
    await runner.cleanup()


@pytest.fixture
async def serve():
    """Serve any app on a free loopback port for the test: `origin = await serve(app)`."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application, host: str = "127.0.0.1") -> str:
        port = free_port(host)
        runners.append(await start_site(app, host, port))
        return f"http://{host}:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def browser():
    """Debian's Chromium, headless, closed after the test."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def new_visitor(browser: Browser, origins, crumb, host_site, third_party):
    """Factory of visitors, each a fresh profile (for tests that need two)."""
    contexts: list[BrowserContext] = []

    async def make(**context_options: Any) -> Visitor:
        context = await browser.new_context(**context_options)
        context.set_default_timeout(10_000)  # fail in seconds, not half a minute
        contexts.append(context)
        return Visitor(context, await context.new_page(), origins, crumb)

    yield make
    for context in contexts:
        await context.close()


@pytest.fixture
async def visitor(new_visitor) -> Visitor:
    """A first-time visitor: fresh profile, every request recorded."""
    return await new_visitor()
