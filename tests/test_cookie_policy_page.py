"""The cookie-policy page, served through the real app, and its standalone export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from bs4 import BeautifulSoup
from playwright.async_api import async_playwright

from crumb.app import create_app
from crumb.policy import load_policies
from crumb.reload import reload_policies
from crumb.settings import DEMO_POLICIES, Settings
from crumb.texts import builtin_texts, texts_for
from crumb.views.pages import reopen_sentence
from tests.conftest import POLICY_FIXTURES
from tests.server_process import ROOT

REALISTIC = POLICY_FIXTURES / "realistic"
POLICIES = {site: item.policy for site, item in load_policies(REALISTIC).items()}
EVERY_LANGUAGE = [(site, lang) for site, policy in POLICIES.items() for lang in policy.languages]
SHOP = POLICIES["kaffeehaus-shop"]


@pytest.fixture
async def sites_client(aiohttp_client, tmp_path: Path):
    """The real app serving the two realistic third-party-style policies."""
    settings = Settings(policies_dir=REALISTIC, db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}", demo=False)
    return await aiohttp_client(create_app(settings))


async def page(client, site: str, query: str = "", host: str | None = None) -> BeautifulSoup:
    response = await client.get(f"/sites/{site}/cookie-policy{query}", headers={"Host": host} if host else None)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/html"
    return BeautifulSoup(await response.text(), "html.parser")


def table_names(soup: BeautifulSoup) -> list[str]:
    return [cell.get_text() for cell in soup.select('table.storage th[scope="row"] code')]


@pytest.mark.parametrize(("site", "lang"), EVERY_LANGUAGE)
async def test_every_storage_name_is_in_the_page_in_every_language(sites_client, site, lang):
    soup = await page(sites_client, site, f"?lang={lang}")
    assert soup.html["lang"] == lang
    assert sorted(table_names(soup)) == sorted(row.name for row in POLICIES[site].storage)


@pytest.mark.parametrize(("site", "lang"), EVERY_LANGUAGE)
async def test_the_policy_json_is_served_in_every_language(sites_client, site, lang):
    response = await sites_client.get(f"/api/v1/sites/{site}/policy?lang={lang}")
    document = await response.json()
    assert (response.status, document["language"]) == (200, lang)
    assert [row["name"] for row in document["storage"]] == [row.name for row in POLICIES[site].storage]


async def test_the_policy_json_may_be_read_from_any_origin(sites_client):
    response = await sites_client.get(f"/api/v1/sites/{SHOP.id}/policy?lang=sv",
                                      headers={"Origin": "https://www.kaffeehaus.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("de", "ltr"), ("pl", "ltr"), ("sv", "ltr")])
async def test_the_page_has_the_language_and_direction_of_its_language(sites_client, lang, direction):
    soup = await page(sites_client, SHOP.id, f"?lang={lang}")
    assert (soup.html["lang"], soup.html["dir"]) == (lang, direction)


async def test_the_storage_table_has_a_caption_column_headers_and_one_group_per_category(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=fr")
    table = soup.select_one("table.storage")
    assert SHOP.name in table.caption.get_text()
    assert len(table.select('thead th[scope="col"]')) == 7
    groups = [group.get_text(strip=True) for group in table.select('tbody th[scope="rowgroup"]')]
    assert groups == [category.title.get("fr") for category in SHOP.categories]


async def test_each_category_says_whether_it_is_always_on_or_needs_consent(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=de")
    badges = [badge["class"][1] for badge in soup.select(".categories .badge")]
    assert badges == ["required" if category.required else "optional" for category in SHOP.categories]


async def test_the_language_switcher_links_every_language_and_marks_the_current_one(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=nl")
    links = soup.select("nav.switcher a")
    assert [(a["hreflang"], a["lang"]) for a in links] == [(lang, lang) for lang in SHOP.languages]
    assert [a["hreflang"] for a in links if a.get("aria-current") == "page"] == ["nl"]
    assert links[-1]["href"] == f"/sites/{SHOP.id}/cookie-policy?lang=ar"


async def test_an_unsupported_language_gets_the_default_one(sites_client):
    response = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=xx")
    assert response.headers["Content-Language"] == "de"
    assert BeautifulSoup(await response.text(), "html.parser").html["lang"] == "de"


async def test_a_regional_language_gets_its_base_language(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=fr-CA")
    assert soup.html["lang"] == "fr"


async def test_the_page_is_cacheable_and_names_its_language(sites_client):
    response = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=it")
    assert response.headers["Content-Language"] == "it"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["ETag"].startswith('"')


async def test_a_conditional_get_with_the_page_etag_answers_304(sites_client):
    first = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=es")
    again = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=es",
                                   headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert await again.read() == b""


async def test_each_language_has_its_own_etag(sites_client):
    spanish = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=es")
    swedish = await sites_client.get(f"/sites/{SHOP.id}/cookie-policy?lang=sv",
                                     headers={"If-None-Match": spanish.headers["ETag"]})
    assert swedish.status == 200


async def test_an_unknown_site_page_is_a_json_404(sites_client):
    response = await sites_client.get("/sites/nope/cookie-policy")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


async def test_durations_are_written_out_in_the_page_language(client):
    soup = await page(client, "demo", "?lang=lt")
    row = next(cell.parent for cell in soup.select('th[scope="row"]') if cell.get_text() == "currency")
    assert row.select_one('td[data-label]:nth-of-type(4)').get_text() == "1 metai"


async def test_a_duration_note_follows_the_duration(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=de")
    row = next(cell.parent for cell in soup.select('th[scope="row"]') if cell.get_text() == "VISITOR_INFO1_LIVE")
    assert "(wird bei jedem Video erneuert)" in row.get_text()


async def test_services_link_their_privacy_policies_without_opener_or_referrer(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=de")
    links = soup.select(".services a[href]")
    assert [a["href"] for a in links] == [service.privacy_url for service in SHOP.services]
    assert all(set(a["rel"]) == {"noopener", "noreferrer"} for a in links)


async def test_the_change_button_is_one_the_gate_opens_where_the_consent_cookie_is_shared(sites_client):
    # billfold.example shares its consent cookie with consent.billfold.example (cookie_domain).
    soup = await page(sites_client, "billfold", "?lang=lt", host="consent.billfold.example")
    button = soup.select_one("button[data-crumb-open]")
    assert button["type"] == "button"
    script = soup.select_one("head script")
    assert (script["src"], script.has_attr("defer")) == ("/sites/billfold/gate.js", True)


async def test_a_page_on_a_host_outside_the_cookie_domain_points_to_the_website_settings_instead(sites_client):
    soup = await page(sites_client, "billfold", "?lang=en", host="crumb.other.example")
    assert soup.select_one("button[data-crumb-open]") is None
    assert soup.find("script") is None
    assert soup.select_one(".reopen") is not None


async def test_the_controller_last_update_and_version_are_shown(sites_client):
    soup = await page(sites_client, "billfold", "?lang=pt")
    text = soup.get_text(" ")
    assert "Billfold UAB" in soup.address.get_text()
    assert soup.select_one('address a[href="mailto:dpo@billfold.example"]')
    phone = soup.select_one('address a[href="tel:+37052140000"]')
    assert phone.get_text() == "+370 5 214 0000" and phone.parent.get_text().startswith("Telefone: ")
    assert "14 de setembro de 2026" in text
    assert "7" in soup.select_one(".version").get_text()


async def test_a_controller_without_a_phone_shows_no_phone_line(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=de")
    assert soup.select_one('address a[href^="mailto:"]') and not soup.select_one('address a[href^="tel:"]')
    assert "Telefon" not in soup.address.get_text()


async def test_the_page_has_no_inline_script_style_or_handler(sites_client):
    soup = await page(sites_client, SHOP.id, "?lang=ar")
    assert soup.find("style") is None
    assert all(script.has_attr("src") and not script.string for script in soup.find_all("script"))
    attributes = [name for tag in soup.find_all(True) for name in tag.attrs]
    assert not [name for name in attributes if name == "style" or name.startswith("on")]


async def test_the_stylesheet_is_served_with_print_and_narrow_screen_rules(sites_client):
    soup = await page(sites_client, SHOP.id)
    response = await sites_client.get(soup.select_one('link[rel="stylesheet"]')["href"])
    css = await response.text()
    assert (response.status, response.content_type) == (200, "text/css")
    assert "@media print" in css and "max-width: 44rem" in css
    again = await sites_client.get("/pages/cookie-policy.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status == 304


def test_the_reopen_sentence_of_exported_pages_exists_in_every_bundled_language():
    missing = [lang for lang in builtin_texts() if "{settings}" not in reopen_sentence(lang)
               or (lang != "en" and reopen_sentence(lang) == reopen_sentence("en"))]
    assert missing == []


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", "export-page", *args], cwd=ROOT,
                          capture_output=True, timeout=60)


def test_export_page_writes_a_standalone_page_without_gate_by_default():
    result = export("--site", SHOP.id, "--lang", "pl", "--policies", str(REALISTIC))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(result.stdout.decode("utf-8"), "html.parser")
    assert "@media print" in soup.style.string
    assert soup.find("link", rel="stylesheet") is None
    assert soup.find("script") is None and soup.find("button") is None
    reopen = soup.select_one("p.reopen")
    assert reopen.get_text().startswith("Aby zmienić lub wycofać zgodę")
    assert reopen.bdi.get_text() == texts_for("pl")["settings_button"]
    assert soup.select_one('nav.switcher a[hreflang="sv"]')["href"] == "cookie-policy.sv.html"


def test_export_page_with_a_crumb_url_loads_that_gate_and_has_the_button():
    result = export("--site", "billfold", "--lang", "lt", "--policies", str(REALISTIC),
                    "--crumb-url", "https://consent.example/")
    soup = BeautifulSoup(result.stdout.decode("utf-8"), "html.parser")
    assert soup.select_one("head script")["src"] == "https://consent.example/sites/billfold/gate.js"
    assert soup.select_one("button[data-crumb-open]") is not None


async def test_the_exported_page_has_the_same_table_as_the_served_one(sites_client):
    served = await page(sites_client, SHOP.id, "?lang=ar")
    result = export("--site", SHOP.id, "--lang", "ar", "--policies", str(REALISTIC))
    exported = BeautifulSoup(result.stdout.decode("utf-8"), "html.parser")
    assert str(exported.select_one("table.storage")) == str(served.select_one("table.storage"))
    assert (exported.html["lang"], exported.html["dir"]) == ("ar", "rtl")


def test_export_page_refuses_a_language_the_site_does_not_offer():
    result = export("--site", "demo", "--lang", "sv", "--policies", str(DEMO_POLICIES))
    assert result.returncode == 1
    assert b"has no language 'sv' (languages: en, lt, pt)" in result.stderr


# --- in a real browser: narrow screens, print, accessibility ----------------------------------

SHARED_HOST = "consent.billfold.example"  # inside billfold's cookie_domain: the page carries the gate
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--host-resolver-rules=MAP {SHARED_HOST} 127.0.0.1"]


@pytest.fixture
async def browser():
    """Debian's Chromium with a fresh profile, closed after the test."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


