"""The live panel's behaviour in the browser: switches show the model, focus stays inside."""

from browser import document

FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select, summary, [tabindex='0']"


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
