"""The first layer: what the cookies are for, and three buttons of equal weight."""

from .elements import button, element, fill


def build_banner(document: dict, policy_changed: bool = False, gpc_note: str = ""):
    """Return the banner: a labelled region, with the policy-changed and GPC lines when they apply."""
    texts = document["texts"]
    banner = element("section", classes="crumb-banner", id="crumb-banner", role="region",
                     aria_label=texts["banner_label"])
    inner = element("div", classes="crumb-banner-inner")
    words = element("div", classes="crumb-banner-text")
    words <= element("h1", fill(texts["banner_title"], site=document["name"]), classes="crumb-title",
                     id="crumb-banner-title")
    if policy_changed:
        words <= element("p", texts["banner_policy_changed"], classes="crumb-text crumb-changed")
    words <= element("p", texts["banner_body"], classes="crumb-text")
    if gpc_note:
        words <= element("p", gpc_note, classes="crumb-text crumb-gpc")
    link_line = element("p", classes="crumb-text")
    link_line <= element("a", texts["cookie_policy_link"], classes="crumb-link",
                         href=document["links"]["cookie_policy"], target="_blank", rel="noopener")
    words <= link_line
    actions = element("div", classes="crumb-actions")
    for action, key in (("accept_all", "accept_all"), ("reject_all", "reject_all"), ("preferences", "preferences")):
        actions <= button(texts[key], action)
    inner <= words
    inner <= actions
    banner <= inner
    return banner
