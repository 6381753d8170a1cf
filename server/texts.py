"""Built-in UI and policy-page texts, one TOML file per language under `server/texts/`.

Each file has sections (`[widget]`, `[table]`, `[placeholder]`, `[page]`) for the reader's
sake; keys are unique across sections, so a site overrides any of them by its bare key in
`[texts.<lang>]`.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Mapping

from .widget.tree import fill  # noqa: F401 (one filling rule for the server and the widget)

TEXTS_DIR = Path(__file__).parent / "texts"
REFERENCE_LANGUAGE = "en"


@functools.cache
def builtin_texts() -> Mapping[str, Mapping[str, str]]:
    """Return {language: {key: text}} for every bundled language file (read once)."""
    languages = {}
    for path in sorted(TEXTS_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            sections = tomllib.load(handle)
        languages[path.stem] = {key: text for section in sections.values() for key, text in section.items()}
    return languages


def text_keys() -> frozenset[str]:
    """Return every key a language file (and a site's `[texts.<lang>]`) may define."""
    return frozenset(builtin_texts()[REFERENCE_LANGUAGE])


def bundled_language(lang: str) -> str | None:
    """Return the bundled language file that serves `lang` (full code, then prefix), if any."""
    available = builtin_texts()
    if lang in available:
        return lang
    prefix = lang.split("-")[0].lower()
    return prefix if prefix in available else None


def texts_for(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the full set of texts for `lang`: bundled ones, English for gaps, then site overrides."""
    available = builtin_texts()
    merged = dict(available[REFERENCE_LANGUAGE])
    bundled = bundled_language(lang)
    if bundled:
        merged.update(available[bundled])
    merged.update(overrides or {})
    return merged

