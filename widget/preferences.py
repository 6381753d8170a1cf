"""The preferences panel: a modal dialog with a switch per optional category and service,
the cookie table of each category, the language switch and the decision buttons."""

from browser import document

from .cookie_table import build_cookie_table
from .elements import button, element, fill, switch

FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select, summary, [tabindex='0']"


def build_preferences(document: dict, choices, gpc_note: str = ""):
    """Return the overlay holding the dialog, its switches showing `choices`."""
    texts = document["texts"]
    overlay = element("div", classes="crumb-overlay")
    dialog = element("section", classes="crumb-dialog", id="crumb-preferences", role="dialog",
                     aria_modal="true", aria_labelledby="crumb-preferences-title")
    dialog <= _header(document)
    body = element("div", classes="crumb-dialog-body")
    body <= element("p", fill(texts["preferences_intro"], site=document["name"]), classes="crumb-text")
    if gpc_note:
        body <= element("p", gpc_note, classes="crumb-text crumb-gpc")
    for category in document["categories"]:
        body <= _category(document, category, choices)
    dialog <= body
    dialog <= _footer(document)
    overlay <= dialog
    return overlay


def _header(document: dict):
    texts = document["texts"]
    header = element("header", classes="crumb-dialog-header")
    header <= element("h1", texts["preferences_title"], classes="crumb-title", id="crumb-preferences-title")
    if len(document["languages"]) > 1:
        label = element("label", classes="crumb-language")
        label <= element("span", texts["language_label"])
        select = element("select", classes="crumb-select", data_crumb_language=True)
        for language in document["languages"]:
            option = element("option", language["name"], value=language["code"], lang=language["code"])
            option.selected = language["code"] == document["language"]
            select <= option
        label <= select
        header <= label
    header <= element("button", "×", classes="crumb-close", type="button", data_crumb_action="close",
                      aria_label=texts["close"])
    return header


# Policy texts fall back to the policy's default language, which may run the other way than
# the interface (English under Arabic): dir="auto" lets each of them take its own direction.
def _category(document: dict, category: dict, choices):
    texts = document["texts"]
    title_id = "crumb-category-" + category["id"]
    section = element("section", classes="crumb-category", aria_labelledby=title_id)
    head = element("div", classes="crumb-category-head")
    head <= element("h2", category["title"], classes="crumb-category-title", id=title_id, dir="auto")
    if category["required"]:
        head <= element("span", texts["always_on"], classes="crumb-always")
    else:
        head <= switch(fill(texts["allow_category"], category=category["title"]),
                       choices.category_on(category["id"]), data_crumb_category=category["id"])
    section <= head
    section <= element("p", category["description"], classes="crumb-text", dir="auto")
    services = [s for s in document["services"] if s["category"] == category["id"]]
    if services:
        section <= _services(document, services, category, choices)
    details = element("details", classes="crumb-details")
    details <= element("summary", texts["show_details"])
    details <= build_cookie_table(document, category)
    section <= details
    return section


def _services(document: dict, services: list, category: dict, choices):
    texts = document["texts"]
    items = element("ul", classes="crumb-services", aria_label=texts["services_heading"])
    for service in services:
        item = element("li", classes="crumb-service")
        head = element("div", classes="crumb-service-head")
        head <= element("span", service["name"], classes="crumb-service-name", dir="auto")
        if not category["required"]:
            head <= switch(fill(texts["allow_service"], service=service["name"]),
                           choices.service_on(service["id"]), data_crumb_service=service["id"])
        item <= head
        about = element("p", classes="crumb-service-text")
        about <= element("span", " · ".join(t for t in (service["description"], service["provider"]) if t), dir="auto")
        if service["privacy_url"]:
            about <= element("span", " ")
            about <= element("a", fill(texts["privacy_policy_link"], service=service["name"]), classes="crumb-link",
                             href=service["privacy_url"], target="_blank", rel="noopener")
        item <= about
        items <= item
    return items


def _footer(document: dict):
    texts = document["texts"]
    footer = element("footer", classes="crumb-dialog-footer")
    actions = element("div", classes="crumb-actions")
    if document["needs_banner"]:
        actions <= button(texts["reject_all"], "reject_all")
        actions <= button(texts["accept_all"], "accept_all")
        actions <= button(texts["save_choices"], "custom")
    else:  # nothing can be refused: the panel only informs
        actions <= button(texts["close"], "close")
    footer <= actions
    footer <= element("a", texts["cookie_policy_link"], classes="crumb-link", href=document["links"]["cookie_policy"],
                      target="_blank", rel="noopener")
    return footer


def sync_switches(root, choices) -> None:
    """Show the model's state on every switch (a category switch moves its services' switches)."""
    for node in root.querySelectorAll("[data-crumb-category]"):
        node.checked = choices.category_on(node.attrs["data-crumb-category"])
    for node in root.querySelectorAll("[data-crumb-service]"):
        node.checked = choices.service_on(node.attrs["data-crumb-service"])


def trap_focus(dialog, event) -> None:
    """Keep Tab and Shift+Tab inside the dialog, wrapping at both ends."""
    nodes = [n for n in dialog.querySelectorAll(FOCUSABLE) if n.offsetParent is not None or n.tagName == "SUMMARY"]
    if not nodes:
        return
    first, last = nodes[0], nodes[-1]
    active = document.activeElement
    if event.shiftKey and (active == first or not dialog.contains(active)):
        event.preventDefault()
        last.focus()
    elif not event.shiftKey and (active == last or not dialog.contains(active)):
        event.preventDefault()
        first.focus()