def shared_host_url(client, path: str) -> str:
    return str(client.make_url(path).with_host(SHARED_HOST))


async def open_page(browser, client, path: str, shared_host: bool = False, **context_options):
    context = await browser.new_context(**context_options)
    tab = await context.new_page()
    url = shared_host_url(client, path) if shared_host else str(client.make_url(path))
    response = await tab.goto(url, wait_until="load")
    assert response.status == 200
    return tab


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_the_page_fits_a_320_pixel_screen_without_sideways_scrolling(browser, sites_client, lang):
    tab = await open_page(browser, sites_client, f"/sites/{SHOP.id}/cookie-policy?lang={lang}",
                          viewport={"width": 320, "height": 640})
    widths = await tab.evaluate("""() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
        document.querySelector('table.storage caption').getBoundingClientRect().width > 250]""")
    assert widths == [320, 320, True]


# Where each cookie name and each column header breaks into lines: the character before every
# line break of a name, and the number of lines of each header.
LINE_BREAKS = """() => {
    const lines = node => { const range = document.createRange(); const tops = [];
        for (const text of [...node.childNodes].filter(n => n.nodeType === 3)) {
            for (let i = 0; i < text.length; i++) {
                range.setStart(text, i); range.setEnd(text, i + 1);
                tops.push([text.data[i], Math.round(range.getBoundingClientRect().top)]); } }
        return tops; };
    const names = [...document.querySelectorAll('table.storage code')].map(code => {
        const tops = lines(code);
        return tops.filter((t, i) => i > 0 && t[1] > tops[i - 1][1]).map(t => tops[tops.indexOf(t) - 1][0]); });
    const headers = [...document.querySelectorAll('table.storage thead th')].map(th =>
        new Set(lines(th).map(t => t[1])).size);
    const overflowing = [...document.querySelectorAll('table.storage code')].filter(code =>
        code.getBoundingClientRect().right > code.parentElement.getBoundingClientRect().right + 0.5).length;
    return {breaks: names.flat(), wrapped: names.filter(b => b.length).length, headers, overflowing}; }"""


