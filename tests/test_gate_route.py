"""`GET /sites/{site}/gate.js`: the gate with the site's config, cached and compressed."""

from __future__ import annotations

import dataclasses
import gzip

import brotli
import pytest
from py_mini_racer import MiniRacer

from crumb.assets import Assets
from crumb.gate_config import (
    CONFIG_TOKEN,
    gate_config,
    gate_script,
    gate_template,
    gate_ui_config,
    template_name,
)
from crumb.settings import DEMO_POLICIES, Settings
from crumb.sites import Sites
from package_builder import ROOT as PROJECT_ROOT

# The Crumb origin the test server bakes into its gates (its default --public-url).
ORIGIN = Settings().public_origin


@pytest.fixture(scope="module")
def template(widget_bundle) -> str:
    """The gate template from the built bundle (tests/conftest.py builds it first)."""
    return gate_template(Assets.load(PROJECT_ROOT / "static" / "dist"))


async def test_gate_is_javascript_cached_for_five_minutes(client):
    response = await client.get("/sites/demo/gate.js")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Vary"] == "Accept-Encoding"


async def test_gate_holds_the_site_config_in_place_of_the_token(client):
    body = await (await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "identity"})).text()
    assert CONFIG_TOKEN not in body
    assert '"site":"demo"' in body and '"revision":1' in body


async def test_gate_is_sent_as_brotli_when_the_client_accepts_it(client):
    response = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "gzip, br"},
                                auto_decompress=False)
    assert response.headers["Content-Encoding"] == "br"
    assert b'"site":"demo"' in brotli.decompress(await response.read())


async def test_gate_is_sent_as_gzip_when_brotli_is_not_accepted(client):
    response = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "gzip, br;q=0"},
                                auto_decompress=False)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'"site":"demo"' in gzip.decompress(await response.read())


async def test_gate_is_sent_plain_without_accept_encoding(client):
    response = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": ""}, auto_decompress=False)
    assert "Content-Encoding" not in response.headers
    assert b'"site":"demo"' in await response.read()


async def test_conditional_get_of_the_gate_answers_304(client):
    first = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "br"})
    again = await client.get("/sites/demo/gate.js",
                             headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status == 304


async def test_each_encoding_has_its_own_etag(client):
    plain = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "identity"})
    compressed = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "br"})
    assert plain.headers["ETag"] != compressed.headers["ETag"]


async def test_gate_of_an_unknown_site_is_a_json_404(client):
    response = await client.get("/sites/nope/gate.js")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


def demo_policy():
    return Sites.from_directory(DEMO_POLICIES).policy("demo")


def test_gate_template_holds_the_config_token_exactly_once(template):
    assert template.count(CONFIG_TOKEN) == 1


@pytest.fixture(scope="module")
def autoblock(widget_bundle) -> str:
    """The gate template with auto-blocking, from the built bundle."""
    return gate_template(Assets.load(PROJECT_ROOT / "static" / "dist"), "gate_autoblock.js")


async def test_served_gate_is_the_bundles_gate_with_the_config(client, autoblock):
    # The demo lists its vendors' hosts, so it is served the build with auto-blocking.
    assert template_name(demo_policy(), "gate.js") == "gate_autoblock.js"
    body = await (await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "identity"})).read()
    assert body == gate_script(autoblock, demo_policy(), ORIGIN)


def test_a_template_without_the_token_is_refused():
    with pytest.raises(ValueError, match="exactly once"):
        gate_script("(function(){})()", demo_policy(), ORIGIN)


def test_gate_config_lists_categories_and_the_category_of_each_service():
    config = gate_config(demo_policy(), ORIGIN)
    assert config["categories"] == ["necessary", "preferences", "analytics", "marketing"]
    assert config["required"] == ["necessary"]
    assert config["services"]["statly"] == "analytics"


def test_ui_chunk_config_lists_withdrawable_first_party_storage_and_service_names():
    config = gate_ui_config(demo_policy(), ORIGIN)
    assert config["names"]["statly"] == "Statly Analytics"
    assert ["cookie", "_st_ses_*", "analytics", "statly"] in config["storage"]
    assert ["local_storage", "invoice_layout", "preferences", ""] in config["storage"]
    assert not [row for row in config["storage"] if row[2] == "necessary" or row[1] == "ap_uid"]


def test_ui_chunk_config_has_the_placeholder_texts_in_every_language():
    texts = gate_ui_config(demo_policy(), ORIGIN)["texts"]
    assert set(texts) == {"en", "lt", "pt"}
    assert texts["en"]["load_once"] == "Load once"
    assert texts["lt"]["cat_marketing"] == "Rinkodara"


