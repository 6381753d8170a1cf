"""The view's nodes (`widget/tree.py`) made into DOM elements, in the browser.

The server writes the same nodes as HTML for the first layer; a test compares both for every
example policy, so the layer the visitor sees first is the layer the widget then draws.
"""

from browser import document


def to_dom(node):
    """Return a new DOM element for `node` and its children (texts as text nodes, never HTML)."""
    if isinstance(node, str):
        return document.createTextNode(node)
    element = document.createElement(node.tag)
    for name, value in node.attrs.items():
        element.setAttribute(name, value)
    for child in node.children:
        element.appendChild(to_dom(child))
    return element
