"""The demo website: a credible customer page whose third party stays silent until consent."""

from __future__ import annotations

import json

from crumb.app import create_app
from crumb.settings import DEMO_POLICIES, Settings
from tests.browser.conftest import start_site
from tests.browser.test_scan_site import run_scan
from tests.server_process import free_port


def demo_settings(tmp_path, demo: bool = True, public_url: str = "http://127.0.0.1:8080") -> Settings:
    return Settings(policies_dir=DEMO_POLICIES, db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}", demo=demo,
                    public_url=public_url)


async def test_root_redirects_to_the_demo_when_it_is_on(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(demo_settings(tmp_path)))
    response = await client.get("/", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (302, "/demo/")


async def test_no_demo_and_no_redirect_when_it_is_off(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(demo_settings(tmp_path, demo=False)))
    assert (await client.get("/demo/")).status == 404
    assert (await client.get("/", allow_redirects=False)).status == 404


async def test_demo_page_embeds_the_gate_and_points_each_third_party_at_its_own_hostname(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(demo_settings(tmp_path)))
    response = await client.get("/demo/", headers={"Host": "127.0.0.1:8080"})
    html = await response.text()
    assert '<script src="http://127.0.0.1:8080/sites/demo/gate.js" crossorigin="anonymous"></script>' in html
    assert 'data-src="http://vidtube.localhost:8080/demo/vendor/vidtube.html"' in html
    assert 'src="http://statly.localhost:8080/demo/vendor/statly.js"' in html
    assert 'data-src="http://adpixel.localhost:8080/demo/vendor-pixel.gif?event=landing"' in html
    assert 'href="http://127.0.0.1:8080/sites/demo/cookie-policy"' in html and "data-crumb-open" in html
    elsewhere = await client.get("/demo/", headers={"Host": "localhost:8080"}, allow_redirects=False)
    assert (elsewhere.status, elsewhere.headers["Location"]) == (302, "http://127.0.0.1:8080/demo/")


async def test_demo_page_sends_a_csp_without_unsafe_inline_or_eval_and_a_fresh_nonce(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(demo_settings(tmp_path)))
    first, second = [(await client.get("/demo/", headers={"Host": "127.0.0.1:8080"})) for _ in range(2)]
    csp = first.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self' 'nonce-" in csp and "frame-src http://127.0.0.1:8080 http://vidtube.localhost:8080" in csp
    assert csp != second.headers["Content-Security-Policy"]


async def test_demo_third_party_loads_only_after_consent(browser, tmp_path):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    runner = await start_site(create_app(demo_settings(tmp_path, public_url=origin)), "127.0.0.1", port)
    vendors = origin.replace("127.0.0.1", "{}.localhost")
    context = await browser.new_context()
    try:
        page = await context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        await page.goto(origin + "/")
        await page.wait_for_function("window.crumb && typeof crumb.consent === 'function'")
        await page.wait_for_load_state("load")
        assert page.url == origin + "/demo/"
        assert [url for url in requests if ".localhost:" in url] == []
        assert await page.get_by_role("button", name="Always allow VidTube").count() == 1
        await page.evaluate("crumb.acceptAll()")
        statly = page.locator('[data-demo-status="statly"]')
        await statly.filter(has_text="running").wait_for()
        await page.locator('[data-demo-status="layout"]').filter(has_text="remembered").wait_for()
        await page.locator('[data-demo-status="vidtube"]').filter(has_text="loaded").wait_for()
        assert sorted(url for url in requests if ".localhost:" in url) == [
            vendors.format("adpixel") + "/demo/vendor-pixel.gif?event=landing",
            vendors.format("statly") + "/demo/vendor/statly.js", vendors.format("vidtube") + "/demo/vendor/vidtube.html"]
        cookies = {cookie["name"] for cookie in await context.cookies(origin)}
        assert {"_st_id", "currency", "crumb_consent"} <= cookies
    finally:
        await context.close()
        await runner.cleanup()


async def test_the_demo_scans_clean(tmp_path):
    # README, "Scanning your site": every request of the demo belongs to a service by its hosts,
    # and nothing is set or sent before consent or after "Reject all".
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    runner = await start_site(create_app(demo_settings(tmp_path, public_url=origin)), "127.0.0.1", port)
    try:
        status, stderr = await run_scan(origin + "/demo/", "--site", "demo", "--json", str(tmp_path / "r.json"))
    finally:
        await runner.cleanup()
    report = json.loads((tmp_path / "r.json").read_text())
    assert status == 0, stderr
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    seen = {(i["phase"], i["storage"], i["name"]) for i in report["inventory"]}
    assert {("accept", "request", "statly.localhost"), ("accept", "request", "adpixel.localhost"),
            ("accept", "request", "vidtube.localhost"), ("accept", "cookie", "_st_id")} <= seen
    assert not {name for phase, storage, name in seen if phase != "accept" and storage == "request"}
