"""window.crumb: the early-call queue, decisions by API, and the events on document."""

from __future__ import annotations

import asyncio

FRAME = "iframe[data-crumb-frame]"
RECORD_EVENTS = """
<script>
  window.events = [];
  for (const name of ['crumb:consent', 'crumb:change', 'crumb:shown', 'crumb:hidden'])
    document.addEventListener(name, e => window.events.push([name, e.detail]));
</script>
"""


async def test_calls_queued_before_the_gate_loaded_run_once_it_has(visitor, host_site):
    await visitor.goto(host_site.page(
        "<script>window.crumb = window.crumb || [];"
        " crumb.push(api => { window.sawApi = typeof api.accepted; });"
        " crumb.push(['acceptAll']);</script>"))
    await visitor.page.wait_for_function("window.sawApi === 'function'")
    assert (await visitor.consent())["how"] == "accept_all"
    assert await visitor.page.evaluate("crumb.accepted('marketing') && crumb.accepted('vidtube')")


async def test_push_after_loading_runs_at_once(visitor, host_site):
    await visitor.goto(host_site.page(""))
    await visitor.wait_for_gate()
    assert await visitor.page.evaluate("crumb.push(['accepted', 'necessary'])") is True


async def test_accept_all_by_api_writes_the_consent_cookie_as_design_says(visitor, host_site, crumb):
    await visitor.goto(host_site.page(""))
    await visitor.wait_for_gate()
    await visitor.page.evaluate("crumb.acceptAll()")
    consent = await visitor.consent()
    assert list(consent) == ["v", "id", "rev", "cats", "svcs", "at", "exp", "how"]
    assert consent["cats"] == ["necessary", "preferences", "analytics", "marketing"]
    assert consent["svcs"] == ["statly", "adpixel", "vidtube"]
    assert consent["exp"] - consent["at"] == crumb.policy["consent_days"] * 86400
    cookie = next(c for c in await visitor.context.cookies(host_site.origin) if c["name"] == "crumb_consent")
    assert cookie["sameSite"] == "Lax" and cookie["path"] == "/" and not cookie["secure"]
    assert cookie["domain"] == "localhost"  # host-only: no cookie_domain in the policy


async def test_reject_all_keeps_only_required_categories_for_the_refusal_lifetime(visitor, host_site, crumb):
    crumb.write_policy(refusal_days=30)
    await crumb.restart()
    await visitor.goto(host_site.page(""))
    await visitor.wait_for_gate()
    await visitor.page.evaluate("crumb.rejectAll()")
    consent = await visitor.consent()
    assert (consent["cats"], consent["svcs"], consent["how"]) == (["necessary"], [], "reject_all")
    assert consent["exp"] - consent["at"] == 30 * 86400
    assert await visitor.page.evaluate("crumb.consent()") == consent


async def test_consent_is_null_before_a_decision_and_required_categories_count_as_accepted(visitor, host_site):
    await visitor.goto(host_site.page(""))
    await visitor.wait_for_gate()
    assert await visitor.page.evaluate("[crumb.consent(), crumb.accepted('necessary'), crumb.accepted('analytics')]") \
        == [None, True, False]


async def test_a_decision_fires_consent_then_change_with_accepted_and_rejected(visitor, host_site):
    await visitor.goto(host_site.page(RECORD_EVENTS))
    await visitor.page.locator(FRAME).wait_for()  # the banner is open: the decision closes it
    await visitor.page.evaluate("window.events = []; crumb.rejectAll()")
    events = await visitor.page.evaluate("window.events")
    assert [name for name, _ in events] == ["crumb:hidden", "crumb:consent", "crumb:change"]
    assert events[1][1]["how"] == "reject_all"
    assert events[2][1] == {"accepted": ["necessary"],
                            "rejected": ["preferences", "analytics", "marketing", "statly", "adpixel", "vidtube"]}


async def test_every_page_view_with_valid_consent_fires_crumb_consent(visitor, host_site):
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(RECORD_EVENTS))
    await visitor.page.wait_for_function("window.events.length > 0")
    events = await visitor.page.evaluate("window.events")
    assert [name for name, _ in events] == ["crumb:consent"]
    assert events[0][1]["cats"] == ["necessary", "analytics"]


async def test_show_preferences_opens_the_frame_full_viewport_with_the_page_inert(visitor, host_site, crumb):
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(host_site.page(RECORD_EVENTS + "<main id='content'><button id='mine'>Mine</button></main>"))
    await visitor.wait_for_gate()
    await visitor.page.focus("#mine")
    await visitor.page.evaluate("crumb.showPreferences()")
    frame = visitor.page.locator(FRAME)
    assert await frame.get_attribute("data-crumb-frame") == "preferences"
    assert "mode=preferences" in await frame.get_attribute("src")
    box = await frame.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 1280, 720)
    assert await visitor.page.evaluate("document.getElementById('content').inert") is True
    assert await visitor.page.evaluate("window.events.map(e => e[0])") == ["crumb:consent", "crumb:shown"]


async def test_cookie_settings_links_open_the_preferences(visitor, host_site):
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(host_site.page('<footer><a href="#" data-crumb-open><span>Cookie settings</span></a></footer>'))
    await visitor.wait_for_gate()
    await visitor.page.click("text=Cookie settings")
    assert await visitor.page.locator(FRAME).get_attribute("data-crumb-frame") == "preferences"


