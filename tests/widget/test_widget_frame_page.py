"""`GET /sites/{site}/widget`: the frame page as the server sends it (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import brotli
import pytest

from crumb.app import create_app
from crumb.appkeys import ASSETS
from crumb.settings import DEMO_POLICIES, Settings
from crumb.views.widget_frame import inline_script

FRAME = "/sites/demo/widget?lang=en&mode=banner&origin=http%3A%2F%2Flocalhost%3A8080"


def boot_script_hash(html: str) -> str:
    """The CSP source of the inline boot script, computed here from the page's own bytes."""
    text = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


async def test_csp_allows_only_own_scripts_the_boot_script_and_eval_and_the_sites_origins_as_framers(client):
    response = await client.get(FRAME)
    assert response.status == 200
    directives = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert directives == {
        "default-src": "'none'", "script-src": "'self' 'unsafe-eval' " + boot_script_hash(await response.text()),
        "style-src": "'self'",
        "connect-src": "'self'", "img-src": "'self' data:", "base-uri": "'none'", "form-action": "'none'",
        "frame-ancestors": "'self' http://127.0.0.1:8080 http://localhost:8080",
    }
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


async def test_the_banner_is_in_the_html_with_three_buttons(client):
    html = await (await client.get(FRAME)).text()
    assert re.findall(r'data-crumb-action="(\w+)"', html) == ["accept_all", "reject_all", "preferences"]
    assert 'role="region" aria-label="Cookie consent"' in html


async def test_preferences_mode_renders_the_dialog_with_every_switch_off(client):
    html = await (await client.get("/sites/demo/widget?mode=preferences")).text()
    assert 'role="dialog" aria-modal="true"' in html
    assert html.count('role="switch"') == 6 and " checked" not in html


async def test_the_inline_policy_is_the_policy_document(client):
    html = await (await client.get("/sites/demo/widget?lang=lt")).text()
    inline = re.search(r'<script type="application/json" id="crumb-policy">(.*?)</script>', html, re.S).group(1)
    api = await (await client.get("/api/v1/sites/demo/policy?lang=lt")).json()
    assert json.loads(inline) == api


async def test_bundle_scripts_are_preloaded_under_hashed_names_in_order(client):
    html = await (await client.get(FRAME)).text()
    assets = client.app[ASSETS]
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="script">', html)
    assert preloads == [assets.url("brython.js"), assets.url("widget.js")]


async def test_the_boot_script_is_inline_right_after_the_first_layer(client):
    html = await (await client.get(FRAME)).text()
    assert html.index("</main>") < html.index("<script>" + client.app[ASSETS].text("frame.js") + "</script>")
    assert "frame.js" not in html


async def test_the_page_is_sent_brotli_compressed_when_accepted(client):
    response = await client.get(FRAME, headers={"Accept-Encoding": "br"}, auto_decompress=False)
    assert response.headers["Content-Encoding"] == "br"
    assert b"crumb-banner" in brotli.decompress(await response.read())


async def test_unknown_site_is_a_json_404(client):
    response = await client.get("/sites/nope/widget")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


async def test_policy_text_cannot_close_the_inline_script(aiohttp_client, tmp_path: Path):
    policies = tmp_path / "policies"
    policies.mkdir()
    hostile = "</script><script>alert(1)</script> & <!--"
    text = (DEMO_POLICIES / "demo.toml").read_text("utf-8").replace(
        'name = "Sąskaitėlė Invoicing"', "name = " + json.dumps(hostile), 1)
    (policies / "demo.toml").write_text(text, "utf-8")
    client = await aiohttp_client(create_app(Settings(policies_dir=policies, demo=False,
                                                      db_url=f"sqlite:///{tmp_path / 'r.sqlite3'}")))
    html = await (await client.get(FRAME)).text()
    assert html.count("<script") == 2  # the JSON one and the boot script (which loads the bundle)
    inline = re.search(r'id="crumb-policy">(.*?)</script>', html, re.S).group(1)
    assert "<" not in inline and ">" not in inline and "&" not in inline
    assert json.loads(inline)["name"] == hostile
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!--" in html


async def test_the_theme_position_is_a_class_of_the_page(aiohttp_client, tmp_path: Path):
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (DEMO_POLICIES / "demo.toml").read_text("utf-8").replace('position = "bar"', 'position = "box-left"', 1)
    (policies / "demo.toml").write_text(text, "utf-8")
    client = await aiohttp_client(create_app(Settings(policies_dir=policies, demo=False,
                                                      db_url=f"sqlite:///{tmp_path / 'r.sqlite3'}")))
    html = await (await client.get(FRAME)).text()
    assert 'class="crumb-page crumb-position-box-left"' in html


async def test_revalidating_with_the_etag_answers_304(client):
    first = await client.get(FRAME)
    again = await client.get(FRAME, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


async def test_revalidating_with_the_strong_form_of_the_weak_etag_also_answers_304(client):
    first = await client.get(FRAME)
    again = await client.get(FRAME, headers={"If-None-Match": first.headers["ETag"].removeprefix("W/")})
    assert again.status == 304


def test_a_boot_script_that_could_end_its_element_early_is_refused():
    for text in ("x = '</SCRIPT>'", "x = '<!--'"):
        with pytest.raises(ValueError, match="must not hold"):
            inline_script(text)
