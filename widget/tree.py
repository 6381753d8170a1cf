"""The neutral markup tree the widget's view builds, and its HTML form.

One view (`widget/view.py`) builds the banner, the panel and the cookie tables as these nodes;
the server renders them to HTML here for the frame's first layer and the cookie-policy page,
and Brython renders the very same nodes to DOM (`widget/dom.py`). Text is always text: it is
escaped here and set as text there, never parsed as HTML (README, "Texts").

Plain Python with no imports: Brython runs it without any standard library module.
"""

# Elements HTML writes without an end tag.
VOID = ("input", "img", "br", "wbr", "meta", "link")
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE_ESCAPES = _TEXT_ESCAPES + (('"', "&quot;"),)


class Node:
    """An element: tag, attributes (in order; a value "" for a boolean attribute), children.

    Children are nodes or strings (text).
    """

    def __init__(self, tag, attrs, children):
        self.tag = tag
        self.attrs = attrs
        self.children = children

    def __eq__(self, other):
        return (isinstance(other, Node) and self.tag == other.tag and self.attrs == other.attrs
                and self.children == other.children)

    def __repr__(self):
        return "Node(" + repr(self.tag) + ", " + repr(self.attrs) + ", " + repr(self.children) + ")"


def h(tag, *children, **attributes):
    """Return a node; `classes` becomes `class`, `aria_label` `aria-label`, a trailing `_` is dropped;
    True is a boolean attribute, False and None leave the attribute out; None children are skipped."""
    attrs = {}
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = "class" if name == "classes" else name.rstrip("_").replace("_", "-")
        attrs[name] = "" if value is True else str(value)
    return Node(tag, attrs, [child for child in children if child is not None])


def fill(template, **values):
    """Fill `{name}` placeholders of a text (never str.format: texts may hold other braces)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def render_html(node):
    """Return the node as HTML, every text and attribute value escaped."""
    if isinstance(node, str):
        return _escape(node, _TEXT_ESCAPES)
    attributes = "".join(" " + name + '="' + _escape(value, _ATTRIBUTE_ESCAPES) + '"'
                         for name, value in node.attrs.items())
    if node.tag in VOID:
        return "<" + node.tag + attributes + ">"
    inner = "".join(render_html(child) for child in node.children)
    return "<" + node.tag + attributes + ">" + inner + "</" + node.tag + ">"


def _escape(text, escapes):
    for character, entity in escapes:
        text = text.replace(character, entity)
    return text
