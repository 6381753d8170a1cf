"""The widget's composition root: `start()` reads the inline policy and shows the first layer."""

from browser import document, html


def start() -> None:
    """Start the widget."""
    document.body <= html.P("ready")
