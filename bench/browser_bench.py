"""Browser figures: first visit, accept click and returning visit of one tool in headless Chromium.

One measured run of a tool is: a fresh browser context (empty cache, no cookies), the host
page, a click on "accept all" as soon as Playwright finds the button clickable, the wait for the
third-party script to run; then, in the same context (cookie and HTTP cache kept, as for a
real returning visitor), the host page again until the consented script runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request
from playwright.sync_api import Error as PlaywrightError

from tools import Origins, Tool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROBE = (Path(__file__).resolve().parent / "probe.js").read_text(encoding="utf-8")
THIRD_PARTY_RAN = "() => window.__benchThirdPartyRanAt !== undefined"
CLICKABLE = "() => window.__benchClickable || null"
ACCEPT_CLICKED = "() => window.__benchAcceptClicked === true"
TIMEOUT_MS = 30_000


def launch(playwright: Playwright) -> Browser:
    """Start Debian's Chromium, headless, with the flags every run uses."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Visit:
    """What one page load reported: probe events and the requests it made."""

    reports: list[dict] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def first(self, kind: str) -> dict | None:
        """Return the first report of this kind, or None."""
        return next((report for report in self.reports if report["kind"] == kind), None)


class Recorder:
    """Routes the probe's reports and the context's requests to the visit in progress."""

    def __init__(self, context: BrowserContext, watch: dict[str, dict[str, str]]):
        self.visit = Visit()
        context.expose_binding("__benchReport", lambda source, data: self.visit.reports.append(data))
        context.add_init_script(PROBE.replace("__BENCH_CONFIG__", json.dumps({"watch": watch})))
        context.on("request", lambda request: self.visit.requests.append(request))

    def start(self) -> Visit:
        """Begin a new visit and return it."""
        self.visit = Visit()
        return self.visit


def since_navigation(report: dict | None, host_origin: float) -> float | None:
    """Return a probe time as milliseconds since the host page's navigation started."""
    if report is None:
        return None
    return report["timeOrigin"] + report["at"] - host_origin


def third_party_start(page: Page, url: str) -> float:
    """Return when the host page started fetching `url` (ms since navigation), from Resource Timing."""
    return page.evaluate("url => performance.getEntriesByName(url)[0].startTime", url)


def request_sizes(visit: Visit, tool: Tool, origins: Origins) -> list[dict]:
    """Return the tool's requests of this visit with the bytes each one transferred."""
    rows = []
    for request in visit.requests:
        if not tool.owns(request.url, origins):
            continue
        response = request.response()
        sizes = request.sizes()
        # A 200 with no body bytes on the wire came from the HTTP cache (a revalidation is a 304).
        cached = response is not None and response.status == 200 and sizes["responseBodySize"] <= 0
        rows.append({
            "url": request.url.removeprefix(origins.crumb if tool.name == "crumb" else origins.website),
            "method": request.method,
            "status": response.status if response else None,
            "from_cache": cached,
            "body_bytes": 0 if cached else max(sizes["responseBodySize"], 0),
            "header_bytes": 0 if cached else max(sizes["responseHeadersSize"], 0),
            "encoding": (response.headers.get("content-encoding", "") if response else ""),
        })
    return rows


def flush_probes(page: Page) -> None:
    """Ask every live frame's probe to hand over long tasks it has not reported yet."""
    for frame in page.frames:
        try:
            frame.evaluate("() => window.__benchFlush && window.__benchFlush()")
        except Exception:  # a frame detached meanwhile has nothing more to tell
            pass


def long_tasks(visit: Visit, origin: str) -> dict:
    """Return the count and total duration of long tasks seen by the documents of `origin`."""
    tasks = [r for r in visit.reports if r["kind"] == "longtask" and r["url"].startswith(origin + "/")]
    return {"count": len(tasks), "total_ms": sum(task["duration"] for task in tasks)}


def click_accept(page: Page, tool: Tool) -> None:
    """Click "accept all" as soon as the probe finds it clickable.

    `force` skips Playwright's own wait for the button to stop moving: a person clicks a
    banner that is still sliding in, and the end of a CSS animation is not the tool being ready.
    """
    frame = page.main_frame
    if tool.in_frame:
        frame = page.locator(tool.in_frame).element_handle(timeout=TIMEOUT_MS).content_frame()
    point = frame.wait_for_function(CLICKABLE, polling="raf", timeout=TIMEOUT_MS).json_value()
    if tool.in_frame:
        offset = frame.frame_element().bounding_box()
        point = {"x": point["x"] + offset["x"], "y": point["y"] + offset["y"]}
    page.mouse.click(point["x"], point["y"])
    try:
        landed = frame.evaluate(ACCEPT_CLICKED)
    except PlaywrightError:  # the frame closed itself: the click was taken
        landed = True
    if not landed:  # a banner still moving can slide away from the point: click it properly
        frame.locator(tool.accept_selector).first.click()


class RunFailed(RuntimeError):
    """One measured run did not complete; the message names the tool and the step."""


def measure_once(browser: Browser, tool: Tool, origins: Origins) -> dict:
    """Measure one first visit, its accept click and one returning visit of `tool`.

    :raise RunFailed: when a step times out or fails, naming the step.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    step = "first visit"
    try:
        recorder = Recorder(context, {tool.banner_origin(origins): {
            "banner": tool.banner_selector, "accept": tool.accept_selector}})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        first_result = _first_visit(page, recorder, tool, origins)
        step = "returning visit"
        return {"first": first_result, "return": _returning_visit(page, recorder, tool, origins)}
    except Exception as error:
        raise RunFailed(f"{tool.name}, {step}: {str(error).splitlines()[0]}") from error
    finally:
        context.close()


def _first_visit(page: Page, recorder: Recorder, tool: Tool, origins: Origins) -> dict:
    visit = recorder.start()
    page.goto(tool.page_url(origins), wait_until="commit")
    click_accept(page, tool)
    page.wait_for_function(THIRD_PARTY_RAN)
    host_origin = page.evaluate("() => performance.timeOrigin")
    requested = third_party_start(page, origins.third_party + "/third-party.js")
    flush_probes(page)
    clicked = since_navigation(visit.first("click"), host_origin)
    return {
        "banner_visible_ms": since_navigation(visit.first("banner"), host_origin),
        "clickable_ms": since_navigation(visit.first("clickable"), host_origin),
        "click_ms": clicked,
        "accept_to_script_ms": requested,
        "click_to_script_ms": requested - clicked,
        "long_tasks": long_tasks(visit, origins.website),
        "frame_long_tasks": long_tasks(visit, origins.crumb) if tool.in_frame else None,
        "requests": request_sizes(visit, tool, origins),
    }


def _returning_visit(page: Page, recorder: Recorder, tool: Tool, origins: Origins) -> dict:
    visit = recorder.start()
    page.goto(tool.page_url(origins), wait_until="commit")
    page.wait_for_function(THIRD_PARTY_RAN)
    flush_probes(page)
    return {
        "script_ms": third_party_start(page, origins.third_party + "/third-party.js"),
        "long_tasks": long_tasks(visit, origins.website),
        "requests": request_sizes(visit, tool, origins),
    }
