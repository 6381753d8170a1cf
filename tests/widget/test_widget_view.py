"""The widget's view and its tree, in CPython: what the banner, the panel and the tables hold, and
HTML that never lets policy text become markup."""

from __future__ import annotations

import copy
import html.parser
from pathlib import Path

import pytest

from crumb import page_table
from crumb.policy import load_policy, policy_document
from crumb.settings import DEMO_POLICIES
from crumb.widget import view as view_module
from crumb.widget.choices import Choices
from crumb.widget.tree import Node, h, render_html
from crumb.widget.view import banner_view, category_table_view, name_parts, preferences_view, provider_text


@pytest.fixture
def document() -> dict:
    return policy_document(load_policy(DEMO_POLICIES / "demo.toml").policy, "en")


def nodes(tree: Node):
    """Every element of a tree, depth first."""
    yield tree
    for child in tree.children:
        if isinstance(child, Node):
            yield from nodes(child)


def texts_of(tree: Node) -> list[str]:
    return [child for node in nodes(tree) for child in node.children if isinstance(child, str)]


def actions(tree: Node) -> list[str]:
    return [node.attrs["data-crumb-action"] for node in nodes(tree) if "data-crumb-action" in node.attrs]


class Collector(html.parser.HTMLParser):
    """What a browser's parser makes of our HTML: start tags with attributes, and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> Collector:
    collector = Collector()
    collector.feed(markup)
    return collector


def test_text_and_attribute_values_are_escaped_so_markup_in_them_stays_text():
    hostile = '<img src=x onerror="alert(1)"> & </p>'
    markup = render_html(h("p", hostile, title=hostile, data_x='"quoted"'))
    result = parsed(markup)
    assert result.tags == [("p", {"title": hostile, "data-x": '"quoted"'})]
    assert "".join(result.text) == hostile


def test_attribute_names_follow_html_and_booleans_are_present_or_absent():
    node = h("input", classes="crumb-switch", aria_label="Allow", data_crumb_category="x", for_="y",
             checked=True, disabled=False, hidden=None)
    assert node.attrs == {"class": "crumb-switch", "aria-label": "Allow", "data-crumb-category": "x", "for": "y",
                          "checked": ""}
    assert render_html(node) == '<input class="crumb-switch" aria-label="Allow" data-crumb-category="x" for="y" checked="">'


def test_none_children_are_left_out_and_strings_become_text():
    assert render_html(h("p", None, "a", h("b", "c"), None)) == "<p>a<b>c</b></p>"


def test_the_banner_and_the_panel_offer_the_decisions_in_the_same_order(document):
    banner = actions(banner_view(document))
    panel = [action for action in actions(preferences_view(document, Choices(document))) if action != "close"]
    assert banner == ["accept_all", "reject_all", "preferences"]
    assert panel == ["accept_all", "reject_all", "custom"]


def test_the_banner_names_the_site_and_links_the_cookie_policy(document):
    banner = banner_view(document)
    assert document["name"] in "".join(texts_of(banner))
    assert [n.attrs["href"] for n in nodes(banner) if n.tag == "a"] == [document["links"]["cookie_policy"]]


def test_the_policy_changed_and_gpc_lines_appear_only_when_asked_for(document):
    plain = texts_of(banner_view(document))
    told = texts_of(banner_view(document, policy_changed=True, gpc_note="GPC honoured"))
    assert document["texts"]["banner_policy_changed"] not in plain and "GPC honoured" not in plain
    assert document["texts"]["banner_policy_changed"] in told and "GPC honoured" in told


def test_switches_show_the_choices_and_required_categories_have_none(document):
    choices = Choices(document)
    choices.set_category("analytics", True)
    panel = preferences_view(document, choices)
    switches = {n.attrs.get("data-crumb-category") or n.attrs["data-crumb-service"]: "checked" in n.attrs
                for n in nodes(panel) if n.attrs.get("role") == "switch"}
    assert switches == {"preferences": False, "analytics": True, "marketing": False,
                        "statly": True, "adpixel": False, "vidtube": False}


def test_a_policy_that_needs_no_banner_offers_only_close(document):
    informing = copy.deepcopy(document)
    informing["needs_banner"] = False
    assert actions(preferences_view(informing, Choices(informing))) == ["close", "close"]


def test_the_category_table_lists_its_rows_with_who_sets_them(document):
    category = next(c for c in document["categories"] if c["id"] == "analytics")
    table = category_table_view(document, category)
    rows = [n for n in nodes(table) if n.tag == "tr"][1:]
    expected = [row for row in document["storage"] if row["category"] == "analytics"]
    assert len(rows) == len(expected) > 0
    assert ["".join(texts_of(row.children[0])) for row in rows] == [row["name"] for row in expected]
    assert texts_of(rows[0])[-1] == provider_text(document, expected[0])


def test_a_first_party_row_without_a_service_is_set_by_the_site_itself(document):
    row = next(row for row in document["storage"] if not row["service"])
    assert provider_text(document, row) == document["name"]


@pytest.mark.parametrize(("name", "html"), [
    ("_ga_ABC123", "_ga_<wbr>ABC123"),
    ("__Secure-next-auth.session-token", "__Secure-<wbr>next-<wbr>auth.<wbr>session-<wbr>token"),
    ("PHPSESSID", "PHPSESSID"),
    ("_ga", "_ga"),  # nothing after a leading _ is left alone on a line
    ("a__b", "a__<wbr>b"),  # a run of separators stays together
    ("x_", "x_"),
])
def test_a_cookie_name_may_wrap_only_after_its_separators(name, html):
    assert "".join(render_html(part) for part in name_parts(name)) == html


def test_the_panel_and_page_tables_mark_the_wrap_points_of_names_as_nodes(document):
    document = copy.deepcopy(document)
    document["storage"][0]["name"] = "crumb_<b>x</b>.id"
    category = next(c for c in document["categories"] if c["id"] == document["storage"][0]["category"])
    panel = render_html(category_table_view(document, category))
    page = render_html(page_table.policy_table_view(document))
    for html_text in (panel, page):
        assert "crumb_<wbr>&lt;b&gt;x&lt;/b&gt;.<wbr>id" in html_text  # the data stays text
    assert '<td data-label="Name" dir="auto" class="crumb-code">crumb_<wbr>' in panel
    assert "<code>crumb_<wbr>" in page


def css_rule(path, selector: str) -> str:
    """The declarations of the first rule whose selector list is exactly `selector`."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\n" + selector + " {") + len(selector) + 3
    return text[start:text.index("}", start)]


def test_the_stylesheets_never_break_a_header_and_break_names_only_at_their_wrap_points():
    widget_css = Path(view_module.__file__).parent / "widget.css"
    page_css = Path(page_table.__file__).parent / "templates" / "cookie_policy.css"
    assert "white-space: nowrap" in css_rule(widget_css, ".crumb-table th")
    assert "white-space: nowrap" in css_rule(page_css, ".storage thead th")
    for rule in (css_rule(widget_css, ".crumb-table .crumb-code"), css_rule(page_css, ".storage code")):
        assert "overflow-wrap: normal" in rule and "word-break: normal" in rule and "nowrap" not in rule
