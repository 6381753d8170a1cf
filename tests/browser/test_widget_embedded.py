"""The widget embedded through the gate on a host page of another origin, in Chromium."""

from __future__ import annotations

import asyncio

from tests.browser.conftest import FRAME_SELECTOR, SITE


async def host_page(host_site, visitor, **page_options) -> None:
    await visitor.goto(host_site.page("<h1>Invoices</h1><a href='#' data-crumb-open>Cookie settings</a>",
                                      **page_options))


async def test_the_banner_shows_through_the_gate_and_python_takes_it_over(host_site, visitor):
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner()
    await frame.locator("body[data-crumb-ready]").wait_for(state="attached")
    height = await visitor.page.locator(FRAME_SELECTOR).evaluate("f => f.getBoundingClientRect().height")
    content = await frame.locator(".crumb-banner").evaluate("b => b.getBoundingClientRect().height")
    assert abs(height - content) <= 1  # sized by the widget's `resize`


async def test_keyboard_only_accept_all_through_the_gate(host_site, visitor):
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner()
    await frame.locator("body[data-crumb-ready]").wait_for(state="attached")
    focused = frame.locator("body")
    for _ in range(10):
        await visitor.page.keyboard.press("Tab")
        if await focused.evaluate("b => document.activeElement.getAttribute('data-crumb-action')") == "accept_all":
            break
    await visitor.page.keyboard.press("Enter")
    await visitor.wait_for_no_frame()
    assert (await visitor.consent())["how"] == "accept_all"


async def test_an_early_click_through_the_gate_decides(host_site, visitor):
    released = asyncio.Event()

    async def hold(route):
        await released.wait()
        await route.continue_()

    await visitor.context.route("**/static/dist/brython.*", hold)
    # Not waiting for `load`: the held runtime keeps the frame, and so the page, loading.
    await visitor.page.goto(host_site.page("<h1>Invoices</h1>"), wait_until="commit")
    await visitor.wait_for_banner("Reject all")
    await visitor.click_in_frame("Reject all")
    released.set()
    await visitor.wait_for_no_frame()
    consent = await visitor.consent()
    assert consent["how"] == "reject_all" and consent["cats"] == ["necessary"]


async def test_the_receipt_is_stored_for_the_consent_the_gate_wrote(crumb, host_site, visitor):
    await host_page(host_site, visitor)
    await visitor.decide("Accept all")
    consent = await visitor.consent()
    url = f"{crumb.origin}/api/v1/sites/{SITE}/consents/{consent['id']}"
    response = await visitor.page.wait_for_function(
        "async url => { const answer = await fetch(url); return answer.ok && answer.json(); }", arg=url)
    receipts = await response.json_value()
    listed = receipts["receipts"] if isinstance(receipts, dict) else receipts
    assert listed and listed[0]["method"] == "accept_all"
    assert listed[0]["page"] == host_site.origin + "/"


async def test_the_policy_changed_line_shows_for_a_consent_on_an_older_revision(crumb, host_site, visitor):
    crumb.bump_revision()
    await crumb.restart()
    await visitor.give_consent(["necessary", "analytics"], revision=crumb.policy["revision"] - 1)
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner()
    await frame.get_by_text("Our cookie policy has changed since your last visit.", exact=False).wait_for()


async def test_the_language_choice_survives_a_reload(host_site, visitor):
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner("Preferences")
    await frame.locator("body[data-crumb-ready]").wait_for(state="attached")
    await visitor.click_in_frame("Preferences")
    await frame.get_by_label("Language").select_option("lt")
    await frame.get_by_role("dialog", name="Slapukų nuostatos").wait_for()
    await visitor.page.wait_for_function("document.cookie.includes('crumb_lang=lt')")
    await visitor.page.reload()
    frame = await visitor.wait_for_banner("Priimti visus")
    assert await frame.locator("html").get_attribute("lang") == "lt"


async def test_the_language_chosen_on_the_banner_is_remembered(host_site, visitor):
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner("Preferences")
    await frame.locator("body[data-crumb-ready]").wait_for(state="attached")
    await frame.locator(".crumb-banner").get_by_label("Language").select_option("lt")
    await frame.get_by_role("button", name="Priimti visus").wait_for()
    await visitor.page.wait_for_function("document.cookie.includes('crumb_lang=lt')")
    await visitor.page.reload()
    frame = await visitor.wait_for_banner("Priimti visus")
    assert await frame.locator(".crumb-banner").get_by_label("Kalba").input_value() == "lt"


async def test_preferences_open_on_demand_when_only_required_categories_exist(crumb, host_site, visitor):
    crumb.write_only_required()
    await crumb.restart()
    await host_page(host_site, visitor)
    await visitor.wait_for_gate()
    assert await visitor.page.locator(FRAME_SELECTOR).count() == 0
    await visitor.page.get_by_text("Cookie settings").first.click()
    frame = visitor.frame()
    await frame.get_by_role("dialog", name="Cookie preferences").wait_for()
    assert await frame.get_by_role("switch").count() == 0
    assert await frame.get_by_text("Always on", exact=True).count() == 1
    await frame.get_by_role("button", name="Close").last.click()  # the only button: nothing to refuse
    await visitor.wait_for_no_frame()


async def test_preferences_from_the_banner_cover_the_viewport_and_make_the_page_inert(host_site, visitor):
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner("Preferences")
    await frame.locator("body[data-crumb-ready]").wait_for(state="attached")
    await visitor.click_in_frame("Preferences")
    await frame.get_by_role("dialog", name="Cookie preferences").wait_for()
    await visitor.page.wait_for_function(
        "() => document.querySelector('iframe[data-crumb-frame]').getBoundingClientRect().height === innerHeight")
    assert await visitor.page.evaluate("document.querySelector('h1').closest('[inert]') !== null")


async def test_global_privacy_control_keeps_sale_or_share_categories_off_and_says_so(host_site, new_visitor):
    visitor = await new_visitor()
    await visitor.context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})")
    await host_page(host_site, visitor)
    frame = await visitor.wait_for_banner()
    await frame.get_by_text("Global Privacy Control signal", exact=False).wait_for()
    await visitor.click_in_frame("Accept all")
    await visitor.wait_for_no_frame()
    consent = await visitor.consent()
    assert consent["how"] == "gpc" and "marketing" not in consent["cats"] and "analytics" in consent["cats"]
