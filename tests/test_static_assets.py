"""`GET /static/dist/{name}`: immutable caching, brotli/gzip by Accept-Encoding, nothing else served."""

from __future__ import annotations

import gzip

import brotli

from crumb.appkeys import ASSETS


async def fetch_raw(client, path: str, accept_encoding: str):
    # Without decompression the bytes read are exactly the bytes sent.
    return await client.get(path, headers={"Accept-Encoding": accept_encoding}, auto_decompress=False)


async def test_bundle_file_is_cached_for_a_year_and_immutable(client):
    url = client.app[ASSETS].url("widget.js")
    response = await client.get(url)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Type"].startswith("text/javascript")


async def test_brotli_is_sent_to_a_client_that_accepts_it(client):
    assets = client.app[ASSETS]
    response = await fetch_raw(client, assets.url("brython.js"), "gzip, deflate, br")
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(await response.read()) == assets.path("brython.js").read_bytes()


async def test_gzip_is_sent_when_brotli_is_not_accepted(client):
    assets = client.app[ASSETS]
    response = await fetch_raw(client, assets.url("widget.js"), "gzip")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(await response.read()) == assets.path("widget.js").read_bytes()


async def test_identity_is_sent_when_no_encoding_is_accepted(client):
    assets = client.app[ASSETS]
    response = await fetch_raw(client, assets.url("widget.js"), "identity")
    assert "Content-Encoding" not in response.headers
    assert await response.read() == assets.path("widget.js").read_bytes()


async def test_brotli_refused_with_q_zero_is_not_sent(client):
    response = await fetch_raw(client, client.app[ASSETS].url("widget.js"), "br;q=0, gzip")
    assert response.headers["Content-Encoding"] == "gzip"


async def test_unknown_name_is_a_json_404(client):
    response = await client.get("/static/dist/widget.0000000000000000.js")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_asset"


async def test_manifest_and_files_outside_the_bundle_are_not_served(client):
    for path in ("/static/dist/manifest.json", "/static/dist/..%2F..%2Fpyproject.toml",
                 "/static/dist/%2E%2E%2Fwidget.css"):
        response = await client.get(path)
        assert response.status == 404, path


async def test_css_is_served_as_css(client):
    response = await client.get(client.app[ASSETS].url("widget.css"))
    assert response.headers["Content-Type"].startswith("text/css")
