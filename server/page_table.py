"""The cookie-policy page's storage table, from the widget's view rules (`widget/view.py`).

The page lays its table out differently from the panel (one table, a row group per category,
more columns), but every cell says what the panel's says: the same `cell_text` rules.
"""

from __future__ import annotations

from .widget.tree import h
from .widget.view import cell_text, name_parts

PAGE_COLUMNS = ("col_name", "col_kind", "col_party", "col_purpose", "col_duration", "col_service", "col_category")


def policy_table_view(document):
    """Return the page's full storage table: one row group per category, headed by its title."""
    texts = document["texts"]
    head = h("thead", h("tr", *[h("th", texts[key], scope="col") for key in PAGE_COLUMNS]))
    groups = []
    for category in document["categories"]:
        rows = [row for row in document["storage"] if row["category"] == category["id"]]
        lines = [h("tr", h("th", category["title"], scope="rowgroup", colspan=len(PAGE_COLUMNS), dir="auto"),
                   classes="group")]
        lines += [h("tr", h("th", h("code", *name_parts(row["name"])), scope="row", data_label=texts["col_name"]),
                    *[h("td", cell_text(document, row, key), data_label=texts[key], dir="auto")
                      for key in PAGE_COLUMNS[1:]]) for row in rows]
        if not rows:
            lines.append(h("tr", h("td", texts["no_storage"], colspan=len(PAGE_COLUMNS))))
        groups.append(h("tbody", *lines))
    caption = h("caption", *sentence(texts["table_caption"], "site", document["name"]))
    return h("table", caption, head, *groups, classes="storage")


def stateless_services_page_view(document):
    """Return the page's section of services that store nothing on the device, or None."""
    services = [service for service in document["services"] if service["stores_nothing"]]
    if not services:
        return None
    texts = document["texts"]
    items = []
    for service in services:
        meta = h("p", h("span", texts["provider_label"] + ": ", h("bdi", service["provider"])),
                 classes="meta") if service["provider"] else None
        link = h("p", h("a", *sentence(texts["privacy_policy_link"], "service", service["name"]),
                        href=service["privacy_url"], rel="noopener noreferrer")) if service["privacy_url"] else None
        items.append(h("li", h("h3", service["name"], dir="auto"),
                       h("p", service["description"], dir="auto") if service["description"] else None, meta, link))
    return h("section", h("h2", texts["stateless_heading"], id="stateless"), h("p", texts["stateless_intro"]),
             h("ul", *items, classes="services"), aria_labelledby="stateless")


def sentence(template, name, value):
    """Return a text's parts with `{name}` filled by `value` in a <bdi>, so that bidi controls in
    policy text cannot reorder the words around it."""
    parts = template.split("{" + name + "}")
    children = [parts[0]]
    for part in parts[1:]:
        children += [h("bdi", value), part]
    return [child for child in children if child != ""]
