"""The cookie-policy page: `GET /sites/{site}/cookie-policy?lang=xx`, its stylesheet, and the
standalone copy that `python -m server export-page` writes.

The page is rendered from the same localized document as the policy JSON
(`Sites.document(...).data`), so the page, the widget and the API never disagree.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Callable

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from ..appkeys import POLICY_PAGES
from ..page_table import policy_table_view, stateless_services_page_view
from ..precompressed import Precompressed
from ..security_headers import DEFAULT_CSP
from ..stylesheets import Stylesheet
from ..texts import REFERENCE_LANGUAGE
from ..widget.tree import render_html
from .policy_api import find_document

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "cookie_policy.html"
STYLESHEET = Stylesheet(TEMPLATES_DIR / "cookie_policy.css", "/pages/cookie-policy.css")
PAGE_MAX_AGE = 300


def page_environment() -> jinja2.Environment:
    """Return a Jinja environment configured like the app's (autoescape on), for export."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


@functools.cache
def _reopen_sentences() -> dict[str, str]:
    with (TEMPLATES_DIR / "page_texts.toml").open("rb") as handle:
        return {lang: table["reopen"] for lang, table in tomllib.load(handle).items()}


def reopen_sentence(lang: str) -> str:
    """Return the "use the Cookie settings link" sentence in `lang` (prefix, then English)."""
    sentences = _reopen_sentences()
    return sentences.get(lang) or sentences.get(lang.split("-")[0]) or sentences[REFERENCE_LANGUAGE]


def page_context(doc: dict, *, lang_href: Callable[[str], str], gate_src: str = "",
                 stylesheet_href: str = "", inline_css: str = "") -> dict:
    """Return the template context for one localized policy document.

    `gate_src` empty means no gate on the page: a sentence replaces the settings button.
    """
    stateless = stateless_services_page_view(doc)
    return {
        "doc": doc,
        "t": doc["texts"],
        # The table comes from the widget's view, the same rules as the panel's tables.
        "storage_table": Markup(render_html(policy_table_view(doc))),
        "stateless_section": Markup(render_html(stateless)) if stateless else "",
        "consent_services": [service for service in doc["services"] if not service["stores_nothing"]],
        "category_titles": {category["id"]: category["title"] for category in doc["categories"]},
        "languages": [{**language, "href": lang_href(language["code"]),
                       "current": language["code"] == doc["language"]} for language in doc["languages"]],
        "gate_src": gate_src,
        "stylesheet_href": stylesheet_href,
        # Our own stylesheet file, never policy data: safe to put in <style> unescaped.
        "inline_css": Markup(inline_css) if inline_css else "",
        "reopen_sentence": reopen_sentence(doc["language"]),
    }


def page_href(site: str, lang: str) -> str:
    """Return the served page's URL path for one language."""
    return f"/sites/{site}/cookie-policy?lang={lang}"


def shares_consent_cookie(host: str, cookie_domain: str) -> bool:
    """True when a consent cookie the gate writes on `host` reaches the website too.

    The consent cookie is first-party on the website. On the Crumb origin the gate can only
    change it when the cookie is scoped to a parent domain both share (`cookie_domain`), as
    with consent.acme.example serving www.acme.example.
    """
    hostname = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
    domain = cookie_domain.lstrip(".").lower()
    return bool(domain) and (hostname == domain or hostname.endswith("." + domain))


async def get_cookie_policy(request: web.Request) -> web.Response:
    """Serve the cookie-policy page in the requested language (the default for an unsupported one)."""
    document = find_document(request)
    site = document.data["site"]

    # Without a shared cookie domain, a choice made here would land on the Crumb origin, not on
    # the website: the page then points to the website's own "Cookie settings" link instead.
    with_gate = shares_consent_cookie(request.host, document.data["cookies"]["domain"])

    def render() -> str:
        context = page_context(
            document.data,
            lang_href=functools.partial(page_href, site),
            # The gate is another route; if it fails the page still reads fine, only the button is inert.
            gate_src=f"/sites/{site}/gate.js" if with_gate else "",
            stylesheet_href=STYLESHEET.href,
        )
        return aiohttp_jinja2.render_string(TEMPLATE, request, context)

    def answer() -> Precompressed:
        return Precompressed.of(render().encode("utf-8"), content_type="text/html; charset=utf-8",
                                cache_control=f"public, max-age={PAGE_MAX_AGE}",
                                headers={"Content-Language": document.data["language"],
                                         "Content-Security-Policy": DEFAULT_CSP})

    return request.app[POLICY_PAGES].get((document.etag, with_gate), answer).answer(request)


def export_page(document: dict, *, crumb_url: str = "", lang_url: str = "cookie-policy.{lang}.html") -> str:
    """Return the page as one standalone HTML file (stylesheet inlined) for self-hosting.

    With `crumb_url` the page loads that server's gate and has the settings button; without
    it, a sentence points to the website's own "Cookie settings" link.
    """
    site = document["site"]
    context = page_context(
        document,
        lang_href=lambda lang: lang_url.replace("{lang}", lang),
        gate_src=f"{crumb_url.rstrip('/')}/sites/{site}/gate.js" if crumb_url else "",
        inline_css=STYLESHEET.body.decode("utf-8"),
    )
    return page_environment().get_template(TEMPLATE).render(context)
