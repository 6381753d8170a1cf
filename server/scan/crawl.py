"""Drive headless Chromium over a website in the three phases, recording what each one sees."""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urldefrag, urlsplit

from .domains import registrable_domain
from .record import STORAGE_SCRIPT, PhaseLog, Sighting, cookie_sightings, request_sighting, storage_sightings

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
GATE_PATH = re.compile(r"/sites/[a-z0-9-]+/gate(-ui)?\.js$")
BANNER_BOX = "#crumb-consent"
LOAD_TIMEOUT_MS = 15_000
SETTLE_TIMEOUT_MS = 5_000  # "network idle" is awaited this long at most, then the page is read as it is
BANNER_TIMEOUT_MS = 15_000


class ScanError(Exception):
    """The scan could not run at all (exit status 2)."""


@dataclass
class ScanRun:
    """The pages crawled, whether the Crumb gate was there, and each phase's log."""

    pages: list[str]
    site_domain: str = ""
    gate_found: bool = False
    crumb_origins: set[str] = field(default_factory=set)
    logs: list[PhaseLog] = field(default_factory=list)


def origin_of(url: str) -> str:
    """Return scheme://host[:port] of `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def scan(urls: list[str], *, max_pages: int, chromium: str,
               progress: Callable[[str], None]) -> ScanRun:
    """Crawl `urls` before any decision, then (when the gate is there) after reject and accept.

    :raise ScanError: when Chromium cannot start or the first start URL cannot be loaded.
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        run = ScanRun(pages=[], site_domain=registrable_domain(urlsplit(urls[0]).hostname or ""))

        def profile():
            return _profile(playwright, chromium)
        run.logs.append(await _phase(profile, run, "before", urls, max_pages, progress))
        if run.gate_found:
            for phase, action in (("reject", "reject_all"), ("accept", "accept_all")):
                run.logs.append(await _phase(profile, run, phase, run.pages, len(run.pages), progress,
                                             action=action))
        for log in run.logs:  # the site is known for sure only after the first page's redirects
            log.sightings = [s for s in log.sightings
                             if s.storage != "request" or registrable_domain(s.name) != run.site_domain]
        return run


