"""Browser figures: first visit, accept click and returning visit of one tool in headless Chromium.

One measured run of a tool is: a fresh browser context (empty cache, no cookies), the host
page, a click on "accept all" as soon as the probe finds the button clickable, the wait for
the third-party script to run; then, in the same context (cookie and HTTP cache kept, as for a
real returning visitor), the host page again until the consented script runs.

The probe (probe.js) measures inside the page; Python only acts on what it reports, so the
harness's own delays do not enter the figures, except where said (the click).
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Page,
    Playwright,
    Request,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from tools import Origins, Tool
from visit_figures import latest, long_tasks, script_time, since_navigation, timeline

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_WRAPPER = Path(__file__).resolve().parent / "chromium.sh"  # runs CHROMIUM at normal priority
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROBE = (Path(__file__).resolve().parent / "probe.js").read_text(encoding="utf-8")
THIRD_PARTY_RAN = "() => window.__benchThirdPartyRanAt !== undefined"
ACCEPT_CLICKED = "() => window.__benchAcceptClicked === true"
BOX = "selector => document.querySelector(selector).getBoundingClientRect().toJSON()"
TIMEOUT_S = 60
LOST_PRESS_MS = 8_000  # far longer than any tool takes to handle a press, even Crumb starting


async def launch(playwright: Playwright, nice: int) -> Browser:
    """Start Debian's Chromium, headless, with the flags every run uses, at priority `nice`."""
    return await playwright.chromium.launch(executable_path=str(CHROMIUM_WRAPPER), args=CHROMIUM_ARGS,
                                            headless=True, env={**os.environ, "BENCH_CHROMIUM_NICE": str(nice)})


class RunFailed(RuntimeError):
    """One measured run did not complete; the message names the tool and the step."""


@dataclass
class Visit:
    """What one page load reported: probe events and the requests it made."""

    reports: list[dict] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    finished: set[Request] = field(default_factory=set)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def first(self, kind: str, origin: str) -> dict | None:
        """Return the first report of this kind from a document of `origin`, or None."""
        return next((report for report in self.reports
                     if report["kind"] == kind and report["url"].startswith(origin + "/")), None)

    async def wait_for(self, kind: str, origin: str) -> dict:
        """Wait until the probe of a document of `origin` reports `kind`; return the report."""
        while (report := self.first(kind, origin)) is None:
            self.changed.clear()
            await self.changed.wait()
        return report


class Recorder:
    """Routes the probe's reports and the context's requests to the visit in progress."""

    def __init__(self, context: BrowserContext):
        self.context = context
        self.visit = Visit()

    async def install(self, watch: dict[str, dict[str, str]]) -> None:
        """Install the probe in every frame of the context, and listen to it and to requests."""
        await self.context.expose_binding("__benchReport", self._report)
        await self.context.add_init_script(PROBE.replace("__BENCH_CONFIG__", json.dumps({"watch": watch})))
        self.context.on("request", lambda request: self.visit.requests.append(request))
        self.context.on("requestfinished", lambda request: self.visit.finished.add(request))
        # Errors of any frame, kept with the visit: a failed run says what went wrong in the page.
        self.context.on("console", lambda message: message.type == "error" and self.visit.reports.append(
            {"kind": "console", "text": message.text, "url": message.page.url if message.page else "",
             "at": 0, "timeOrigin": 0}))
        self.context.on("weberror", lambda error: self.visit.reports.append(
            {"kind": "console", "text": str(error.error), "url": "", "at": 0, "timeOrigin": 0}))

    def _report(self, source, data: dict) -> None:
        self.visit.reports.append(data)
        self.visit.changed.set()

    def start(self) -> Visit:
        """Begin a new visit and return it."""
        self.visit = Visit()
        return self.visit


async def third_party_start(page: Page, url: str) -> float:
    """Return when the host page started fetching `url` (ms since navigation), from Resource Timing."""
    return await page.evaluate("url => performance.getEntriesByName(url)[0].startTime", url)