async def test_the_floating_settings_button_appears_when_the_policy_asks_for_it(visitor, host_site, crumb):
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(host_site.page(""))
    button = visitor.page.locator("button[data-crumb-settings]")
    await button.wait_for()
    assert await button.text_content() == "Cookie settings"
    box = await button.bounding_box()
    assert box["x"] + box["width"] == 1280 - 16  # settings_button = "right" in the demo policy
    await button.click()
    assert await visitor.page.locator(FRAME).get_attribute("data-crumb-frame") == "preferences"
    assert await button.count() == 0  # hidden while the frame is open


async def test_no_settings_button_when_the_policy_says_none(visitor, host_site, crumb):
    crumb.write_policy(settings_button="none")
    await crumb.restart()
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(host_site.page("<script>crumb = []; crumb.push(() => window.gateRan = true)</script>"))
    await visitor.page.wait_for_function("window.gateRan === true")
    assert await visitor.page.locator("button[data-crumb-settings]").count() == 0


async def test_a_policy_with_only_required_categories_asks_nothing(visitor, host_site, crumb):
    crumb.write_only_required()
    await crumb.restart()
    await visitor.goto(host_site.page("<script>crumb = []; crumb.push(() => window.gateRan = true)</script>"))
    await visitor.page.wait_for_function("window.gateRan === true")
    await visitor.page.wait_for_load_state("load")
    assert await visitor.page.locator(FRAME).count() == 0


async def test_the_frame_uses_the_html_lang_when_no_language_was_chosen(visitor, host_site):
    await visitor.goto(host_site.page("", lang="pt-BR"))
    assert "lang=pt&" in await visitor.page.locator(FRAME).get_attribute("src")


async def test_the_language_cookie_wins_over_the_html_lang(visitor, host_site):
    await visitor.context.add_cookies([{"name": "crumb_lang", "value": "lt", "url": host_site.origin + "/"}])
    await visitor.goto(host_site.page("", lang="pt"))
    assert "lang=lt&" in await visitor.page.locator(FRAME).get_attribute("src")


async def test_the_browser_language_is_used_when_the_page_has_none(new_visitor, host_site):
    visitor = await new_visitor(locale="pt-PT")
    await visitor.goto(host_site.page("", lang=""))
    assert "lang=pt&" in await visitor.page.locator(FRAME).get_attribute("src")


async def test_a_bad_queued_call_is_reported_and_the_next_one_still_runs(visitor, host_site):
    errors = []
    visitor.page.on("pageerror", lambda error: errors.append(str(error)))
    await visitor.goto(host_site.page(
        "<script>window.crumb = [['noSuchMethod'], ['acceptAll']];</script>"
        "<script type='text/plain' data-category='analytics'>window.woke = true;</script>"))
    await visitor.page.wait_for_function("window.woke === true")
    assert (await visitor.consent())["how"] == "accept_all"
    assert len(errors) == 1


async def test_a_gate_embedded_twice_opens_one_frame_and_one_api(visitor, host_site, crumb):
    await visitor.goto(host_site.page(
        f'<script src="{crumb.gate_url}" async></script>'
        "<script>crumb = []; crumb.push(api => { window.firstApi = api; });</script>"))
    await visitor.page.wait_for_function("window.firstApi !== undefined")
    await visitor.page.wait_for_load_state("load")
    assert await visitor.page.locator(FRAME).count() == 1
    assert await visitor.page.evaluate("window.crumb === window.firstApi")


async def banner_frame_box(visitor, host_site, crumb, position: str) -> dict:
    """Where the banner's frame sits on a first visit under a policy with this theme position."""
    crumb.write_policy(lambda policy: policy["theme"].update(position=position))
    await crumb.restart()
    await visitor.goto(host_site.page(""))
    await visitor.page.locator(FRAME).wait_for()
    return await visitor.page.locator(FRAME).bounding_box()


async def test_a_box_theme_puts_the_banner_frame_in_the_bottom_corner(visitor, host_site, crumb):
    box = await banner_frame_box(visitor, host_site, crumb, "box-left")
    assert (box["x"], box["width"], box["y"] + box["height"]) == (16, 420, 720 - 16)


async def test_a_modal_theme_centres_the_banner_frame(visitor, host_site, crumb):
    box = await banner_frame_box(visitor, host_site, crumb, "modal")
    assert (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["width"]) == (640, 360, 560)


async def test_a_decision_made_while_the_ui_chunk_is_on_its_way_leaves_no_banner(visitor, host_site):
    requested, release = asyncio.Event(), asyncio.Event()

    async def hold(route):
        requested.set()
        await release.wait()
        await route.continue_()

    await visitor.page.route("**/gate-ui.js", hold)
    await visitor.page.goto(host_site.page(""), wait_until="commit")
    await requested.wait()  # the gate asked for the chunk to show the banner
    # The decision is made in the chunk (README, "JavaScript API"): acceptAll() returns a promise
    # that settles once the chunk has run, so it is not awaited before the chunk may arrive.
    await visitor.page.evaluate("window.decided = crumb.acceptAll(); 0")
    release.set()
    await visitor.page.evaluate("window.decided")
    assert await visitor.page.locator(FRAME).count() == 0
    assert (await visitor.consent())["how"] == "accept_all"