@contextlib.asynccontextmanager
async def _profile(playwright, chromium: str):
    """A browser with a new, empty profile directory, removed afterwards.

    Third-party cookies and storage are allowed in it, as Google Chrome allows them by default:
    this Chromium (and any incognito context) blocks them, and third parties would then look
    cleaner to the scan than they are to most visitors.
    """
    from playwright.async_api import Error as PlaywrightError

    with tempfile.TemporaryDirectory(prefix="crumb-scan-") as directory:
        (Path(directory) / "Default").mkdir()
        (Path(directory) / "Default" / "Preferences").write_text(json.dumps(
            {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}))
        try:
            context = await playwright.chromium.launch_persistent_context(
                directory, executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise ScanError(f"cannot start Chromium at {chromium}: {str(error).splitlines()[0]}") from error
        try:
            yield context
        finally:
            await context.close()


async def _phase(profile, run: ScanRun, phase: str, start: list[str], max_pages: int,
                 progress: Callable[[str], None], action: str = "") -> PhaseLog:
    """One fresh profile: decide in the banner (if `action`), then visit pages breadth-first."""
    log = PhaseLog(phase)
    async with profile() as context:
        page = context.pages[0] if context.pages else await context.new_page()
        recorder = _Recorder(run, log)
        context.on("request", recorder.on_request)
        if action and not await _decide(page, start[0], action, log, recorder):
            return log
        recorder.active = True
        origins = {origin_of(url) for url in start}
        queue, seen = deque(start), set(start)
        visited = 0
        while queue and visited < max_pages:
            url = queue.popleft()
            visited += 1
            progress(f"[{phase}] {visited}/{max_pages} {url}")
            first = phase == "before" and visited == 1
            links = await recorder.visit(page, url, first=first)
            url = recorder.page_url  # where the page ended up, after redirects
            if first:  # a start page that redirects (www., https) makes its target the site
                origins.add(origin_of(page.url))
                run.site_domain = registrable_domain(urlsplit(page.url).hostname or "")
            if phase == "before" and url not in run.pages and url not in (e[0] for e in log.errors):
                run.pages.append(url)
            seen.add(url)
            for link in links:
                if origin_of(link) in origins and link not in seen:
                    seen.add(link)
                    queue.append(link)
        return log


async def _decide(page, url: str, action: str, log: PhaseLog, recorder: _Recorder) -> bool:
    """Click `action` in the Crumb banner's frame as a visitor would; False if it never showed.

    What the click wakes on this page counts for the phase: a frame it loads may come from the
    cache on the later visit of the same page, and a document from the cache fires no request.
    """
    from playwright.async_api import Error as PlaywrightError

    try:
        await page.goto(url, timeout=LOAD_TIMEOUT_MS)
        button = page.frame_locator(f"{BANNER_BOX} iframe").locator(f'button[data-crumb-action="{action}"]')
        await button.wait_for(timeout=BANNER_TIMEOUT_MS)
        recorder.page_url, recorder.active = page.url, True
        await button.click(timeout=BANNER_TIMEOUT_MS)
        await page.locator(BANNER_BOX).wait_for(state="hidden", timeout=BANNER_TIMEOUT_MS)
        return True
    except PlaywrightError as error:
        recorder.active = False
        log.errors.append((url, f"the Crumb banner's {action} button could not be used: "
                                f"{str(error).splitlines()[0]}"))
        return False


class _Recorder:
    """Collects one phase's sightings page by page; cookie values are never read."""

    def __init__(self, run: ScanRun, log: PhaseLog):
        self.run, self.log = run, log
        self.active = False
        self.page_url = ""
        self.written: dict[tuple, tuple] = {}

    def on_request(self, request) -> None:
        url = request.url
        if GATE_PATH.search(urlsplit(url).path):
            self.run.crumb_origins.add(origin_of(url))
            self.run.gate_found = True
        if not self.active or origin_of(url) in self.run.crumb_origins:
            return
        sighting = request_sighting(self.log.phase, self.page_url, url, self.run.site_domain)
        if sighting is not None:
            self.log.sightings.append(sighting)

    async def visit(self, page, url: str, first: bool) -> list[str]:
        """Load `url`, let its network settle, record storage; return its links."""
        from playwright.async_api import Error as PlaywrightError

        self.page_url = url
        try:
            await _goto(page, url)
        except PlaywrightError as error:
            if first:
                raise ScanError(f"cannot load {url}: {str(error).splitlines()[0]}") from error
            self.log.errors.append((url, str(error).splitlines()[0]))
            return []
        try:
            await page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
        except PlaywrightError:
            pass  # a page that never goes quiet (polling, streaming) is read as it is now
        self.page_url = page.url
        if await page.locator(BANNER_BOX).count():
            self.run.gate_found = True
        await self._record(page, self.page_url)
        try:
            links = await page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        except PlaywrightError:
            return []
        return [urldefrag(link)[0] for link in links if link.startswith(("http://", "https://"))]

    async def _record(self, page, url: str) -> None:
        phase = self.log.phase
        for sighting in cookie_sightings(phase, url, await page.context.cookies(), self.run.site_domain):
            self._add_new(sighting, key=("cookie", sighting.name, sighting.domain, sighting.path))
        for frame in page.frames:
            origin = origin_of(frame.url) if frame.url.startswith("http") else ""
            # The widget frame is Crumb's own; the top page may share Crumb's origin (the demo does).
            if not origin or (origin in self.run.crumb_origins and frame is not page.main_frame):
                continue
            try:
                keys = await frame.evaluate(STORAGE_SCRIPT)
            except Exception:  # a frame that navigated or closed meanwhile has nothing to read
                continue
            for sighting in storage_sightings(phase, url, origin, keys, self.run.site_domain):
                self._add_new(sighting, key=(sighting.storage, sighting.name, origin))

    def _add_new(self, sighting: Sighting, key: tuple) -> None:
        # A thing counts on the page where it appeared or was rewritten, not on every later page.
        stamp = (sighting.expires,)
        if self.written.get(key) != stamp:
            self.written[key] = stamp
            self.log.sightings.append(sighting)



async def _goto(page, url: str) -> None:
    """Navigate to `url`. The error page of a page that failed before may still be on its way
    and cut this navigation short: then it is tried again, at most three times in all."""
    from playwright.async_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            await page.goto(url, timeout=LOAD_TIMEOUT_MS)
            return
        except PlaywrightError as error:
            if "interrupted by another navigation" not in str(error) or attempt == 2:
                raise
            await page.wait_for_timeout(250)