async def request_sizes(visit: Visit, tool: Tool, origins: Origins) -> list[dict]:
    """Return the tool's requests of this visit with the bytes each one transferred."""
    rows = []
    for request in visit.requests:
        if not tool.owns(request.url, origins):
            continue
        row = {"url": request.url.removeprefix(origins.crumb if tool.name == "crumb" else origins.website),
               "method": request.method, "status": None, "from_cache": False, "body_bytes": 0,
               "header_bytes": 0, "encoding": ""}
        if request not in visit.finished:  # failed, or cancelled when its frame closed
            rows.append({**row, "failure": request.failure or "unfinished"})
            continue
        response = await request.response()
        if response is None:
            rows.append({**row, "failure": "no response"})
            continue
        sizes = await request.sizes()
        # A 200 with no body bytes on the wire came from the HTTP cache (a revalidation is a 304).
        cached = response.status == 200 and sizes["responseBodySize"] <= 0
        rows.append({**row, "status": response.status, "from_cache": cached,
                     "body_bytes": 0 if cached else max(sizes["responseBodySize"], 0),
                     "header_bytes": 0 if cached else max(sizes["responseHeadersSize"], 0),
                     "encoding": response.headers.get("content-encoding", "")})
    return rows


async def flush_probes(page: Page) -> None:
    """Ask every live frame's probe to hand over long tasks it has not reported yet."""
    for frame in page.frames:
        try:
            await frame.evaluate("() => window.__benchFlush && window.__benchFlush()")
        except PlaywrightError:  # a frame detached meanwhile has nothing more to tell
            pass


