"""Blocked iframes show a placeholder: "Load once" and "Always allow {service}"."""

from __future__ import annotations

PLACEHOLDER = "[data-crumb-placeholder]"


def video_page(third_party, **attributes: str) -> str:
    extra = " ".join(f'{name}="{value}"' for name, value in attributes.items())
    return (f'<iframe data-category="marketing" data-service="vidtube" data-src="{third_party.frame("video")}"'
            f' width="400" height="225" {extra}></iframe>')


async def rejected_visit(visitor, url: str):
    await visitor.give_consent(["necessary"], [], "reject_all")
    await visitor.goto(url)
    await visitor.page.locator(PLACEHOLDER).first.wait_for()


async def test_a_blocked_iframe_shows_a_localized_placeholder_and_loads_nothing(visitor, host_site, third_party):
    await rejected_visit(visitor, host_site.page(video_page(third_party)))
    placeholder = visitor.page.locator(PLACEHOLDER)
    assert await placeholder.inner_text() == (
        "This content from VidTube is blocked because you have not allowed Marketing cookies.\n"
        "Load once\nAlways allow VidTube")
    assert await visitor.page.locator("iframe[data-service=vidtube]").is_hidden()
    assert third_party.requests == []


async def test_the_placeholder_speaks_the_page_language(visitor, host_site, third_party):
    await rejected_visit(visitor, host_site.page(video_page(third_party), lang="lt"))
    assert await visitor.page.get_by_role("button", name="Visada leisti „VidTube“").count() == 1


async def test_load_once_loads_that_embed_without_recording_consent(visitor, host_site, third_party):
    url = host_site.page(video_page(third_party))
    await rejected_visit(visitor, url)
    before = await visitor.consent()
    await visitor.page.get_by_role("button", name="Load once").click()
    await visitor.page.frame_locator("iframe[data-service=vidtube]").get_by_text("video").wait_for()
    assert third_party.paths() == ["/f/video.html"]
    assert await visitor.page.locator(PLACEHOLDER).count() == 0
    assert await visitor.consent() == before
    await visitor.goto(url)
    await visitor.page.locator(PLACEHOLDER).first.wait_for()
    assert third_party.paths() == ["/f/video.html"]  # once means once


async def test_always_allow_records_the_service_and_loads_its_embeds(visitor, host_site, third_party):
    url = host_site.page(video_page(third_party) + video_page(third_party, id="second"))
    await rejected_visit(visitor, url)
    assert await visitor.page.locator(PLACEHOLDER).count() == 2
    await visitor.page.get_by_role("button", name="Always allow VidTube").first.click()
    await visitor.page.frame_locator("#second").get_by_text("video").wait_for()
    consent = await visitor.consent()
    assert (consent["cats"], consent["svcs"], consent["how"]) == (["necessary"], ["vidtube"], "custom")
    await visitor.goto(url)
    await visitor.page.frame_locator("#second").get_by_text("video").wait_for()
    assert await visitor.page.locator(PLACEHOLDER).count() == 0


async def test_always_allow_keeps_the_visitors_consent_id_and_posts_a_receipt(visitor, host_site, third_party, crumb):
    await rejected_visit(visitor, host_site.page(video_page(third_party)))
    consent_id = (await visitor.consent())["id"]
    async with visitor.page.expect_response(lambda r: r.url.endswith("/consents") and r.request.method == "POST") as info:
        await visitor.page.get_by_role("button", name="Always allow VidTube").click()
    response = await info.value
    assert response.status == 201
    assert (await visitor.consent())["id"] == consent_id
    receipts = await visitor.page.evaluate(
        "async url => (await fetch(url)).json()", f"{crumb.origin}/api/v1/sites/demo/consents/{consent_id}")
    assert [(r["method"], r["services"]) for r in receipts["receipts"]] == [("custom", ["vidtube"])]


HOSTILE = '"><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


async def test_hostile_service_and_category_names_stay_text_in_the_placeholder(visitor, host_site, third_party,
                                                                              crumb):
    def hostile(policy):
        next(s for s in policy["services"] if s["id"] == "vidtube")["name"] = "Vid" + HOSTILE
        next(c for c in policy["categories"] if c["id"] == "marketing")["title"]["en"] = "Ads" + HOSTILE

    crumb.write_policy(hostile)
    await crumb.restart()
    dialogs: list[str] = []
    visitor.page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await rejected_visit(visitor, host_site.page(video_page(third_party)))
    placeholder = visitor.page.locator(PLACEHOLDER)
    assert HOSTILE in await placeholder.inner_text()
    assert await placeholder.locator("img, script").count() == 0
    assert await visitor.page.evaluate("window.pwned === undefined")
    assert dialogs == [] and third_party.requests == []
