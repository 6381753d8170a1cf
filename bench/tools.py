"""The consent tools under comparison: where each one's page is, how to see its banner, which
button accepts, and which requests are the tool's own (for the byte counts)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origins:
    """The three loopback origins of one benchmark run."""

    website: str      # http://localhost:P1: host pages and the other tools' files
    third_party: str  # http://127.0.0.2:P2: the script kept asleep
    crumb: str        # http://127.0.0.1:P3: the Crumb server


@dataclass(frozen=True)
class Tool:
    """One consent tool on the shared host page."""

    name: str
    label: str
    banner_selector: str             # the banner element, in the frame that shows it
    accept_selector: str             # the "accept all" button, in the same frame
    in_frame: str | None = None      # selector of the iframe holding the banner, if any

    def page_url(self, origins: Origins) -> str:
        """Return this tool's host page."""
        return f"{origins.website}/{self.name}/"

    def watch(self, origins: Origins) -> dict[str, dict[str, str]]:
        """Return what the probe watches in each origin's documents.

        A banner in a frame is visible only when its frame is visible in the website's page
        too, so the probe watches both and the later of the two counts.
        """
        banner = {"banner": self.banner_selector, "accept": self.accept_selector}
        if self.in_frame:
            return {origins.website: {"banner": self.in_frame}, origins.crumb: banner}
        return {origins.website: banner}

    def owns(self, url: str, origins: Origins) -> bool:
        """True when a request is the consent tool's own (script, styles, frame, runtime, API)."""
        if self.name == "crumb":
            return url.startswith(origins.crumb + "/")
        return url.startswith(f"{origins.website}/tools/{self.name}/")


# The reference the budgets are stated against comes first; the lower bound next.
TOOLS = (
    Tool("vanilla", "vanilla-cookieconsent 3", "#cc-main .cm", '#cc-main .cm [data-role="all"]'),
    Tool("plain", "plain JS banner", "#plain-banner", '#plain-banner [data-choice="all"]'),
    Tool("klaro", "Klaro 0.7", ".klaro .cookie-notice", ".klaro .cookie-notice .cm-btn-success"),
    Tool("crumb", "Crumb", "#crumb-banner", '#crumb-banner [data-crumb-action="accept_all"]',
         in_frame='iframe[src*="/widget"]'),
)
REFERENCE = "vanilla"


def tool_named(name: str) -> Tool:
    """Return the tool called `name`."""
    return next(tool for tool in TOOLS if tool.name == name)
