"""The gate listens only to its own frame from the Crumb origin (widget/PROTOCOL.md, messages)."""

from __future__ import annotations

ACCEPT_EVERYTHING = ("{type: 'decision', v: 1, consent_id: '6f1c1a52-3b8e-4d0a-9c1e-2b7f5e8d4a10',"
                     " categories: ['necessary', 'preferences', 'analytics', 'marketing'],"
                     " services: ['statly', 'adpixel', 'vidtube'], method: 'accept_all'}")
NOTE_DONE = "<script>addEventListener('message', e => { if (e.data === 'done') window.forgeryDelivered = true; });</script>"


async def test_a_decision_posted_by_a_third_party_frame_is_ignored(visitor, host_site, third_party):
    third_party.frames["forger"] = (
        f"<!doctype html><script>parent.postMessage({ACCEPT_EVERYTHING}, '*');"
        " parent.postMessage('done', '*');</script>")
    await visitor.goto(host_site.page(
        NOTE_DONE + f'<iframe src="{third_party.frame("forger")}"></iframe>'
        f'<script type="text/plain" data-category="marketing" src="{third_party.script("ad")}"></script>'))
    await visitor.page.wait_for_function("window.forgeryDelivered === true")
    assert await visitor.consent() is None
    assert await visitor.page.evaluate("crumb.accepted('marketing')") is False
    assert third_party.paths() == ["/f/forger.html"]


async def test_a_decision_posted_by_the_page_itself_is_ignored(visitor, host_site, third_party):
    await visitor.goto(host_site.page(
        NOTE_DONE + f'<script type="text/plain" data-category="marketing" src="{third_party.script("ad")}"></script>'))
    await visitor.wait_for_gate()
    await visitor.page.evaluate(f"postMessage({ACCEPT_EVERYTHING}, '*'); postMessage('done', '*')")
    await visitor.page.wait_for_function("window.forgeryDelivered === true")
    assert await visitor.consent() is None
    assert third_party.requests == []