@pytest.mark.parametrize(("width", "text_zoom"), [(1280, "100%"), (720, "200%"), (375, "300%")])
async def test_names_wrap_only_after_their_separators_and_headers_never(browser, sites_client, width, text_zoom):
    tab = await open_page(browser, sites_client, "/sites/billfold/cookie-policy?lang=lt",
                          viewport={"width": width, "height": 900})
    await tab.evaluate("zoom => { document.documentElement.style.fontSize = zoom; }", text_zoom)  # WCAG 1.4.4
    seen = await tab.evaluate(LINE_BREAKS)
    assert set(seen["breaks"]) <= set("_-.") and seen["overflowing"] == 0
    if width > 704:  # the table itself, not the cards of a narrow screen
        assert seen["headers"] and set(seen["headers"]) == {1}
    if text_zoom != "100%":
        assert seen["wrapped"] > 0  # squeezed enough that names do wrap, at their separators


async def test_printing_hides_the_controls_and_writes_out_link_targets(browser, sites_client):
    tab = await open_page(browser, sites_client, "/sites/billfold/cookie-policy?lang=en", shared_host=True)
    await tab.emulate_media(media="print")
    printed = await tab.evaluate("""() => ({
        button: getComputedStyle(document.querySelector('button[data-crumb-open]')).display,
        switcher: getComputedStyle(document.querySelector('nav.switcher')).display,
        link: getComputedStyle(document.querySelector('.services a'), '::after').content,
        row: getComputedStyle(document.querySelector('table.storage tbody tr')).breakInside,
    })""")
    billfold = POLICIES["billfold"]
    assert printed == {"button": "none", "switcher": "none", "link": f'" ({billfold.services[0].privacy_url})"',
                       "row": "avoid"}


