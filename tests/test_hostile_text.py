"""Hostile text in a policy (markup, quotes, bidi controls, 100 KB) renders inertly everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.async_api import async_playwright

from crumb.app import create_app
from crumb.policy import parse_policy
from crumb.settings import Settings
from crumb.sites import Sites

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
QUOTES = "it's \"quoted\" & `ticked` </p>"
RLO = "Evil\u202eCorp"
LONG = "x" * 100_000 + SCRIPT
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

HOSTILE = {
    "id": "hostile", "name": SCRIPT + BREAKOUT, "revision": 1, "updated": dt.date(2026, 11, 1),
    "languages": ["en", "ar"], "origins": ["https://hostile.example"],
    "controller": {"name": BREAKOUT, "address": QUOTES + " " + RLO, "email": "x@hostile.example"},
    "texts": {"en": {"title": "<b>Cookies</b>"}},
    "categories": [
        {"id": "necessary", "required": True, "title": SCRIPT, "description": LONG},
        {"id": "ads", "title": {"en": RLO, "ar": RLO}, "description": QUOTES},
    ],
    "services": [{"id": "evil", "name": BREAKOUT, "category": "ads", "provider": RLO,
                  "privacy_url": "https://evil.example/privacy?a=1&lt=2", "description": SCRIPT}],
    "storage": [
        {"name": "it's&more", "kind": "cookie", "category": "necessary", "duration": "1d", "purpose": SCRIPT,
         "duration_note": BREAKOUT},
        {"name": "evil_id", "kind": "cookie", "service": "evil", "duration": "session", "purpose": LONG},
    ],
}
TEXTS = [SCRIPT + BREAKOUT, BREAKOUT, QUOTES, RLO, LONG, SCRIPT, "<b>Cookies</b>", "it's&more"]


@pytest.fixture
async def hostile_client(aiohttp_client, tmp_path: Path):
    loaded = parse_policy(HOSTILE, "hostile.toml")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}", demo=False)
    return await aiohttp_client(create_app(settings, sites=Sites({"hostile": loaded})))


async def page_html(client, lang: str = "en") -> str:
    response = await client.get(f"/sites/hostile/cookie-policy?lang={lang}")
    assert response.status == 200
    return await response.text()


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_no_markup_from_the_policy_reaches_the_page_as_markup(hostile_client, lang):
    html = await page_html(hostile_client, lang)
    assert "<script>alert" not in html and "<img" not in html and "<b>Cookies" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("img") is None and soup.find("b") is None
    assert soup.find_all("script") == []
    assert not [name for tag in soup.find_all(True) for name in tag.attrs if name.startswith("on")]


async def test_every_hostile_text_is_shown_as_text(hostile_client):
    text = BeautifulSoup(await page_html(hostile_client), "html.parser").get_text()
    assert [hostile for hostile in TEXTS if hostile not in text] == []


async def test_an_ampersand_in_a_url_keeps_the_url_as_written(hostile_client):
    html = await page_html(hostile_client)
    assert 'href="https://evil.example/privacy?a=1&amp;lt=2"' in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".services a")["href"] == "https://evil.example/privacy?a=1&lt=2"


async def test_hostile_texts_stay_plain_strings_in_the_json(hostile_client):
    document = await (await hostile_client.get("/api/v1/sites/hostile/policy")).json()
    assert document["name"] == SCRIPT + BREAKOUT
    assert document["controller"]["name"] == BREAKOUT
    assert [c["title"] for c in document["categories"]] == [SCRIPT, RLO]
    assert document["categories"][0]["description"] == LONG
    assert document["services"][0]["name"] == BREAKOUT
    assert [row["purpose"] for row in document["storage"] if row["name"] in ("it's&more", "evil_id")] == [SCRIPT, LONG]
    assert document["texts"]["title"] == "<b>Cookies</b>"


async def test_a_bidi_override_cannot_reorder_the_text_around_it(hostile_client):
    soup = BeautifulSoup(await page_html(hostile_client), "html.parser")
    nodes = [node for node in soup.body.find_all(string=True) if "\u202e" in node]
    assert nodes
    for node in nodes:
        # Either isolated in <bdi>, or alone in its element (a cell, a paragraph: its own bidi paragraph).
        assert node.parent.name == "bdi" or node.parent.get_text() == str(node), node.parent


async def test_hostile_text_runs_nothing_in_a_real_browser(hostile_client):
    url = str(hostile_client.make_url("/sites/hostile/cookie-policy?lang=en"))
    dialogs: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context()).new_page()
            page.on("dialog", lambda dialog: dialogs.append(dialog.message))
            await page.goto(url, wait_until="load")
            counts = await page.evaluate("""() => ({
                images: document.images.length,
                scripts: document.scripts.length,
                bold: document.querySelectorAll('b').length,
                shown: document.body.innerText.includes('<script>alert(1)</script>'),
            })""")
        finally:
            await browser.close()
    assert dialogs == []
    assert counts == {"images": 0, "scripts": 0, "bold": 0, "shown": True}
