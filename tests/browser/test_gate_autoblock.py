"""Auto-blocking (README, "Auto-blocking"): what page code inserts from a service's hosts stays
asleep until that service is accepted, and nothing is requested from those hosts before.

The fixture site plays a site with a tag manager: a first-party inline script (always allowed)
that injects vendor scripts the way Google Tag Manager does (createElement, async, insertBefore
the first script), a vendor loader that injects a second script and an iframe, an image pixel,
a `fetch` and a `sendBeacon`; another service (of the required category) is never blocked.
Every request of the browser is recorded, and both third parties record what reaches them.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import ThirdParty, start_site
from tests.server_process import free_port

VENDOR = "statly"       # analytics: its host is the third party on 127.0.0.2
REQUIRED = "payments"   # of the required category: its host, 127.0.0.3, is never blocked


def tag_manager(vendor: ThirdParty, payments: ThirdParty) -> str:
    """The page's own head script: injects two vendor scripts, a pixel, a fetch, a beacon, an XHR."""
    return f"""<script>
      window.log = [];
      (function (w, d) {{
        function inject(src) {{
          var j = d.createElement('script'), f = d.getElementsByTagName('script')[0];
          j.async = true; j.src = src; f.parentNode.insertBefore(j, f);
        }}
        inject('{vendor.script("loader")}');
        inject('{vendor.script("second")}');
        new Image().src = '{vendor.pixel("pixel")}';
        fetch('{vendor.origin}/p/fetched.gif').then(() => log.push('fetch ok'), () => log.push('fetch failed'));
        log.push('beacon ' + navigator.sendBeacon('{vendor.origin}/p/beacon.gif', 'x'));
        var x = new XMLHttpRequest(); x.open('GET', '{vendor.origin}/p/xhr.gif');
        x.onerror = () => log.push('xhr error'); x.onload = () => log.push('xhr ok'); x.send();
        inject('{payments.script("checkout")}');
      }})(window, document);
    </script>"""


def vendor_loader(vendor: ThirdParty) -> str:
    """What the vendor's loader does once it runs: it injects a third script and an iframe."""
    return f"""(window.thirdParty = window.thirdParty || []).push('loader');
      var s = document.createElement('script'); s.src = '{vendor.script("third")}'; document.head.append(s);
      var f = document.createElement('iframe'); f.setAttribute('src', '{vendor.frame("widget")}');
      f.id = 'vendor-frame'; document.body.append(f);"""


@pytest.fixture
async def payments(ports):
    """A second third party, on 127.0.0.3: the host of a service in the required category."""
    party = ThirdParty(f"http://127.0.0.3:{free_port('127.0.0.3')}")
    runner = await start_site(party.app, "127.0.0.3", int(party.origin.rsplit(":", 1)[1]))
    yield party
    await runner.cleanup()


@pytest.fixture
async def site(crumb, host_site, third_party, payments):
    """The tag-manager page, with the policy's services given their hosts."""
    def hosts(policy):
        for service in policy["services"]:
            if service["id"] == VENDOR:
                service["hosts"] = ["127.0.0.2"]
        policy["services"].append({"id": REQUIRED, "name": "Payments", "category": "necessary",
                                   "provider": "Pay Ltd", "hosts": ["127.0.0.3"]})
    crumb.write_policy(hosts)
    await crumb.restart()
    third_party.scripts["loader"] = vendor_loader(third_party)
    gate = f'<script src="{crumb.gate_url}" crossorigin="anonymous"></script>'  # first in <head>, no defer
    return host_site.page("<main><h1>Invoices</h1></main>", gate=False, head=gate + tag_manager(third_party, payments))


async def settled(visitor) -> None:
    """Wait until the page's own script has seen its fetch, beacon and XHR come back."""
    await visitor.page.wait_for_function("log.length >= 3")
    await visitor.page.wait_for_load_state("load")


def vendor_requests(visitor, third_party) -> list[str]:
    return visitor.requests_to(third_party.origin) + third_party.requests


async def test_on_a_first_visit_nothing_reaches_the_vendor_and_its_calls_fail(visitor, site, third_party, payments):
    await visitor.goto(site)
    await visitor.wait_for_banner()
    await settled(visitor)
    assert vendor_requests(visitor, third_party) == []
    assert sorted(await visitor.page.evaluate("log")) == ["beacon false", "fetch failed", "xhr error"]
    assert payments.paths() == ["/s/checkout.js"]  # a required service's host: never blocked


async def test_after_reject_all_nothing_reaches_the_vendor(visitor, site, third_party):
    await visitor.goto(site)
    await visitor.decide("Reject all")
    await visitor.goto(site)
    await settled(visitor)
    assert vendor_requests(visitor, third_party) == []


