"""The gate's per-site configs, and the gate's two scripts with them baked in.

The gate is two scripts, each holding the token `__CRUMB_CONFIG__` exactly once where the server
puts its JSON config: `widget/gate.js`, which every page view runs and which carries only what a
returning visitor needs, and `widget/gate_ui.js`, the UI chunk it loads on demand (the widget
frame, embed placeholders, withdrawal). The frame fetches the full localized policy itself.
"""

from __future__ import annotations

import json

from .assets import Assets
from .policy import Policy
from .precompressed import AnswerCache, Precompressed
from .texts import texts_for

CONFIG_TOKEN = "__CRUMB_CONFIG__"
# Kinds of storage the gate can delete in the page itself when consent is withdrawn.
DELETABLE_KINDS = ("cookie", "local_storage", "session_storage")
# The widget's dark-mode surface, text and focus colours (widget/widget.css, .crumb-dark-auto).
DARK_SURFACE, DARK_TEXT, DARK_FOCUS = "#17181c", "#eef0f4", "#9cc3ff"
# Texts the UI chunk shows (embed placeholders, the frame's title): key in the chunk -> key in
# the built-in texts.
UI_TEXTS = {"blocked": "blocked", "load_once": "load_once", "always_allow": "always_allow",
            "frame_title": "banner_label"}


def gate_config(policy: Policy, origin: str) -> dict:
    """Return the config the gate reads as `C` (see the top of widget/gate.js); `origin` is the
    Crumb server's public origin, baked in so that the gate never takes it from the page."""
    config = {
        "site": policy.id,
        "origin": origin,
        "revision": policy.revision,
        "categories": [c.id for c in policy.categories],
        "required": [c.id for c in policy.categories if c.required],
        # A service that stores nothing on the device is not consented to (README, "[[services]]"):
        # the gate does not know it, so no markup can make it wait for a consent never given.
        "services": {s.id: s.category for s in policy.services if not s.stores_nothing},
        "languages": list(policy.languages),
        "cookies": {"consent": policy.consent_cookie, "language": policy.language_cookie},
        "settings": settings_button_config(policy),
        "consent_mode": consent_mode_config(policy),
        "gpc": gpc_config(policy),
    }
    if declares_hosts(policy):  # only the auto-blocking gate reads them (README, "Auto-blocking")
        config["hosts"] = [[host, service.id] for service in policy.services for host in service.hosts]
    return config


def gpc_config(policy: Policy) -> int:
    """Return how the gate treats Global Privacy Control: 0 ignores it, 1 respects it (the banner
    says so and "accept all" leaves sale-or-share categories off), 2 refuses without asking,
    since every optional category sells or shares (README, "Global Privacy Control")."""
    if policy.gpc != "respect":
        return 0
    optional = [c for c in policy.categories if not c.required]
    return 2 if optional and all(c.sale_or_share for c in optional) else 1


def declares_hosts(policy: Policy) -> bool:
    """True when a service lists hosts: the site gets the gate with auto-blocking."""
    return any(service.hosts for service in policy.services)


def settings_button_config(policy: Policy) -> list | None:
    """Return the floating button's [{language: text}, css, focus ring], drawn from the site's
    theme; None when the policy shows no button."""
    if policy.settings_button == "none":
        return None
    theme = policy.theme
    background, text, ring = theme.background_color, theme.text_color, theme.accent_color
    if theme.dark_mode:  # the widget's own dark colours (widget/widget.css), as the visitor's system asks
        background, text, ring = (f"light-dark({background},{DARK_SURFACE})", f"light-dark({text},{DARK_TEXT})",
                                  f"light-dark({ring},{DARK_FOCUS})")
    css = (f"color-scheme:light{' dark' if theme.dark_mode else ''};font:600 15px {theme.font_family};"
           f"padding:8px 14px;border:2px solid {theme.accent_color};border-radius:{theme.radius};"
           f"background:{background};color:{text};cursor:pointer;position:fixed;bottom:16px;"
           f"{policy.settings_button}:16px;z-index:2147483646;outline-offset:2px")
    return [{lang: texts_for(lang, policy.texts.get(lang))["settings_button"] for lang in policy.languages},
            css, f"3px solid {ring}"]


def gate_ui_config(policy: Policy, origin: str) -> dict:
    """Return the config the UI chunk reads as `C` (see the top of widget/gate_ui.js)."""
    return {
        "texts": {lang: ui_texts(policy, lang) for lang in policy.languages},
        "names": {s.id: s.name for s in policy.services},
        "storage": withdrawable_storage(policy),
        "position": policy.theme.position,
        # Only the chunk writes cookies (decisions, the language, withdrawal).
        "consent_days": policy.consent_days, "refusal_days": policy.refusal_days,
        "language_days": policy.language_days, "domain": policy.cookie_domain,
    }


