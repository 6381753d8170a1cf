"""Crumb's own cookies are listed only on sites where Crumb can write them."""

from __future__ import annotations

import pytest

from crumb.page_table import policy_table_view
from crumb.policy import policy_document
from crumb.widget.tree import render_html
from crumb.widget.view import preferences_view
from tests.site_policies import AllOff, site_policy

CHAT = [("chat", "Support chat")]


@pytest.mark.parametrize("optional,languages,expected", [
    ([], ["en"], set()),
    ([], ["en", "de"], {"crumb_lang"}),
    (CHAT, ["en"], {"crumb_consent"}),
    (CHAT, ["en", "lt"], {"crumb_consent", "crumb_lang"}),
])
def test_own_rows_appear_only_where_they_can_be_set(optional, languages, expected):
    policy = site_policy(optional, languages)
    assert {row.name for row in policy.storage if not row.declared} == expected


@pytest.mark.parametrize("optional,languages,absent", [
    ([], ["en"], ("crumb_consent", "crumb_lang")),
    (CHAT, ["en"], ("crumb_lang",)),
    ([], ["en", "de"], ("crumb_consent",)),
])
def test_page_table_and_panel_leave_out_a_cookie_that_is_never_written(optional, languages, absent):
    document = policy_document(site_policy(optional, languages), "en")
    page = render_html(policy_table_view(document))
    panel = render_html(preferences_view(document, AllOff()))
    for name in absent:
        assert name not in page and name not in panel


def test_a_cookie_the_site_declares_itself_is_kept_even_where_crumb_would_leave_it_out():
    row = {"name": "crumb_lang", "category": "necessary", "duration": "365d", "purpose": "Language."}
    policy = site_policy([], ["en"], storage=[row])
    assert [r.name for r in policy.storage] == ["crumb_lang"]