async def test_accepting_the_service_wakes_each_injected_element_once_in_order(visitor, site, third_party):
    await visitor.goto(site)
    await settled(visitor)
    await visitor.choose_in_preferences("Allow Statly")
    await visitor.page.wait_for_function("(window.thirdParty || []).length >= 4")
    await visitor.page.locator("#vendor-frame").wait_for(state="attached")
    await visitor.page.wait_for_function("document.getElementById('vendor-frame').contentDocument === null")
    ran = await visitor.third_party_ran()
    assert sorted(ran) == ["checkout", "loader", "second", "third"]  # checkout: the required service, at once
    assert ran.index("loader") < ran.index("second")  # held scripts wake in the order they were held
    paths = third_party.paths()
    for path in ("/s/loader.js", "/s/second.js", "/s/third.js", "/p/pixel.gif", "/f/widget.html"):
        assert paths.count(path) == 1, path


async def test_a_returning_visitor_who_accepted_gets_everything_at_once(visitor, site, third_party):
    await visitor.give_consent(["necessary", "analytics"], [VENDOR, REQUIRED])
    await visitor.goto(site)
    await visitor.page.wait_for_function("(window.thirdParty || []).length >= 4")
    await settled(visitor)
    assert sorted(await visitor.page.evaluate("log")) == ["beacon true", "fetch ok", "xhr ok"]
    assert "/p/fetched.gif" in third_party.paths()


async def test_withdrawing_the_service_reloads_and_it_stays_asleep(visitor, site, third_party):
    await visitor.give_consent(["necessary", "analytics"], [VENDOR, REQUIRED])
    await visitor.goto(site)
    await visitor.page.wait_for_function("(window.thirdParty || []).length >= 4")
    seen = len(third_party.requests)
    async with visitor.page.expect_navigation():
        await visitor.page.evaluate("crumb.rejectAll(); 0")  # its promise dies with the page it reloads
    await settled(visitor)
    assert len(third_party.requests) == seen  # after the reload, nothing more reached it
    assert await visitor.page.evaluate("window.thirdParty") == ["checkout"]  # only the required service ran


async def test_markup_handed_over_as_text_stays_asleep_until_accepted(visitor, site, third_party, crumb):
    await visitor.goto(site)
    await settled(visitor)
    await visitor.page.evaluate(f"""() => {{
        document.querySelector('main').innerHTML += '<img id="in-html" src="{third_party.pixel("inner")}">';
        document.querySelector('main').insertAdjacentHTML('beforeend', '<iframe id="adjacent" src="{third_party.frame("adj")}"></iframe>');
    }}""")
    assert await visitor.page.locator("#in-html").get_attribute("src") is None
    await visitor.page.locator("[data-crumb-placeholder]").first.wait_for()
    assert vendor_requests(visitor, third_party) == []
    await visitor.page.evaluate("crumb.acceptAll()")
    await visitor.page.wait_for_function("document.getElementById('in-html').complete")
    assert {"/p/inner.gif", "/f/adj.html"} <= set(third_party.paths())


async def test_the_site_without_hosts_gets_the_gate_without_auto_blocking(visitor, crumb, host_site):
    # Only a site whose policy lists hosts pays for the blocking code (README, "Auto-blocking").
    response = await visitor.context.request.get(crumb.gate_url)
    assert "crumbHeld" not in await response.text()


async def test_vendor_tags_in_the_pages_own_html_after_the_gate_do_not_run_until_accepted(visitor, site, third_party,
                                                                                         host_site, crumb):
    # The parser's elements are put to sleep by the gate's MutationObserver before they run; the
    # preload scanner may still have fetched their URLs (README, "Auto-blocking": measured there).
    gate = f'<script src="{crumb.gate_url}" crossorigin="anonymous"></script>'
    # The last one is the site's own sleeping markup for a declared host: it wakes as usual.
    html = (f'<main><script src="{third_party.script("inline-tag")}"></script>'
            f'<img id="pixel" src="{third_party.pixel("html-pixel")}" alt="">'
            f'<script type="text/plain" data-category="analytics" data-service="{VENDOR}" '
            f'src="{third_party.script("marked-up")}"></script></main>')
    page = host_site.page(html, path="/html", gate=False, head=gate)
    await visitor.goto(page)
    await visitor.wait_for_banner()
    assert await visitor.third_party_ran() == []
    assert await visitor.page.locator("#pixel").get_attribute("data-src") == third_party.pixel("html-pixel")
    await visitor.decide("Accept all")
    await visitor.page.wait_for_function("(window.thirdParty || []).length >= 2")
    assert await visitor.third_party_ran() == ["inline-tag", "marked-up"]  # in document order
