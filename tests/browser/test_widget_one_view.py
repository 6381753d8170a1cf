"""One source for the widget's markup: the first layer the server renders is, node for node, the
layer the Python widget draws when it takes over (README, "How it fits together").

For the demo policy and every realistic example policy, in every mode and in two languages
(right-to-left among them where the policy has one), the frame is opened inside a website page
with Brython held back; the server's layer is read; then Brython is let go and, once the widget
has taken over (it draws its layer afresh from the same view), the layer is read again.
"""

from __future__ import annotations

import asyncio
import tomllib
import urllib.parse
from pathlib import Path

import pytest
from aiohttp import web

from crumb.app import create_app
from crumb.settings import DEMO_POLICIES, Settings
from tests.browser.conftest import toml_text
from tests.conftest import POLICY_FIXTURES

POLICIES = [DEMO_POLICIES / "demo.toml", *sorted((POLICY_FIXTURES / "realistic").glob("*.toml"))]
MODES = ("banner", "preferences")
# The layer as the browser holds it: the serialisation every browser gives the same DOM.
LAYER = "document.getElementById('crumb-root').innerHTML"


def languages_to_check(languages: list[str]) -> list[str]:
    """The default language and one other: Arabic where the policy has it (right-to-left)."""
    others = [lang for lang in languages[1:] if lang == "ar"] or languages[1:2]
    return [languages[0], *others]


async def host_page(request: web.Request) -> web.Response:
    """A website page that frames the widget URL given in `?frame=` (no gate: only the frame)."""
    frame = request.query["frame"].replace('"', "%22")
    return web.Response(text=f'<!doctype html><title>host</title><iframe src="{frame}" '
                             'style="width:100%;height:600px;border:0"></iframe>', content_type="text/html")


async def layers_before_and_after_take_over(browser, frame_url: str, host_origin: str) -> tuple[str, str]:
    """Return the frame's layer as the server sent it, and after the Python widget drew it."""
    context = await browser.new_context()
    context.set_default_timeout(15_000)
    try:
        page = await context.new_page()
        released, requested = asyncio.Event(), asyncio.Event()

        async def hold(route):
            requested.set()
            await released.wait()
            await route.continue_()

        await page.route("**/static/dist/brython.*", hold)
        await page.goto(f"{host_origin}/?frame={urllib.parse.quote(frame_url, safe='')}", wait_until="commit")
        await requested.wait()
        frame = page.frame_locator("iframe")
        await frame.locator("#crumb-root > *").first.wait_for(state="attached")
        widget = next(f for f in page.frames if f.url.startswith(frame_url.split("?")[0]))
        assert await widget.evaluate("document.body.hasAttribute('data-crumb-ready')") is False
        served = await widget.evaluate(LAYER)
        released.set()
        await widget.wait_for_selector("body[data-crumb-ready]", state="attached")
        return served, await widget.evaluate(LAYER)
    finally:
        await context.close()


@pytest.mark.parametrize("policy_file", POLICIES, ids=[path.stem for path in POLICIES])
async def test_the_server_rendered_layer_is_the_layer_the_python_widget_draws(browser, serve, tmp_path, policy_file):
    host_app = web.Application()
    host_app.router.add_get("/", host_page)
    host_origin = (await serve(host_app, "127.0.0.1")).replace("127.0.0.1", "localhost")
    policy = tomllib.loads(Path(policy_file).read_text(encoding="utf-8"))
    policy["origins"] = [host_origin]
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "policy.toml").write_text(toml_text(policy), encoding="utf-8")
    crumb = await serve(create_app(Settings(policies_dir=policies, demo=False,
                                            db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}")))
    # No gate on the host page: the frame is opened directly, so the public URL does not matter.
    compared = 0
    for lang in languages_to_check(policy["languages"]):
        for mode in MODES:
            frame_url = f"{crumb}/sites/{policy['id']}/widget?lang={lang}&mode={mode}&origin={host_origin}"
            served, drawn = await layers_before_and_after_take_over(browser, frame_url, host_origin)
            assert ('id="crumb-banner"' if mode == "banner" else 'id="crumb-preferences"') in served
            assert served == drawn, f"{policy['id']} {lang} {mode}"
            compared += 1
    # Two languages where the policy has them (an essential-only example has one).
    assert compared == min(2, len(policy["languages"])) * len(MODES)
