"""How gate.js grows with the policy: its brotli size for the demo policy's config widened to
more services and languages (the gate's own code does not change; its baked-in config does).

`.venv/bin/python bench/gate_size.py` prints one Markdown table (a second or two, no servers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgets import GATE_MAX_KB  # noqa: E402  (after the path is set)
from report import KB  # noqa: E402

from crumb.gate_config import CONFIG_TOKEN, gate_config  # noqa: E402
from crumb.policy import load_policy  # noqa: E402
from crumb.settings import DEMO_POLICIES  # noqa: E402
from crumb.texts import texts_for  # noqa: E402
from package_builder import minify_gate  # noqa: E402

# Service ids as real policies name them; each goes to one of the demo's optional categories.
SERVICES = ["google_analytics", "hotjar", "meta_pixel", "linkedin_insight", "youtube", "vimeo", "intercom",
            "hubspot", "mixpanel", "segment", "tiktok_pixel", "google_ads", "matomo", "plausible",
            "sentry_replay", "crisp_chat", "zendesk", "stripe_radar"]
LANGUAGES = ["en", "lt", "pt", "sv", "de", "fr", "es", "pl", "it", "nl", "ar"]
SHAPES = [(3, 3), (6, 5), (10, 5), (12, 8), (15, 8), (18, 11)]


def widened_config(base: dict, services: int, languages: int) -> dict:
    """Return the demo's gate config with `services` services and `languages` languages."""
    config = json.loads(json.dumps(base))
    optional = [c for c in base["categories"] if c not in base["required"]]
    config["services"] = {name: optional[i % len(optional)] for i, name in enumerate(SERVICES[:services])}
    config["languages"] = LANGUAGES[:languages]
    if config["settings"]:
        config["settings"][1] = {lang: texts_for(lang, None)["settings_button"] for lang in LANGUAGES[:languages]}
    return config


def main() -> None:
    """Print the table."""
    template = minify_gate((ROOT / "widget" / "gate.js").read_text("utf-8"))
    base = gate_config(load_policy(DEMO_POLICIES / "demo.toml").policy)
    print(f"| services, languages | gate.js bytes brotli | within {GATE_MAX_KB * KB:,} bytes |")
    print("|---|---|---|")
    for services, languages in SHAPES:
        config = json.dumps(widened_config(base, services, languages), ensure_ascii=False, separators=(",", ":"))
        size = len(brotli.compress(template.replace(CONFIG_TOKEN, config).encode("utf-8"), quality=11))
        print(f"| {services}, {languages} | {size:,} | {'yes' if size <= GATE_MAX_KB * KB else 'no'} |")


if __name__ == "__main__":
    main()
