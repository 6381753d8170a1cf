"""The gate's per-site config, and the gate script with it baked in.

The gate (`widget/gate.js`) holds the token `__CRUMB_CONFIG__` exactly once; the server puts
this JSON there. It carries only what the gate itself needs on every page view: the frame
fetches the full localized policy, so the gate stays small.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import brotli
import rjsmin

from .assets import Assets
from .http_cache import etag_of
from .policy import Policy
from .settings import PROJECT_ROOT
from .texts import texts_for

GATE_SOURCE = PROJECT_ROOT / "widget" / "gate.js"

CONFIG_TOKEN = "__CRUMB_CONFIG__"
# Kinds of storage the gate can delete in the page itself when consent is withdrawn.
DELETABLE_KINDS = ("cookie", "local_storage", "session_storage")
# Texts the gate shows (embed placeholders, the floating button, the frame's title): key in the
# gate -> key in the built-in texts.
GATE_TEXTS = {"blocked": "blocked", "load_once": "load_once", "always_allow": "always_allow",
              "settings": "settings_button", "frame_title": "banner_label"}


def gate_config(policy: Policy) -> dict:
    """Return the config the gate reads as `C` (see the top of widget/gate.js)."""
    return {
        "site": policy.id,
        "revision": policy.revision,
        "categories": [c.id for c in policy.categories],
        "required": [c.id for c in policy.categories if c.required],
        "services": {s.id: [s.category, s.name] for s in policy.services},
        "languages": list(policy.languages),
        "texts": {lang: gate_texts(policy, lang) for lang in policy.languages},
        "cookies": {
            "consent": policy.consent_cookie, "language": policy.language_cookie,
            "consent_days": policy.consent_days, "refusal_days": policy.refusal_days,
            "language_days": policy.language_days, "domain": policy.cookie_domain,
        },
        "storage": withdrawable_storage(policy),
        "position": policy.theme.position,
        "settings_button": policy.settings_button,
        "consent_mode": consent_mode_config(policy),
        "gpc": policy.gpc,
        "sale_or_share": [c.id for c in policy.categories if c.sale_or_share],
    }


def consent_mode_config(policy: Policy) -> dict:
    """Return the Google Consent Mode settings and, under `keys`, the keys each category or
    service grants (only those that list any)."""
    settings = policy.consent_mode
    keys = {item.id: list(item.consent_mode) for item in (*policy.categories, *policy.services)
            if item.consent_mode}
    return {"enabled": settings.enabled, "wait_for_update": settings.wait_for_update,
            "ads_data_redaction": settings.ads_data_redaction,
            "url_passthrough": settings.url_passthrough, "keys": keys}


def gate_texts(policy: Policy, lang: str) -> dict[str, str]:
    """Return the gate's few texts in `lang`, with the titles of the categories a placeholder
    may name as `cat_<id>` (only optional ones: required categories never block anything)."""
    texts = texts_for(lang, policy.texts.get(lang))
    chosen = {key: texts[source] for key, source in GATE_TEXTS.items()
              if key != "settings" or policy.settings_button != "none"}
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


def gate_script(template: str, policy: Policy) -> bytes:
    """Return the gate for `policy`: `template` with the config JSON in place of the token.

    :raise ValueError: when the template does not hold the token exactly once.
    """
    if template.count(CONFIG_TOKEN) != 1:
        raise ValueError(f"the gate template must hold {CONFIG_TOKEN} exactly once "
                         f"(got {template.count(CONFIG_TOKEN)})")
    config = json.dumps(gate_config(policy), ensure_ascii=False, separators=(",", ":"))
    # JSON allows U+2028/U+2029 raw; older JS parsers did not: escape them.
    config = config.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return template.replace(CONFIG_TOKEN, config).encode("utf-8")


@dataclass(frozen=True)
class BuiltGate:
    """One site's gate: the plain bytes and their compressed forms, with one ETag each."""

    policy_hash: str
    bodies: dict[str, bytes]  # "" (identity), "br", "gzip" -> bytes
    etags: dict[str, str]


def gate_template(assets: Assets) -> str:
    """Return the minified gate template, still holding `__CRUMB_CONFIG__`.

    It is the bundle's `gate.js` (package_builder.py minifies it); a checkout whose bundle was
    never built minifies the source itself, so that the server still serves a gate.
    """
    if assets.has("gate.js"):
        return assets.text("gate.js")
    return rjsmin.jsmin(GATE_SOURCE.read_text(encoding="utf-8"))


def build_gate(template: str, policy: Policy) -> BuiltGate:
    """Build and compress one site's gate."""
    plain = gate_script(template, policy)
    bodies = {"": plain, "br": brotli.compress(plain, quality=11),
              "gzip": gzip.compress(plain, compresslevel=9, mtime=0)}
    return BuiltGate(policy.content_hash, bodies, {key: etag_of(body) for key, body in bodies.items()})


class Gates:
    """Each site's built gate, rebuilt when its policy's content changes."""

    def __init__(self, template: str):
        self.template = template
        self._built: dict[str, BuiltGate] = {}

    def get(self, policy: Policy) -> BuiltGate:
        """Return `policy`'s gate, building it if this content was not built yet."""
        built = self._built.get(policy.id)
        if built is None or built.policy_hash != policy.content_hash:
            built = self._built[policy.id] = build_gate(self.template, policy)
        return built
