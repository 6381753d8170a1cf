"""How gate.js grows with the policy: its brotli size for the demo policy's config widened to
more services and languages (the gate's own code does not change; its baked-in config does), for
both builds: the plain gate, and the gate with auto-blocking that a site declaring service hosts
gets (README, "Auto-blocking"), there with two hosts per service.

`.venv/bin/python bench/gate_size.py` prints one Markdown table (a second or two, no servers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgets import AUTOBLOCK_GATE_MAX_KB, GATE_MAX_KB  # noqa: E402  (after the path is set)
from report import KB  # noqa: E402

from crumb.gate_config import CONFIG_TOKEN, gate_config  # noqa: E402
from crumb.policy import load_policy  # noqa: E402
from crumb.settings import DEMO_POLICIES  # noqa: E402
from crumb.texts import texts_for  # noqa: E402
from package_builder import AUTO_BLOCKING, minify_script  # noqa: E402

# Service ids as real policies name them; each goes to one of the demo's optional categories.
SERVICES = ["google_analytics", "hotjar", "meta_pixel", "linkedin_insight", "youtube", "vimeo", "intercom",
            "hubspot", "mixpanel", "segment", "tiktok_pixel", "google_ads", "matomo", "plausible",
            "sentry_replay", "crisp_chat", "zendesk", "stripe_radar"]
LANGUAGES = ["en", "lt", "pt", "sv", "de", "fr", "es", "pl", "it", "nl", "ar"]
SHAPES = [(3, 3), (6, 5), (10, 5), (12, 8), (15, 8), (18, 11)]


def widened_config(base: dict, services: int, languages: int, hosts: bool) -> dict:
    """Return the demo's gate config with `services` services and `languages` languages, and with
    two hosts for each service when `hosts`."""
    config = json.loads(json.dumps(base))
    optional = [c for c in base["categories"] if c not in base["required"]]
    names = SERVICES[:services]
    config["services"] = {name: optional[i % len(optional)] for i, name in enumerate(names)}
    config["languages"] = LANGUAGES[:languages]
    if config["settings"]:
        config["settings"][0] = {lang: texts_for(lang, None)["settings_button"] for lang in LANGUAGES[:languages]}
    if hosts:
        config["hosts"] = [[host, name] for name in names
                           for host in (f"www.{name.replace('_', '-')}.com", f"*.{name.replace('_', '')}-cdn.net")]
    return config


def templates() -> dict[str, tuple[str, int]]:
    """The two gate builds as package_builder.py makes them, each with its budget in bytes."""
    source = (ROOT / "widget" / "gate.js").read_text("utf-8")
    return {"gate.js": (minify_script(AUTO_BLOCKING.sub("", source), "gate.js"), GATE_MAX_KB * KB),
            "gate_autoblock.js": (minify_script(source, "gate_autoblock.js"), int(AUTOBLOCK_GATE_MAX_KB * KB))}


def gate_bytes(template: str, config: dict) -> int:
    """The brotli size of a gate template with `config` baked in, as the server serves it."""
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    return len(brotli.compress(template.replace(CONFIG_TOKEN, text).encode("utf-8"), quality=11))


def main() -> None:
    """Print the table."""
    base = gate_config(load_policy(DEMO_POLICIES / "demo.toml").policy, "https://consent.example")
    built = templates()
    print("| services, languages | gate.js bytes brotli (budget 3,000) | with auto-blocking, 2 hosts a service "
          "(budget 3,500) |")
    print("|---|---|---|")
    for services, languages in SHAPES:
        cells = []
        for name, (template, budget) in built.items():
            config = widened_config(base, services, languages, hosts=name == "gate_autoblock.js")
            size = gate_bytes(template, config)
            cells.append(f"{size:,} ({'within' if size <= budget else 'OVER'})")
        print(f"| {services}, {languages} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
