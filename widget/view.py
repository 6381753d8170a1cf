"""The widget's view: the banner, the preferences panel and the cookie tables, as one source.

Each builder takes the localized policy document (the JSON `GET /api/v1/sites/{site}/policy`
serves) and returns a `tree.Node`. The server renders it to HTML for the frame's first layer and
for the cookie-policy page's table; the Python widget renders the same nodes to DOM in the
browser (README, "How it fits together"). Every text from the policy stays text.

Plain Python, importing only the widget's own pure modules: CPython and Brython both run it.
"""

from .tree import fill, h

ACTIONS = ("accept_all", "reject_all")  # first on the banner and in the panel, in this order
CLOSE_SIGN = "\u00d7"


def banner_view(document, policy_changed=False, gpc_note=""):
    """Return the first layer: a labelled region with what the cookies are for and three buttons
    of equal weight, with the policy-changed and GPC lines when they apply."""
    texts = document["texts"]
    title = h("h1", fill(texts["banner_title"], site=document["name"]), classes="crumb-title",
              id="crumb-banner-title")
    # The language is chosen before reading, so it sits beside the title, not after the buttons.
    words = h("div",
              h("div", title, language_select(document, "crumb-language crumb-language-compact"),
                classes="crumb-banner-head"),
              h("p", texts["banner_policy_changed"], classes="crumb-text crumb-changed") if policy_changed else None,
              h("p", texts["banner_body"], classes="crumb-text"),
              h("p", gpc_note, classes="crumb-text crumb-gpc") if gpc_note else None,
              h("p", _policy_link(document), classes="crumb-text"),
              classes="crumb-banner-text")
    actions = _actions(document, ("preferences", "preferences"))
    return h("section", h("div", words, actions, classes="crumb-banner-inner"), classes="crumb-banner",
             id="crumb-banner", role="region", aria_label=texts["banner_label"])


def preferences_view(document, choices, gpc_note=""):
    """Return the overlay holding the modal dialog, its switches showing `choices`
    (anything with `category_on(id)` and `service_on(id)`: `widget.choices.Choices`)."""
    texts = document["texts"]
    body = h("div",
             h("p", fill(texts["preferences_intro"], site=document["name"]), classes="crumb-text"),
             h("p", gpc_note, classes="crumb-text crumb-gpc") if gpc_note else None,
             *[_category(document, category, choices) for category in document["categories"]],
             stateless_services_view(document),
             classes="crumb-dialog-body")
    dialog = h("section", _header(document), body, _footer(document), classes="crumb-dialog",
               id="crumb-preferences", role="dialog", aria_modal="true", aria_labelledby="crumb-preferences-title")
    return h("div", dialog, classes="crumb-overlay")


def saved_view(document):
    """Return the line shown when the frame stays after a decision (no gate to hide it)."""
    return h("p", document["texts"]["choice_saved"], classes="crumb-status", role="status")


def _actions(document, last):
    """The decision buttons, in the same order on every layer; `last` is (action, text key)."""
    texts = document["texts"]
    pairs = [(action, action) for action in ACTIONS] + [last] if document["needs_banner"] else [("close", "close")]
    return h("div", *[h("button", texts[key], classes="crumb-button", type="button", data_crumb_action=action)
                      for action, key in pairs], classes="crumb-actions")


def _policy_link(document):
    return h("a", document["texts"]["cookie_policy_link"], classes="crumb-link",
             href=document["links"]["cookie_policy"], target="_blank", rel="noopener")


def language_select(document, classes="crumb-language"):
    """Return the labelled language select (a native <select> inside its <label>: keyboard and
    screen readers as the browser gives them), or None when the site has one language."""
    if len(document["languages"]) < 2:
        return None
    options = [h("option", language["name"], value=language["code"], lang=language["code"],
                 selected=language["code"] == document["language"]) for language in document["languages"]]
    return h("label", h("span", document["texts"]["language_label"]),
             h("select", *options, classes="crumb-select", data_crumb_language=True), classes=classes)


def _header(document):
    texts = document["texts"]
    return h("header",
             h("h1", texts["preferences_title"], classes="crumb-title", id="crumb-preferences-title"),
             language_select(document),
             h("button", CLOSE_SIGN, classes="crumb-close", type="button", data_crumb_action="close",
               aria_label=texts["close"]),
             classes="crumb-dialog-header")


def _switch(label, checked, **attributes):
    return h("input", classes="crumb-switch", type="checkbox", role="switch", aria_label=label,
             checked=checked, **attributes)


