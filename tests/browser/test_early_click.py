"""A visitor who clicks the banner the moment it appears is never ignored: the frame stays
invisible until its boot script records clicks, and a recorded click is handled."""

from __future__ import annotations

import asyncio

FRAME = "iframe[data-crumb-frame]"


async def test_the_banner_stays_invisible_until_it_can_record_a_click(visitor, host_site):
    held = asyncio.get_running_loop().create_future()
    released = asyncio.Event()

    async def hold_stylesheet(route):
        held.set_result(True)
        await released.wait()
        await route.continue_()

    # The boot script is inline in the frame page, after the stylesheet: the browser runs it
    # only once the stylesheet is there, so holding that holds the boot script.
    await visitor.page.route("**/static/dist/widget.*.css", hold_stylesheet)
    await visitor.page.goto(host_site.page("<p>Shop</p>"), wait_until="commit")
    await held  # the frame page is there, its boot script has not run
    frame = visitor.page.locator(FRAME)
    await frame.wait_for(state="attached")
    assert await frame.evaluate("f => getComputedStyle(f).visibility") == "hidden"
    released.set()
    await frame.wait_for(state="visible")


async def test_a_click_the_moment_the_banner_shows_is_handled(visitor, host_site):
    await visitor.page.goto(host_site.page("<p>Shop</p>"), wait_until="commit")
    await visitor.page.locator(FRAME).wait_for(state="visible")
    await visitor.frame().get_by_role("button", name="Reject all").click()
    await visitor.wait_for_no_frame()
    assert (await visitor.consent())["how"] == "reject_all"
