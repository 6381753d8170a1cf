"""DOM clobbering (issue 14, item 2): HTML injected into a customer's page, without any script,
must not hand the gate to an attacker, silence it or crash it.

Named elements shadow `document` members (`<img name="currentScript">`) and ids become window
properties (`<div id="dataLayer">`); the gate takes its origin from its own config and reads the
document through `Document.prototype` (README, "Running in production").
"""

from __future__ import annotations

from tests.browser.test_gate_consent_mode import DEFAULTS, data_layer, gate_first


async def test_an_image_named_current_script_does_not_move_the_gate_to_another_origin(
        visitor, host_site, crumb, third_party):
    # The attacker's origin is the third party's: before the fix the gate loaded its gate-ui.js
    # from there, which wrote an accept-all consent.
    attacker = f'<img name="currentScript" src="{third_party.origin}/sites/demo/gate.js">'
    await visitor.goto(host_site.page("<p>Invoices</p>", head=attacker))
    await visitor.wait_for_banner()
    assert [url for url in visitor.requests_to(third_party.origin) if url.endswith("gate-ui.js")] == []
    assert any(url.startswith(crumb.origin + "/") and url.endswith("/gate-ui.js") for url in visitor.requests)
    assert await visitor.consent() is None


async def test_a_form_named_crumb_neither_silences_the_gate_nor_answers_for_it(visitor, host_site):
    form = '<form id="crumb"><input name="accepted"><input name="push"></form>'
    await visitor.goto(host_site.page(form))
    await visitor.wait_for_banner()
    answers = await visitor.page.evaluate("[typeof crumb.accepted, crumb.accepted('marketing'), typeof crumb.acceptAll]")
    assert answers == ["function", False, "function"]


async def test_an_element_with_the_id_data_layer_does_not_stop_consent_mode(visitor, host_site, crumb):
    # Before the gate, so that window.dataLayer is that element when the gate runs.
    await visitor.goto(host_site.page(gate_first(crumb), gate=False, head='<div id="dataLayer"></div>'))
    await visitor.wait_for_banner()
    assert await data_layer(visitor) == DEFAULTS
    await visitor.decide("Reject all")
    assert (await visitor.consent())["how"] == "reject_all"