@pytest.mark.parametrize(("site", "lang", "scheme"), [("kaffeehaus-shop", "ar", "light"),
                                                       ("billfold", "lt", "dark")])
async def test_the_page_has_no_accessibility_violations(browser, sites_client, site, lang, scheme):
    # Axe is injected by evaluation; the page's own CSP forbids any script but the gate.
    tab = await open_page(browser, sites_client, f"/sites/{site}/cookie-policy?lang={lang}",
                          bypass_csp=True, color_scheme=scheme)
    results = await Axe().run(tab)
    assert results.violations_count == 0, results.generate_report()


async def test_the_whole_table_is_readable_with_javascript_switched_off(browser, sites_client):
    tab = await open_page(browser, sites_client, "/sites/billfold/cookie-policy?lang=en", java_script_enabled=False)
    shown = await tab.locator("table.storage").inner_text()
    assert [row.name for row in POLICIES["billfold"].storage if row.name not in shown] == []


async def test_a_policy_reload_changes_the_served_page(aiohttp_client, tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (REALISTIC / "invoicing.toml").read_text(encoding="utf-8")
    (policies / "invoicing.toml").write_text(text, encoding="utf-8")
    client = await aiohttp_client(create_app(Settings(policies_dir=policies, demo=False,
                                                      db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}")))
    before = await page(client, "billfold", "?lang=en")
    (policies / "invoicing.toml").write_text(text.replace('name = "Billfold Invoicing"', 'name = "Billfold Books"'),
                                            encoding="utf-8")
    assert await reload_policies(client.app) == []
    after = await page(client, "billfold", "?lang=en")
    assert (before.caption.bdi.get_text(), after.caption.bdi.get_text()) == ("Billfold Invoicing", "Billfold Books")


async def test_the_page_works_when_the_gate_script_fails_to_load(browser, sites_client):
    context = await browser.new_context()
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    await tab.route("**/gate.js", lambda route: route.fulfill(status=404, body="{}"))
    async with tab.expect_response(lambda response: response.url.endswith("/gate.js")) as gate:
        await tab.goto(shared_host_url(sites_client, "/sites/billfold/cookie-policy?lang=en"))
    assert (await gate.value).status == 404
    await tab.click("button[data-crumb-open]")
    assert errors == []
    assert await tab.locator("table.storage tbody tr").count() > len(POLICIES["billfold"].storage)
