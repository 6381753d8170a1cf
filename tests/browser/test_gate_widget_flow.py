"""The gate and the real widget together: decisions made in the frame, as a visitor makes them."""

from __future__ import annotations

FRAME = "iframe[data-crumb-frame]"


def sleeping_page(third_party) -> str:
    return f"""
      <a href="#" id="settings" data-crumb-open>Cookie settings</a>
      <script type="text/plain" data-category="analytics" data-service="statly" src="{third_party.script('one')}"></script>
      <script type="text/plain" data-category="analytics">window.thirdParty.push("inline-two");</script>
      <script type="text/plain" data-category="marketing" data-service="adpixel" data-src="{third_party.script('three')}"></script>
      <iframe data-category="marketing" data-service="vidtube" data-src="{third_party.frame('video')}"></iframe>
      <img data-category="marketing" data-service="adpixel" data-src="{third_party.pixel('pixel')}" alt="">
    """


async def test_accept_all_in_the_banner_wakes_every_sleeper_once_scripts_in_order(visitor, host_site, third_party):
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.wait_for_banner()
    assert third_party.requests == []
    await visitor.decide("Accept all")
    await visitor.page.wait_for_function("(window.thirdParty || []).length === 3")
    await visitor.page.frame_locator("iframe[data-service=vidtube]").get_by_text("video").wait_for()
    assert await visitor.third_party_ran() == ["one", "inline-two", "three"]
    assert sorted(third_party.paths()) == ["/f/video.html", "/p/pixel.gif", "/s/one.js", "/s/three.js"]
    consent = await visitor.consent()
    assert (consent["how"], consent["cats"]) == ("accept_all", ["necessary", "preferences", "analytics", "marketing"])


async def test_reject_all_in_the_banner_loads_nothing_now_or_on_the_return_visit(visitor, host_site, third_party, crumb):
    url = host_site.page(sleeping_page(third_party))
    await visitor.goto(url)
    await visitor.decide("Reject all")
    assert (await visitor.consent())["how"] == "reject_all"
    visitor.requests.clear()
    await visitor.goto(url)
    await visitor.wait_for_gate()
    await visitor.page.wait_for_load_state("load")
    assert await visitor.page.locator(FRAME).count() == 0
    # The gate, and its UI chunk for the blocked video's placeholder: no frame, no widget.
    assert visitor.requests_to(crumb.origin) == [crumb.gate_url, f"{crumb.origin}/sites/demo/gate-ui.js"]
    assert third_party.requests == []


async def test_a_custom_choice_without_marketing_wakes_only_analytics(visitor, host_site, third_party):
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.choose_in_preferences("Allow Analytics")
    await visitor.page.wait_for_function("(window.thirdParty || []).length === 2")
    assert await visitor.third_party_ran() == ["one", "inline-two"]
    assert third_party.paths() == ["/s/one.js"]
    assert (await visitor.consent())["cats"] == ["necessary", "analytics"]


async def test_preferences_from_the_banner_take_the_whole_viewport_and_make_the_page_inert(visitor, host_site, third_party):
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.wait_for_banner()
    await visitor.click_in_frame("Preferences")
    await visitor.page.locator("iframe[data-crumb-frame=preferences]").wait_for()
    box = await visitor.page.locator(FRAME).bounding_box()
    assert (box["width"], box["height"]) == (1280, 720)
    assert await visitor.page.evaluate("document.getElementById('settings').closest('[inert]') !== null")


async def test_an_outdated_revision_asks_again_saying_the_policy_changed(visitor, host_site, third_party, crumb):
    await visitor.give_consent(["necessary", "analytics", "marketing"], ["statly", "adpixel", "vidtube"], "accept_all")
    crumb.bump_revision()
    await crumb.restart()
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    frame = await visitor.wait_for_banner()
    await frame.get_by_text("Our cookie policy has changed since your last visit").wait_for()
    assert third_party.requests == []


async def test_withdrawing_analytics_in_preferences_deletes_its_storage_and_reloads(visitor, host_site, third_party):
    third_party.scripts["one"] = ('document.cookie = "_st_id=1; path=/"; localStorage.setItem("statly_queue", "[]");'
                                  ' (window.thirdParty = window.thirdParty || []).push("one");')
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.page.wait_for_function("(window.thirdParty || []).length === 2")
    assert "_st_id" in await visitor.cookies()
    await visitor.page.click("#settings")
    frame = await visitor.wait_for_banner("Save my choices")
    await frame.get_by_label("Allow Analytics").uncheck()
    async with visitor.page.expect_navigation():
        await frame.get_by_role("button", name="Save my choices").click()
    assert "_st_id" not in await visitor.cookies()
    assert await visitor.page.evaluate("localStorage.getItem('statly_queue')") is None
    assert (await visitor.consent())["cats"] == ["necessary"]


async def test_focus_returns_to_the_link_that_opened_the_preferences(visitor, host_site, third_party):
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.wait_for_gate()
    await visitor.page.focus("#settings")
    await visitor.page.keyboard.press("Enter")
    frame = await visitor.wait_for_banner("Save my choices")
    await frame.get_by_role("button", name="Save my choices").click()
    await visitor.wait_for_no_frame()
    assert await visitor.page.evaluate("document.activeElement.id") == "settings"


async def test_the_banner_frame_takes_the_height_the_widget_reports(visitor, host_site, third_party):
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    frame = await visitor.wait_for_banner()
    content = await frame.locator("#crumb-root").bounding_box()
    await visitor.page.wait_for_function(
        f"Math.abs(document.querySelector('{FRAME}').getBoundingClientRect().height - {content['height']}) < 2")
    box = await visitor.page.locator(FRAME).bounding_box()
    assert (box["x"], box["width"], round(box["y"] + box["height"])) == (0, 1280, 720)


async def test_the_receipt_of_a_banner_decision_reaches_the_server_although_the_frame_closes(
        visitor, host_site, third_party, crumb):
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.wait_for_banner()
    async with visitor.page.expect_response(lambda r: r.url.endswith("/consents") and r.request.method == "POST") as info:
        await visitor.decide("Reject all")
    assert (await info.value).status == 201
    consent_id = (await visitor.consent())["id"]
    receipts = await visitor.page.evaluate(
        "async url => (await fetch(url)).json()", f"{crumb.origin}/api/v1/sites/demo/consents/{consent_id}")
    assert [r["method"] for r in receipts["receipts"]] == ["reject_all"]
