"""Statistics in Chromium: the gate's first-visit banner is counted, and the owner's dashboard
works without JavaScript, is axe-clean, and shows the counts."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from axe_playwright_python.async_playwright import Axe

from crumb.app import create_app
from crumb.appkeys import RECEIPTS, SHOWN_BANNERS
from crumb.receipts import Receipt, store_for
from crumb.receipts.receipt import new_receipt_id
from tests.browser.conftest import SITE, start_site
from tests.receipts.receipt_data import receipt_settings
from tests.receipts.stats_data import TOKEN, token_file
from tests.server_process import free_port

TODAY = dt.datetime.now(dt.timezone.utc).date()
CHOICES = (("accept_all", ("necessary", "analytics", "marketing"), ("plausible", "vidtube")),
           ("reject_all", ("necessary",), ()), ("custom", ("necessary", "analytics"), ("plausible",)),
           ("gpc", ("necessary",), ()))


async def test_a_first_visit_banner_is_counted_once_and_nothing_after_the_decision(visitor, host_site, crumb):
    url = host_site.page('<a href="#" id="settings" data-crumb-open>Cookie settings</a>')
    await visitor.goto(url)
    await visitor.decide("Accept all")
    await visitor.goto(url)
    await visitor.wait_for_gate()
    await visitor.page.click("#settings")  # the preferences, opened by a visitor who has decided
    await visitor.page.locator("iframe[data-crumb-frame=preferences]").wait_for()
    asked = [u for u in visitor.requests_to(crumb.origin) if "/widget?" in u and "ask=1" in u]
    assert len(asked) == 1 and "mode=banner" in asked[0]
    await crumb.app[SHOWN_BANNERS].write(crumb.app[RECEIPTS])
    days, _ = await crumb.app[RECEIPTS].stats(SITE, TODAY, TODAY)
    assert sum(row[2] for row in days) == 1


def fortnight() -> list[Receipt]:
    """A fortnight of decisions on the bakery, a few dozen a day, in two languages."""
    chance = random.Random(16)
    receipts = []
    for back in range(14):
        for _ in range(chance.randint(20, 40)):
            method, categories, services = chance.choices(CHOICES, weights=(5, 4, 2, 1))[0]
            at = dt.datetime.combine(TODAY - dt.timedelta(days=back), dt.time(12), dt.timezone.utc)
            receipts.append(Receipt(new_receipt_id(), at, "bakery", str(uuid.uuid4()), 4, "ab" * 32, categories,
                                    services, method, chance.choice(("en", "lt", "lt")),
                                    "https://bakery.example/"))
    return receipts


@pytest.fixture
async def dashboard(tmp_path):
    """A Crumb server for the bakery with a fortnight of decisions and an owner token file."""
    db_url = f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
    store = store_for(db_url)
    await store.open()
    await store.keep_policy_version("bakery", 4, "ab" * 32, "{}")
    for receipt in fortnight():
        await store.add(receipt, ("necessary",))
    await store.count_shown({("bakery", (TODAY - dt.timedelta(days=back)).isoformat(), language): 30 - back
                             for back in range(14) for language in ("en", "lt")})
    await store.close()
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    app = create_app(receipt_settings(db_url, admin_tokens_file=token_file(tmp_path), public_url=origin))
    runner = await start_site(app, "127.0.0.1", port)
    yield origin
    await runner.cleanup()


async def test_the_dashboard_works_without_javascript_from_login_to_a_date_range(browser, dashboard):
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{dashboard}/admin/sites/bakery")
    assert await page.locator("svg").count() == 0
    await page.fill("#token", TOKEN)
    await page.click("button[type=submit]")
    await page.locator("dl.totals").wait_for()
    start = (TODAY - dt.timedelta(days=6)).isoformat()
    await page.fill("#from", start)
    await page.click("form.range button")
    await page.wait_for_url(f"**from={start}**")
    rows = await page.locator("section:has(#decisions-title) tbody tr").count()
    assert rows == 7
    await page.click("text=Sign out")
    await page.locator("#token").wait_for()
    await context.close()


async def test_the_login_form_and_the_dashboard_have_no_accessibility_violations(browser, dashboard):
    context = await browser.new_context(viewport={"width": 1100, "height": 1400})
    page = await context.new_page()
    await page.goto(f"{dashboard}/admin/sites/bakery")
    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    await page.fill("#token", TOKEN)
    await page.click("button[type=submit]")
    await page.locator("dl.totals").wait_for()
    for summary in await page.locator("summary").all():
        await summary.click()  # the tables open too, so axe checks them
    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for summary in await page.locator("summary").all():
        await summary.click()
    await page.screenshot(path="/tmp/dashboard.png", full_page=True)
    await context.close()
