"""Withdrawing consent deletes the named first-party cookies and storage, reloading only if needed."""

from __future__ import annotations

ANALYTICS_WRITES_STORAGE = """
<script type="text/plain" data-category="analytics" data-service="statly">
  document.cookie = "_st_id=1; path=/";
  document.cookie = "_st_ses_4711=1; path=/";
  localStorage.setItem("statly_queue", "[]");
  window.analyticsRan = true;
</script>
<script type="text/plain" data-category="preferences">
  localStorage.setItem("invoice_layout", "compact");
  sessionStorage.setItem("draft_invoice", "{}");
  document.cookie = "currency=EUR; path=/";
</script>
<script>document.cookie = "session_id=s3cret; path=/"; localStorage.setItem("unrelated", "kept");</script>
"""


async def storage(visitor) -> dict:
    return await visitor.page.evaluate(
        "({local: Object.keys(localStorage).sort(), session: Object.keys(sessionStorage).sort()})")


async def test_rejecting_what_ran_deletes_its_cookies_and_storage_and_reloads(visitor, host_site):
    await visitor.give_consent(["necessary", "preferences", "analytics"], ["statly"])
    await visitor.goto(host_site.page(ANALYTICS_WRITES_STORAGE))
    await visitor.page.wait_for_function("window.analyticsRan === true")
    assert {"_st_id", "_st_ses_4711", "currency"} <= set(await visitor.cookies())
    async with visitor.page.expect_navigation():
        await visitor.page.evaluate("crumb.rejectAll()")
    cookies = await visitor.cookies()
    assert not {"_st_id", "_st_ses_4711", "currency"} & set(cookies)
    assert "session_id" in cookies  # necessary: never withdrawn
    assert await storage(visitor) == {"local": ["unrelated"], "session": []}
    assert await visitor.page.evaluate("window.analyticsRan") is None  # reloaded, and asleep now


async def test_withdrawing_what_never_ran_on_this_page_deletes_without_reloading(visitor, host_site):
    await visitor.give_consent(["necessary", "preferences", "analytics"], ["statly"])
    await visitor.context.add_cookies([
        {"name": name, "value": "1", "url": host_site.origin + "/"} for name in ("_st_id", "_st_ses_9", "currency")])
    await visitor.goto(host_site.page("<p>No trackers on this page.</p>"))
    await visitor.wait_for_gate()
    await visitor.page.evaluate("window.stillHere = true; crumb.rejectAll()")
    # Deleting is the gate's UI chunk's job, fetched now: wait for it, then see nothing reloaded.
    await visitor.page.wait_for_function("!/(^|; )(_st_id|_st_ses_9|currency)=/.test(document.cookie)")
    assert await visitor.page.evaluate("window.stillHere") is True
    assert not {"_st_id", "_st_ses_9", "currency"} & set(await visitor.cookies())
