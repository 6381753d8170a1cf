"""Nothing reaches the third party before consent, whatever the consent cookie holds."""

from __future__ import annotations

import json
import urllib.parse

import pytest

FRAME = "iframe[data-crumb-frame]"


def sleeping_page(third_party) -> str:
    """One of each kind of sleeping element, then a necessary script marking the end."""
    return f"""
      <script type="text/plain" data-category="analytics" data-service="statly" src="{third_party.script('stats')}"></script>
      <script type="text/plain" data-category="analytics">window.inlineAnalyticsRan = true;</script>
      <iframe data-category="marketing" data-service="vidtube" data-src="{third_party.frame('video')}"></iframe>
      <img data-category="marketing" data-service="adpixel" data-src="{third_party.pixel('pixel')}" alt="">
      <script type="text/plain" data-category="necessary">window.sleepersDone = true;</script>
    """


async def visit_and_settle(visitor, url: str) -> None:
    """Load the page and wait until the gate has gone through every sleeping element."""
    await visitor.goto(url)
    await visitor.page.wait_for_function("window.sleepersDone === true")
    await visitor.page.wait_for_load_state("load")


async def assert_nothing_reached_the_third_party(visitor, third_party) -> None:
    assert visitor.requests_to(third_party.origin) == []
    assert third_party.requests == []
    assert await visitor.page.evaluate("window.inlineAnalyticsRan === undefined")


async def test_first_visit_sends_nothing_to_the_third_party_and_asks(visitor, host_site, third_party, crumb):
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)
    src = await visitor.page.locator(FRAME).get_attribute("src")
    url = urllib.parse.urlsplit(src)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{crumb.origin}/sites/demo/widget"
    # ask=1: a visitor who must decide, counted as a banner shown (README, "Statistics").
    assert urllib.parse.parse_qs(url.query) == {"lang": ["en"], "mode": ["banner"], "origin": [host_site.origin],
                                                "ask": ["1"]}


async def test_after_reject_all_nothing_reaches_the_third_party(visitor, host_site, third_party):
    url = host_site.page(sleeping_page(third_party))
    await visit_and_settle(visitor, url)
    await visitor.page.evaluate("crumb.rejectAll()")
    await visit_and_settle(visitor, url)
    await assert_nothing_reached_the_third_party(visitor, third_party)
    assert (await visitor.consent())["how"] == "reject_all"
    assert await visitor.page.locator(FRAME).count() == 0


async def test_an_outdated_revision_sends_nothing_and_asks_again(visitor, host_site, third_party, crumb):
    await visitor.give_consent(["necessary", "analytics", "marketing"], ["statly", "vidtube", "adpixel"],
                               "accept_all", revision=crumb.policy["revision"])
    crumb.bump_revision()
    await crumb.restart()
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)
    assert await visitor.page.locator(FRAME).count() == 1
    assert await visitor.page.evaluate("crumb.consent()") is None


@pytest.mark.parametrize("kind", ["not JSON", "truncated", "malformed percent escape", "bare true"])
async def test_a_corrupt_consent_cookie_sends_nothing_and_asks_again(visitor, host_site, third_party, kind):
    raw = {"not JSON": "yes-please", "truncated": "%7B%22v%22%3A1%2C%22id",
           "malformed percent escape": "%E0%A4%A", "bare true": "true"}[kind]
    await visitor.set_consent_cookie(raw)
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)
    assert await visitor.page.locator(FRAME).count() == 1


async def test_a_forged_cookie_naming_categories_the_policy_lacks_sends_nothing(visitor, host_site, third_party):
    await visitor.give_consent(["necessary", "analytics", "marketing", "everything"], ["statly", "vidtube", "adpixel"])
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)
    assert await visitor.page.evaluate("crumb.consent()") is None


async def test_an_expired_consent_sends_nothing(visitor, host_site, third_party):
    await visitor.give_consent(["necessary", "analytics", "marketing"], ["statly", "vidtube", "adpixel"],
                               expires_in=-60)
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)


async def test_a_consent_with_the_wrong_version_sends_nothing(visitor, host_site, third_party, crumb):
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    raw = (await visitor.cookies())["crumb_consent"]
    consent = json.loads(urllib.parse.unquote(raw))
    consent["v"] = 2
    await visitor.set_consent_cookie(urllib.parse.quote(json.dumps(consent, separators=(",", ":"))))
    await visit_and_settle(visitor, host_site.page(sleeping_page(third_party)))
    await assert_nothing_reached_the_third_party(visitor, third_party)
