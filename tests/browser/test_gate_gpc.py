"""Global Privacy Control, gate side: sale-or-share categories refused without asking."""

from __future__ import annotations

FRAME = "iframe[data-crumb-frame]"
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
GPC_OFF = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => false})"


def only_sale_or_share_optional(policy) -> None:
    """Keep the required categories and marketing (sale_or_share = true in the demo policy)."""
    policy["categories"] = [c for c in policy["categories"] if c.get("required") or c["id"] == "marketing"]
    kept = {c["id"] for c in policy["categories"]}
    policy["services"] = [s for s in policy["services"] if s["category"] in kept]
    services = {s["id"] for s in policy["services"]}
    policy["storage"] = [row for row in policy["storage"]
                         if row.get("category") in kept or row.get("service") in services]


def marketing_page(third_party) -> str:
    return (f'<a href="#" id="settings" data-crumb-open>Cookie settings</a>'
            f'<script type="text/plain" data-category="marketing" data-service="adpixel"'
            f' src="{third_party.script("ads")}"></script>'
            f'<img data-category="marketing" data-service="adpixel" data-src="{third_party.pixel("pixel")}" alt="">')


async def gpc_visitor(new_visitor, signal: str = GPC_ON):
    visitor = await new_visitor()
    await visitor.context.add_init_script(signal)
    return visitor


def receipt_posted(response) -> bool:
    return response.url.endswith("/consents") and response.request.method == "POST"


async def test_the_signal_with_only_sale_or_share_categories_refuses_them_without_a_banner(
        new_visitor, host_site, third_party, crumb):
    crumb.write_policy(only_sale_or_share_optional)
    await crumb.restart()
    visitor = await gpc_visitor(new_visitor)
    async with visitor.page.expect_response(receipt_posted) as posted:
        await visitor.goto(host_site.page(marketing_page(third_party)))
    assert (await posted.value).status == 201
    await visitor.page.wait_for_load_state("load")
    assert await visitor.page.locator(FRAME).count() == 0
    consent = await visitor.consent()
    assert (consent["how"], consent["cats"], consent["svcs"]) == ("gpc", ["necessary"], [])
    assert await visitor.page.evaluate("crumb.consent().how") == "gpc"
    receipts = await visitor.page.evaluate(
        "async url => (await fetch(url)).json()", f"{crumb.origin}/api/v1/sites/demo/consents/{consent['id']}")
    [receipt] = receipts["receipts"]
    assert (receipt["method"], receipt["categories"], receipt["services"], receipt["page"]) == (
        "gpc", ["necessary"], [], host_site.origin + "/")
    assert third_party.requests == []


async def test_the_signal_with_other_optional_categories_shows_the_banner_and_marketing_never_loads(
        new_visitor, host_site, third_party):
    visitor = await gpc_visitor(new_visitor)
    await visitor.goto(host_site.page(
        marketing_page(third_party) +
        f'<script type="text/plain" data-category="analytics" src="{third_party.script("stats")}"></script>'))
    await visitor.decide("Accept all")
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('stats')")
    consent = await visitor.consent()
    assert consent["how"] == "gpc" and "marketing" not in consent["cats"] and "analytics" in consent["cats"]
    assert third_party.paths() == ["/s/stats.js"]


async def test_without_the_signal_the_banner_asks_as_usual(new_visitor, host_site, third_party, crumb):
    crumb.write_policy(only_sale_or_share_optional)
    await crumb.restart()
    visitor = await gpc_visitor(new_visitor, GPC_OFF)
    await visitor.goto(host_site.page(marketing_page(third_party)))
    await visitor.decide("Accept all")
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('ads')")
    assert (await visitor.consent())["how"] == "accept_all"


async def test_a_policy_that_ignores_the_signal_asks_as_usual(new_visitor, host_site, third_party, crumb):
    crumb.write_policy(only_sale_or_share_optional, gpc="ignore")
    await crumb.restart()
    visitor = await gpc_visitor(new_visitor)
    await visitor.goto(host_site.page(marketing_page(third_party)))
    await visitor.decide("Accept all")
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('ads')")
    assert (await visitor.consent())["how"] == "accept_all"


async def test_a_later_explicit_choice_replaces_the_signal_decision(new_visitor, host_site, third_party, crumb):
    crumb.write_policy(only_sale_or_share_optional)
    await crumb.restart()
    visitor = await gpc_visitor(new_visitor)
    async with visitor.page.expect_response(receipt_posted):
        await visitor.goto(host_site.page(marketing_page(third_party)))
    gpc_id = (await visitor.consent())["id"]
    await visitor.page.click("#settings")
    frame = await visitor.wait_for_banner("Save my choices")
    await frame.get_by_label("Allow Marketing").check()
    await frame.get_by_role("button", name="Save my choices").click()
    await visitor.wait_for_no_frame()
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('ads')")
    consent = await visitor.consent()
    assert (consent["how"], consent["cats"], consent["id"]) == ("custom", ["necessary", "marketing"], gpc_id)
    visitor.requests.clear()
    await visitor.goto(host_site.origin + "/")
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('ads')")
    assert visitor.requests_to(crumb.origin) == [crumb.gate_url]  # no new gpc decision, no receipt