def test_gate_config_lists_consent_mode_keys_with_what_grants_them():
    consent_mode = gate_config(demo_policy(), ORIGIN)["consent_mode"]
    assert consent_mode["wait_for_update"] == 500
    assert consent_mode["keys"]["analytics_storage"] == ["analytics"]
    assert consent_mode["keys"]["security_storage"] == ["necessary"]


def test_gate_config_has_no_consent_mode_when_the_policy_leaves_it_off():
    policy = demo_policy()
    policy = dataclasses.replace(policy, consent_mode=dataclasses.replace(policy.consent_mode, enabled=False))
    assert gate_config(policy, ORIGIN)["consent_mode"] is False


def test_gate_config_names_the_categories_gpc_refuses_unless_the_policy_ignores_it():
    # 1: respected (the demo also has categories that neither sell nor share), 0: ignored.
    assert gate_config(demo_policy(), ORIGIN)["gpc"] == 1
    assert gate_config(dataclasses.replace(demo_policy(), gpc="ignore"), ORIGIN)["gpc"] == 0


def test_served_gate_parses_in_v8(template):
    context = MiniRacer()
    context.eval(gate_script(template, demo_policy(), ORIGIN).decode("utf-8"))
    assert context.eval("typeof crumbCookie.read") == "function"



def test_gate_config_leaves_out_texts_it_can_never_show():
    policy = dataclasses.replace(demo_policy(), settings_button="none")
    assert gate_config(policy, ORIGIN)["settings"] is None
    assert "cat_necessary" not in gate_ui_config(policy, ORIGIN)["texts"]["en"]
    texts, css, ring = gate_config(demo_policy(), ORIGIN)["settings"]
    assert texts == {"en": "Cookie settings", "lt": "Slapukų nustatymai", "pt": "Definições de cookies"}
    assert "right:16px" in css and ring.startswith("3px solid")


async def test_ui_chunk_is_served_like_the_gate_with_its_own_config(client):
    response = await client.get("/sites/demo/gate-ui.js", headers={"Accept-Encoding": "br"}, auto_decompress=False)
    assert response.status == 200 and response.content_type == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Content-Encoding"] == "br"
    body = brotli.decompress(await response.read()).decode()
    assert CONFIG_TOKEN not in body and '"Load once"' in body


async def test_ui_chunk_of_an_unknown_site_is_a_json_404(client):
    response = await client.get("/sites/nope/gate-ui.js")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


def without_hosts(policy):
    return dataclasses.replace(policy, services=tuple(dataclasses.replace(s, hosts=()) for s in policy.services))


def test_the_demo_gate_without_hosts_fits_the_3_kb_brotli_budget(template):
    # KB read as 1,000 bytes, the stricter reading; a site without hosts gets this build.
    policy = without_hosts(demo_policy())
    assert template_name(policy, "gate.js") == "gate.js"
    assert len(brotli.compress(gate_script(template, policy, ORIGIN), quality=11)) <= 3000


async def test_the_served_demo_gate_with_auto_blocking_fits_the_3_5_kb_brotli_budget(client):
    response = await client.get("/sites/demo/gate.js", headers={"Accept-Encoding": "br"}, auto_decompress=False)
    body = await response.read()
    assert b"crumbHeld" in brotli.decompress(body) and len(body) <= 3500


def test_the_demo_gate_with_two_hosts_a_service_fits_the_3_5_kb_brotli_budget(autoblock):
    policy = demo_policy()
    hosts = dataclasses.replace(policy, services=tuple(
        dataclasses.replace(s, hosts=(f"www.{s.id}.example", f"*.{s.id}-cdn.example")) for s in policy.services))
    assert len(brotli.compress(gate_script(autoblock, hosts, ORIGIN), quality=11)) <= 3500


def test_ui_chunk_template_holds_the_config_token_exactly_once(template):  # template: the bundle is built
    assert gate_template(Assets.load(PROJECT_ROOT / "static" / "dist"), "gate_ui.js").count(CONFIG_TOKEN) == 1


@pytest.mark.parametrize("path", ["/sites/demo/gate.js", "/sites/demo/gate-ui.js"])
async def test_both_gate_scripts_may_be_read_by_any_origin_as_crossorigin_anonymous_needs(client, path):
    # <script crossorigin="anonymous"> makes a CORS request without cookies; without this header
    # the browser refuses to run the answer.
    fresh = await client.get(path, headers={"Origin": "https://shop.example"})
    revalidated = await client.get(path, headers={"Origin": "https://shop.example",
                                                  "If-None-Match": fresh.headers["ETag"]})
    assert (fresh.status, revalidated.status) == (200, 304)
    assert fresh.headers["Access-Control-Allow-Origin"] == revalidated.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in fresh.headers  # never with a cookie
