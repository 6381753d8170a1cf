"""Crumb on websites that do their own thing: a strict CSP, their own Brython, look-alike
globals, and global styles for iframes and buttons."""

from __future__ import annotations

from pathlib import Path

import brython

FRAME = "iframe[data-crumb-frame]"
SITE_BRYTHON = Path(brython.__file__).parent / "data" / "brython.js"
VIOLATIONS = """<script>window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', e => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
</script>"""


async def test_the_gate_works_on_a_website_with_a_strict_csp_and_no_unsafe_sources(visitor, host_site, crumb):
    # Only the site itself and the Crumb origin: no 'unsafe-eval', no 'unsafe-inline'.
    csp = f"default-src 'self'; script-src 'self' {crumb.origin}; frame-src {crumb.origin}; connect-src {crumb.origin}"
    url = host_site.page('<p>Strict site</p>', gate=False, head=(
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<script src="{crumb.gate_url}" async></script>'))
    violations: list[str] = []
    visitor.page.on("console", lambda message: violations.append(message.text)
                    if "Content Security Policy" in message.text else None)
    await visitor.goto(url)
    await visitor.decide("Accept all")
    assert (await visitor.consent())["how"] == "accept_all"
    assert await visitor.page.evaluate("crumb.accepted('analytics')") is True
    assert violations == []


async def test_a_website_running_its_own_brython_keeps_it_and_crumb_still_works(
        visitor, host_site, third_party):
    third_party.scripts["brython"] = SITE_BRYTHON.read_text(encoding="utf-8")
    url = host_site.page(
        f'<p id="out">waiting</p>'
        f'<script src="{third_party.script("brython")}"></script>'
        '<script type="text/python">\nfrom browser import document\ndocument["out"].text = "site python ran"\n</script>'
        '<script>addEventListener("load", () => brython());</script>')
    await visitor.goto(url)
    await visitor.page.wait_for_function("document.getElementById('out').textContent === 'site python ran'")
    await visitor.decide("Reject all")
    assert (await visitor.consent())["how"] == "reject_all"
    assert await visitor.page.locator("#out").text_content() == "site python ran"


async def test_crumb_leaves_no_brython_globals_on_the_website(visitor, host_site):
    url = host_site.page("<p>Plain site</p>")
    await visitor.goto(url)
    await visitor.wait_for_banner()
    leaked = await visitor.page.evaluate(
        "['$B', '__BRYTHON__', 'brython', 'f', 'key', 'docs'].filter(name => name in window)")
    assert leaked == []


async def test_look_alike_globals_on_the_website_do_not_break_the_gate(visitor, host_site):
    url = host_site.page("<p>Busy site</p>", gate=False, head=(
        "<script>window.$B = 'site'; window.__BRYTHON__ = {site: true}; window.dataLayer = [];"
        "window.CookieConsent = {}; window.consent = function () { return 'site'; };</script>"
        f'<script src="{host_site.crumb.gate_url}" async></script>'))
    await visitor.goto(url)
    await visitor.decide("Accept all")
    assert await visitor.page.evaluate("[window.$B, window.__BRYTHON__.site, window.consent()]") == \
        ["site", True, "site"]
    assert await visitor.page.evaluate("crumb.consent().how") == "accept_all"


async def test_global_iframe_and_button_styles_do_not_shrink_or_hide_the_banner(visitor, host_site):
    # Typical theme rules: responsive video embeds and restyled buttons.
    styles = ("<style>iframe { max-width: 560px; width: 560px; height: 315px; border: 6px solid red;"
              " position: relative; opacity: .5; } button { all: unset; font-size: 40px; }</style>")
    url = host_site.page("<p>Styled site</p>", head=styles)
    await visitor.goto(url)
    await visitor.wait_for_banner()
    box = await visitor.page.locator(FRAME).bounding_box()
    viewport = visitor.page.viewport_size
    # The frame fills its labelled box, which holds the placement (README, "Embedding on your website").
    style = await visitor.page.locator(FRAME).evaluate("""frame => { const s = getComputedStyle(frame),
        b = getComputedStyle(frame.parentElement); return [s.position, s.opacity, s.borderTopWidth, b.position,
        frame.parentElement.id]; }""")
    assert style == ["static", "1", "0px", "fixed", "crumb-consent"]
    assert box["width"] == viewport["width"]
    assert box["y"] + box["height"] == viewport["height"]
    await visitor.click_in_frame("Accept all")
    await visitor.wait_for_no_frame()
