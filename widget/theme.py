"""The policy's theme applied to the frame: `--crumb-*` custom properties and position classes."""

from browser import document


def apply_theme(theme: dict) -> None:
    """Set the theme's custom properties on the root element (CSSOM: allowed by the frame's CSP)."""
    root = document.documentElement
    for name, value in theme.get("properties", {}).items():
        if name.startswith("--crumb-"):
            root.style.setProperty(name, value)
    root.classList.toggle("crumb-dark-auto", bool(theme.get("dark_mode")))