# Policy texts fall back to the policy's default language, which may run the other way than
# the interface (English under Arabic): dir="auto" lets each of them take its own direction.
def _category(document, category, choices):
    texts = document["texts"]
    title_id = "crumb-category-" + category["id"]
    if category["required"]:
        state = h("span", texts["always_on"], classes="crumb-always")
    else:
        state = _switch(fill(texts["allow_category"], category=category["title"]),
                        choices.category_on(category["id"]), data_crumb_category=category["id"])
    services = [s for s in document["services"] if s["category"] == category["id"]]
    return h("section",
             h("div", h("h2", category["title"], classes="crumb-category-title", id=title_id, dir="auto"), state,
               classes="crumb-category-head"),
             h("p", category["description"], classes="crumb-text", dir="auto"),
             _services(document, services, category, choices) if services else None,
             h("details", h("summary", texts["show_details"]), category_table_view(document, category),
               classes="crumb-details"),
             classes="crumb-category", aria_labelledby=title_id)


def _services(document, services, category, choices):
    texts = document["texts"]
    items = []
    for service in services:
        switch = None if category["required"] else _switch(
            fill(texts["allow_service"], service=service["name"]), choices.service_on(service["id"]),
            data_crumb_service=service["id"])
        items.append(_service_item(document, service, switch))
    return h("ul", *items, classes="crumb-services", aria_label=texts["services_heading"])


def _service_item(document, service, switch=None):
    """One service: its name (and switch), what it does, who provides it, its privacy link."""
    about = " \u00b7 ".join(text for text in (service["description"], service["provider"]) if text)
    link = None
    if service["privacy_url"]:
        link = h("a", fill(document["texts"]["privacy_policy_link"], service=service["name"]), classes="crumb-link",
                 href=service["privacy_url"], target="_blank", rel="noopener")
    return h("li",
             h("div", h("span", service["name"], classes="crumb-service-name", dir="auto"), switch,
               classes="crumb-service-head"),
             h("p", h("span", about, dir="auto"), h("span", " ") if link else None, link,
               classes="crumb-service-text"),
             classes="crumb-service")


def stateless_services_view(document):
    """Return the short section of services that store nothing on the device (no switch: there is
    nothing to consent to, README "Services that store nothing"), or None when the site has none."""
    services = [service for service in document["services"] if service.get("stores_nothing")]
    if not services:
        return None
    texts = document["texts"]
    return h("section",
             h("h2", texts["stateless_heading"], classes="crumb-category-title", id="crumb-stateless-title"),
             h("p", texts["stateless_intro"], classes="crumb-text"),
             h("ul", *[_service_item(document, service) for service in services], classes="crumb-services"),
             classes="crumb-category crumb-stateless", aria_labelledby="crumb-stateless-title")


def _footer(document):
    return h("footer", _actions(document, ("custom", "save_choices")), _policy_link(document),
             classes="crumb-dialog-footer")


# The panel's table of one category: the columns a visitor needs to decide.
PANEL_COLUMNS = ("col_name", "col_party", "col_purpose", "col_duration", "col_provider")


def category_table_view(document, category):
    """Return the table of one category's storage rows, or a line saying there are none."""
    texts = document["texts"]
    rows = [row for row in document["storage"] if row["category"] == category["id"]]
    if not rows:
        return h("p", texts["no_storage"], classes="crumb-text crumb-muted")
    head = h("thead", h("tr", *[h("th", texts[key], scope="col") for key in PANEL_COLUMNS]))
    body = h("tbody", *[h("tr", *[_cell(document, row, key) for key in PANEL_COLUMNS]) for row in rows])
    return h("table", h("caption", fill(texts["storage_caption"], category=category["title"])), head, body,
             classes="crumb-table")


def provider_text(document, row):
    """Return who sets a row: "Service (Provider)", the service or provider alone, or the site itself."""
    if row["service_name"] and row["provider"]:
        return row["service_name"] + " (" + row["provider"] + ")"
    return row["service_name"] or row["provider"] or document["name"]


def cell_text(document, row, key):
    """Return the text of one table cell, by its column's text key."""
    if key == "col_provider" or key == "col_service":
        return provider_text(document, row)
    if key == "col_category":
        return next(c["title"] for c in document["categories"] if c["id"] == row["category"])
    return row[{"col_name": "name", "col_kind": "kind_text", "col_party": "party_text",
                "col_purpose": "purpose", "col_duration": "duration_text"}[key]]


def _cell(document, row, key):
    if key == "col_name":
        return h("td", *name_parts(row["name"]), data_label=document["texts"][key], dir="auto", classes="crumb-code")
    return h("td", cell_text(document, row, key), data_label=document["texts"][key], dir="auto")


NAME_BREAKS = "_-."


def name_parts(name):
    """Return a cookie name as texts with a <wbr> after each `_`, `-` or `.` inside it: the only
    places a narrow table may wrap it (the stylesheets never break a name mid-word)."""
    parts = []
    start = 0
    for index in range(1, len(name) - 1):
        # Not inside a leading run (`__Host-`): a lone `__` would start the name on its own line.
        if (name[index] in NAME_BREAKS and name[index + 1] not in NAME_BREAKS
                and name[:index].strip(NAME_BREAKS)):
            parts += [name[start:index + 1], h("wbr")]
            start = index + 1
    return parts + [name[start:]]

