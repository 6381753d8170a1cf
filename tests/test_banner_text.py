"""The banner names the site's own optional purposes, in every built-in language."""

from __future__ import annotations

import pytest

from crumb.policy import policy_document
from crumb.policy.loader import parse_policy
from crumb.texts import builtin_texts
from crumb.widget.tree import render_html
from crumb.widget.view import banner_view
from tests.site_policies import raw_site

ALL_LANGUAGES = sorted(builtin_texts())
# What the old built-in text promised on every site, in each language's words.
OLD_PURPOSES = ("statistics and marketing", "Statistik und Marketing", "estadísticas y marketing",
                "statistiques et le marketing", "statistici e di marketing", "statistikai ir rinkodarai",
                "statistieken en marketing", "statystycznych i marketingowych", "estatísticas e marketing",
                "statistik och marknadsföring", "الإحصاءات والتسويق")


def _site(optional, languages=ALL_LANGUAGES, texts=None) -> dict:
    return raw_site(optional, languages, **({"texts": texts} if texts else {}))


def _banner_body(raw: dict, lang: str) -> str:
    document = policy_document(parse_policy(raw, "site.toml").policy, lang)
    return document["texts"]["banner_body"]


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_support_chat_only_site_names_its_chat_and_no_other_purpose(lang):
    body = _banner_body(_site([("chat", "Support chat")]), lang)
    assert f"Support chat ({lang})" in body
    assert "{categories}" not in body and "Necessary" not in body
    assert not [words for words in OLD_PURPOSES if words in body]


@pytest.mark.parametrize("lang,joined", [
    ("en", "Analytics (en) and Marketing (en)"), ("de", "Analytics (de) und Marketing (de)"),
    ("lt", "Analytics (lt) ir Marketing (lt)"), ("fr", "Analytics (fr) et Marketing (fr)"),
    ("ar", "Analytics (ar) وMarketing (ar)"),
])
def test_analytics_and_marketing_site_lists_both_titles_as_its_language_lists_them(lang, joined):
    body = _banner_body(_site([("analytics", "Analytics"), ("marketing", "Marketing")]), lang)
    assert joined in body


def test_the_rendered_banner_carries_the_composed_text():
    document = policy_document(parse_policy(_site([("chat", "Support chat")]), "site.toml").policy, "pl")
    html = render_html(banner_view(document))
    assert "Support chat (pl)" in html and "celów statystycznych" not in html


def test_a_site_override_is_shown_and_may_use_the_categories_placeholder():
    texts = {"en": {"banner_body": "Optional here: {categories}."}, "de": {"banner_body": "Nur der Chat."}}
    raw = _site([("chat", "Support chat")], languages=["en", "de"], texts=texts)
    assert _banner_body(raw, "en") == "Optional here: Support chat (en)."
    assert _banner_body(raw, "de") == "Nur der Chat."