def consent_mode_config(policy: Policy) -> dict | bool:
    """Return the Google Consent Mode settings and, under `keys`, each key with the categories
    and services that grant it (only keys listed by any); false when Consent Mode is off."""
    settings = policy.consent_mode
    if not settings.enabled:
        return False
    keys: dict[str, list[str]] = {}
    for item in (*policy.categories, *policy.services):
        for key in item.consent_mode:
            keys.setdefault(key, []).append(item.id)
    return {"wait_for_update": settings.wait_for_update, "ads_data_redaction": settings.ads_data_redaction,
            "url_passthrough": settings.url_passthrough, "keys": keys}


def ui_texts(policy: Policy, lang: str) -> dict[str, str]:
    """Return the UI chunk's few texts in `lang`, with the titles of the categories a placeholder
    may name as `cat_<id>` (only optional ones: required categories never block anything)."""
    texts = texts_for(lang, policy.texts.get(lang))
    chosen = {key: texts[source] for key, source in UI_TEXTS.items()}
    chosen.update({f"cat_{c.id}": c.title.get(lang) for c in policy.categories if not c.required})
    return chosen


def withdrawable_storage(policy: Policy) -> list[list[str]]:
    """Return `[kind, name, category, service]` for the first-party entries the gate can delete.

    Entries of required categories are never withdrawn, so they are left out.
    """
    rows = []
    for row in policy.storage:
        category = row.category or policy.service(row.service).category
        if row.first_party and row.kind in DELETABLE_KINDS and not policy.category(category).required:
            rows.append([row.kind, row.name, category, row.service])
    return rows


def gate_script(template: str, policy: Policy, origin: str, config=gate_config) -> bytes:
    """Return one gate script for `policy`: `template` with `config(policy, origin)` as JSON in
    place of the token (the core's config unless told otherwise).

    :raise ValueError: when the template does not hold the token exactly once.
    """
    if template.count(CONFIG_TOKEN) != 1:
        raise ValueError(f"the gate template must hold {CONFIG_TOKEN} exactly once "
                         f"(got {template.count(CONFIG_TOKEN)})")
    text = json.dumps(config(policy, origin), ensure_ascii=False, separators=(",", ":"))
    # JSON allows U+2028/U+2029 raw; older JS parsers did not: escape them.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return template.replace(CONFIG_TOKEN, text).encode("utf-8")


def gate_template(assets: Assets, name: str = "gate.js") -> str:
    """Return a minified gate template (`gate.js`, `gate_autoblock.js` or `gate_ui.js`) from the
    built bundle, still holding the token (package_builder.py minifies and checks it).

    :raise MissingAsset: when the bundle has no such file.
    """
    return assets.text(name)


# Each script's config, by the name it is served under.
CONFIGS = {"gate.js": gate_config, "gate_ui.js": gate_ui_config}
# The templates the server reads from the bundle: the gate in its two builds, and the UI chunk.
GATE_TEMPLATES = ("gate.js", "gate_autoblock.js", "gate_ui.js")
GATE_MAX_AGE = 300
# Websites load both scripts from another origin, some of them under Cross-Origin-Embedder-Policy,
# and with `crossorigin="anonymous"` (README, "Embedding on your website"): a CORS request without
# cookies, which only an `Access-Control-Allow-Origin` answer may fulfil. The scripts are the same
# for everyone and carry nothing private, so any origin may read them.
_SCRIPT_HEADERS = {"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*"}


def template_name(policy: Policy, name: str) -> str:
    """Return the template a script is built from: the gate with auto-blocking for a site that
    declares service hosts, so that every other site keeps the smaller gate."""
    return "gate_autoblock.js" if name == "gate.js" and declares_hosts(policy) else name


def build_gate(template: str, policy: Policy, name: str = "gate.js", origin: str = "") -> Precompressed:
    """Build and compress one site's gate script (`name`: gate.js or gate_ui.js)."""
    return Precompressed.of(gate_script(template, policy, origin, CONFIGS[name]),
                            content_type="text/javascript; charset=utf-8",
                            cache_control=f"public, max-age={GATE_MAX_AGE}", headers=_SCRIPT_HEADERS)


class Gates:
    """Each site's built gate scripts, rebuilt when its policy's content changes."""

    def __init__(self, templates: dict[str, str], origin: str):
        self.templates = templates
        self.origin = origin
        self._built = AnswerCache()

    def get(self, policy: Policy, name: str = "gate.js") -> Precompressed:
        """Return `policy`'s gate script `name`, building it if this content was not built yet."""
        return self._built.get((policy.id, name, policy.content_hash), lambda: build_gate(
            self.templates[template_name(policy, name)], policy, name, self.origin))