async def click_accept(page: Page, cdp: CDPSession, visit: Visit, tool: Tool, origins: Origins) -> None:
    """Click "accept all" as soon as the probe reports it clickable, as a person would.

    The press and the release are sent together through CDP, without waiting for the page to
    take the press first: a busy frame (Brython starting) must not delay the click itself,
    only its handling. Playwright's own click would wait for the button to stop moving.
    """
    button_origin = origins.crumb if tool.in_frame else origins.website
    point = (await visit.wait_for("clickable", button_origin))["point"]
    if tool.in_frame:
        await visit.wait_for("banner", origins.website)  # the frame itself is shown
        frame_box = await page.evaluate(BOX, tool.in_frame)  # the website's thread is free
        point = {"x": point["x"] + frame_box["x"], "y": point["y"] + frame_box["y"]}
    event = {"x": point["x"], "y": point["y"], "button": "left", "clickCount": 1}
    await asyncio.gather(cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", **event}),
                         cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", **event}))
    frame = await accept_frame(page, tool)
    try:
        landed = frame is None or await frame.evaluate(ACCEPT_CLICKED)
    except PlaywrightError:  # the frame closed itself: the click was taken
        landed = True
    if not landed:  # a banner still moving can slide away from the point: click it properly
        await frame.locator(tool.accept_selector).first.click()


async def accept_frame(page: Page, tool: Tool):
    """Return the frame that holds the accept button (None if it is gone)."""
    if not tool.in_frame:
        return page.main_frame
    element = await page.query_selector(tool.in_frame)
    return await element.content_frame() if element else None


async def wait_until_handled(page: Page, tool: Tool) -> int:
    """Wait for the third-party script; press accept again while a press goes unanswered.

    A press on a visible button that does nothing is lost (a person would press again, as here).
    Return how many presses were lost.
    """
    lost = 0
    while True:
        try:
            await page.wait_for_function(THIRD_PARTY_RAN, timeout=LOST_PRESS_MS)
            return lost
        except PlaywrightTimeoutError:
            lost += 1
            frame = await accept_frame(page, tool)
            if lost > 3 or frame is None:
                raise
            await frame.locator(tool.accept_selector).first.click()


async def measure_once(browser: Browser, tool: Tool, origins: Origins) -> dict:
    """Measure one first visit, its accept click and one returning visit of `tool`.

    :raise RunFailed: when a step times out or fails, naming the step.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    step = "first visit"
    try:
        recorder = Recorder(context)
        await recorder.install(tool.watch(origins))
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_S * 1000)
        first_result = await asyncio.wait_for(_first_visit(page, recorder, tool, origins), TIMEOUT_S)
        step = "returning visit"
        return_result = await asyncio.wait_for(_returning_visit(page, recorder, tool, origins), TIMEOUT_S)
        step = "returning visit, cold cache"
        cold_result = await asyncio.wait_for(_cold_returning_visit(browser, context, tool, origins), TIMEOUT_S)
        return {"first": first_result, "return": return_result, "return_cold": cold_result}
    except (PlaywrightError, asyncio.TimeoutError) as error:
        failed = RunFailed(f"{tool.name}, {step}: {(str(error) or type(error).__name__).splitlines()[0]}")
        failed.reports = recorder.visit.reports  # what the probe saw before it went wrong
        raise failed from error
    finally:
        await context.close()


async def _first_visit(page: Page, recorder: Recorder, tool: Tool, origins: Origins) -> dict:
    cdp = await page.context.new_cdp_session(page)  # opened before, so the click is only the click
    visit = recorder.start()
    await page.goto(tool.page_url(origins), wait_until="commit")
    await click_accept(page, cdp, visit, tool, origins)
    lost_presses = await wait_until_handled(page, tool)
    host_origin = await page.evaluate("() => performance.timeOrigin")
    requested = await third_party_start(page, origins.third_party + "/third-party.js")
    await flush_probes(page)
    # A banner in a frame counts from when both it and its frame in the page are visible.
    button_origin = origins.crumb if tool.in_frame else origins.website
    frame_shown = (visit.first("banner", origins.website),) if tool.in_frame else ()
    clicked = since_navigation(visit.first("click", button_origin), host_origin)
    clickable = since_navigation(latest(visit.first("clickable", button_origin), *frame_shown), host_origin)
    takes_press = clickable
    if tool.in_frame:  # Crumb's Python widget handles presses once it runs: its first ready or decision
        takes_press = max(clickable, min((since_navigation(r, host_origin) for r in visit.reports
                                         if r["kind"] == "message" and r["type"] in ("ready", "decision")),
                                     default=clickable))
    # The harness presses later than a person could; the part of that delay after the tool was
    # ready to take the press is taken off (a press before that waits for the tool either way).
    handled = requested - max(0.0, clicked - takes_press) if not lost_presses else None
    return {
        "banner_visible_ms": since_navigation(latest(visit.first("banner", button_origin), *frame_shown),
                                              host_origin),
        "clickable_ms": clickable,
        "takes_press_ms": takes_press,
        "click_ms": clicked,
        # A lost press makes the time the harness's wait, not the tool's: counted apart.
        "accept_to_script_ms": requested if not lost_presses else None,
        "click_to_script_ms": requested - clicked if not lost_presses else None,
        "lost_presses": lost_presses,
        "accept_handled_ms": handled,
        "long_tasks": long_tasks(visit, origins.website),
        "frame_long_tasks": long_tasks(visit, origins.crumb) if tool.in_frame else None,
        "page_scripts_ms": script_time(visit, origins.website),
        "frame_scripts_ms": script_time(visit, origins.crumb) if tool.in_frame else None,
        "requests": await request_sizes(visit, tool, origins),
        "timeline": timeline(visit, tool, origins, host_origin),
    }


async def _cold_returning_visit(browser: Browser, warm: BrowserContext, tool: Tool, origins: Origins) -> dict:
    """A returning visitor whose HTTP cache is empty (cache expired or cleared): cookies only."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        await context.add_cookies(await warm.cookies())
        recorder = Recorder(context)
        await recorder.install(tool.watch(origins))
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_S * 1000)
        return await _returning_visit(page, recorder, tool, origins)
    finally:
        await context.close()


async def _returning_visit(page: Page, recorder: Recorder, tool: Tool, origins: Origins) -> dict:
    visit = recorder.start()
    await page.goto(tool.page_url(origins), wait_until="commit")
    await page.wait_for_function(THIRD_PARTY_RAN)
    host_origin = await page.evaluate("() => performance.timeOrigin")
    await flush_probes(page)
    return {
        "script_ms": await third_party_start(page, origins.third_party + "/third-party.js"),
        "long_tasks": long_tasks(visit, origins.website),
        "requests": await request_sizes(visit, tool, origins),
        "timeline": timeline(visit, tool, origins, host_origin),
    }
