"""HEAD is answered wherever GET is (uptime monitors, load balancers and link checkers use it),
and the demo website is served only together with the demo's policy."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from crumb.app import create_app
from crumb.settings import DEMO_POLICIES
from tests.conftest import POLICY_FIXTURES


@pytest.mark.parametrize("path", ["/healthz", "/demo/", "/sites/demo/gate.js", "/sites/demo/cookie-policy",
                                  "/api/v1/sites/demo/policy", "/api/v1/openapi.json"])
async def test_head_answers_like_get_without_a_body(client, path):
    get = await client.get(path, allow_redirects=False)  # /demo/ sends other hosts to its public origin
    head = await client.head(path, allow_redirects=False)
    assert (head.status, head.headers.get("Content-Type")) == (get.status, get.headers.get("Content-Type"))
    assert get.status in (200, 302)
    assert await head.read() == b""


async def test_head_of_an_unknown_site_is_a_404_like_get(client):
    assert (await client.head("/sites/nope/gate.js")).status == 404


async def test_policies_without_the_demo_policy_serve_no_demo_website(aiohttp_client, settings, tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    shutil.copy(POLICY_FIXTURES / "realistic" / "support_chat.toml", policies)
    client = await aiohttp_client(create_app(dataclasses.replace(settings, policies_dir=policies, demo=True)))
    assert (await client.get("/demo/")).status == 404
    assert (await client.get("/", allow_redirects=False)).status == 404


async def test_the_demo_policy_brings_the_demo_website(aiohttp_client, settings):
    client = await aiohttp_client(create_app(dataclasses.replace(settings, policies_dir=DEMO_POLICIES, demo=True)))
    assert (await client.get("/demo/", allow_redirects=False)).status in (200, 302)
