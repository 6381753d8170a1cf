"""Waking sleeping elements for a returning visitor whose consent cookie is valid."""

from __future__ import annotations

ALL_CATEGORIES = ["necessary", "preferences", "analytics", "marketing"]
ALL_SERVICES = ["statly", "adpixel", "vidtube"]


def sleeping_page(third_party) -> str:
    """Scripts (external and inline, interleaved), an iframe and a pixel, all asleep."""
    return f"""
      <script type="text/plain" data-category="analytics" data-service="statly" src="{third_party.script('one')}"></script>
      <script type="text/plain" data-category="analytics">window.thirdParty.push("inline-two");</script>
      <script type="text/plain" data-category="marketing" data-service="adpixel" data-src="{third_party.script('three')}"></script>
      <iframe data-category="marketing" data-service="vidtube" data-src="{third_party.frame('video')}" width="320" height="180"></iframe>
      <img data-category="marketing" data-service="adpixel" data-src="{third_party.pixel('pixel')}" alt="">
      <script type="text/plain" data-category="necessary">window.sleepersDone = true;</script>
    """


async def test_returning_visitor_who_accepted_all_runs_each_script_once_in_document_order(
        visitor, host_site, third_party):
    await visitor.give_consent(ALL_CATEGORIES, ALL_SERVICES, "accept_all")
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.page.wait_for_function("window.sleepersDone === true")
    assert await visitor.third_party_ran() == ["one", "inline-two", "three"]
    assert sorted(third_party.paths()) == ["/f/video.html", "/p/pixel.gif", "/s/one.js", "/s/three.js"]


async def test_returning_visitor_gets_no_banner_and_no_crumb_request_but_the_gate(visitor, host_site, third_party, crumb):
    await visitor.give_consent(ALL_CATEGORIES, ALL_SERVICES, "accept_all")
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.page.wait_for_function("window.sleepersDone === true")
    await visitor.page.wait_for_load_state("load")
    assert visitor.requests_to(crumb.origin) == [crumb.gate_url]
    assert await visitor.page.locator("iframe[data-crumb-frame]").count() == 0


async def test_a_custom_choice_without_marketing_loads_no_marketing_element(visitor, host_site, third_party):
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.page.wait_for_function("window.sleepersDone === true")
    assert await visitor.third_party_ran() == ["one", "inline-two"]
    assert third_party.paths() == ["/s/one.js"]
    assert not [url for url in visitor.requests_to(third_party.origin) if "/f/" in url or "/p/" in url]


async def test_a_service_switched_off_stays_asleep_while_its_category_is_on(visitor, host_site, third_party):
    await visitor.give_consent(["necessary", "analytics", "marketing"], ["statly", "vidtube"])
    await visitor.goto(host_site.page(sleeping_page(third_party)))
    await visitor.page.wait_for_function("window.sleepersDone === true")
    assert await visitor.third_party_ran() == ["one", "inline-two"]
    assert sorted(third_party.paths()) == ["/f/video.html", "/s/one.js"]


async def test_woken_script_keeps_its_attributes_and_nonce_and_data_type_becomes_type(visitor, host_site, third_party):
    third_party.scripts["module"] = "window.thirdParty.push(import.meta.url.endsWith('module.js') ? 'module' : 'classic');"
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(
        '<script>window.thirdParty = [];</script>'
        f'<script type="text/plain" data-type="module" data-category="analytics" id="stats" class="tracker"'
        f' nonce="n0nce" data-src="{third_party.script("module")}"></script>'
        '<script type="text/plain" data-category="necessary">window.sleepersDone = true;</script>'))
    await visitor.page.wait_for_function("window.sleepersDone === true")
    woken = await visitor.page.evaluate(
        "(() => { const s = document.getElementById('stats');"
        " return {type: s.type, cls: s.className, nonce: s.nonce, category: s.dataset.category}; })()")
    assert woken == {"type": "module", "cls": "tracker", "nonce": "n0nce", "category": "analytics"}
    assert await visitor.third_party_ran() == ["module"]


async def test_elements_added_later_are_woken_when_consented_and_kept_asleep_otherwise(visitor, host_site, third_party):
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page("<main id='app'></main>"))
    await visitor.wait_for_gate()
    await visitor.page.evaluate(f"""() => {{
        const add = (html) => document.getElementById('app').insertAdjacentHTML('beforeend', html);
        add('<img data-category="marketing" data-src="{third_party.pixel("late-ad")}" alt="">');
        const s = document.createElement('script');
        s.type = 'text/plain'; s.dataset.category = 'analytics'; s.dataset.src = '{third_party.script("late")}';
        document.getElementById('app').append(s);
    }}""")
    await visitor.page.wait_for_function("(window.thirdParty || []).includes('late')")
    assert third_party.paths() == ["/s/late.js"]
