"""Building DOM elements from policy text safely: text always goes in as text, never as HTML."""

from browser import document


def element(tag: str, text: str | None = None, *, classes: str = "", **attributes):
    """Return a new element; `text` is set as text, attributes by name (`aria_label` -> `aria-label`)."""
    node = document.createElement(tag)
    if classes:
        node.attrs["class"] = classes
    if text is not None:
        node.text = text
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        node.attrs[name.rstrip("_").replace("_", "-")] = "" if value is True else str(value)
    return node


def button(text: str, action: str, **attributes):
    """Return one of the widget's buttons; every decision button looks the same (equal weight)."""
    return element("button", text, classes="crumb-button", type="button", data_crumb_action=action, **attributes)


def switch(label: str, checked: bool, **attributes):
    """Return a labelled on/off switch: a checkbox with `role="switch"`."""
    node = element("input", classes="crumb-switch", type="checkbox", role="switch", aria_label=label, **attributes)
    node.checked = checked
    return node


def fill(template: str, **values) -> str:
    """Fill `{name}` placeholders in a UI text (no str.format: texts may hold other braces)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template
