"""The validated policy model: frozen objects built once from a policy file.

Everything here is plain data. `policy_loader` builds it and is the only place that
knows about TOML; views, the gate builder and the receipt store only read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

STORAGE_KINDS = ("cookie", "local_storage", "session_storage", "indexed_db", "pixel")
CONSENT_MODE_KEYS = (
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)
DURATION_UNITS = ("s", "min", "h", "d", "mo", "y")
THEME_POSITIONS = ("bar", "box-left", "box-right", "modal")
SETTINGS_BUTTON_POSITIONS = ("none", "left", "right")
GPC_MODES = ("respect", "ignore")


@dataclass(frozen=True)
class Localized:
    """A text in several languages; asking for a missing language gives the default one."""

    values: Mapping[str, str]
    default: str

    def get(self, lang: str) -> str:
        """Return the text in `lang`, or in the policy's default language."""
        return self.values.get(lang) or self.values[self.default]

    def as_dict(self) -> dict[str, str]:
        """Return a plain dict copy, for hashing and JSON."""
        return dict(self.values)


@dataclass(frozen=True)
class Duration:
    """How long a storage entry lives: a session, 'persistent', or an amount of a unit."""

    kind: str  # "session" | "persistent" | "fixed"
    amount: int = 0
    unit: str = ""  # one of DURATION_UNITS when kind == "fixed"

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}" if self.kind == "fixed" else self.kind

    def seconds(self) -> int | None:
        """Return the length in seconds for fixed durations (months 30 d, years 365 d)."""
        if self.kind != "fixed":
            return None
        per_unit = {"s": 1, "min": 60, "h": 3600, "d": 86400, "mo": 30 * 86400, "y": 365 * 86400}
        return self.amount * per_unit[self.unit]


@dataclass(frozen=True)
class Controller:
    """Who is responsible for the processing, shown on the cookie-policy page."""

    name: str
    address: str = ""
    email: str = ""
    privacy_url: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Category:
    """A purpose group that a visitor accepts or refuses as a whole."""

    id: str
    title: Localized
    description: Localized
    required: bool = False
    consent_mode: tuple[str, ...] = ()
    sale_or_share: bool = False


@dataclass(frozen=True)
class Service:
    """A named third party (or first-party tool) that sets storage or loads content."""

    id: str
    name: str
    category: str
    description: Localized
    provider: str = ""
    privacy_url: str = ""
    consent_mode: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # what it loads from or sends to: "cdn.example.com", "*.example.com"
    stores_nothing: bool = False  # stores and reads nothing on the device: no category, no consent


@dataclass(frozen=True)
class StorageRow:
    """One row of the cookie table: a cookie or similar storage entry (or name pattern)."""

    name: str
    kind: str
    category: str
    duration: Duration
    purpose: Localized
    domain: str = ""
    service: str = ""
    duration_note: Localized | None = None
    attributes: tuple[str, ...] = ()
    declared: bool = True  # False for the consent/language cookies added automatically

    @property
    def first_party(self) -> bool:
        """True when the website itself sets this entry."""
        return self.domain == ""


@dataclass(frozen=True)
class Theme:
    """Visual settings, turned into `--crumb-*` CSS custom properties by the widget."""

    position: str = "bar"
    accent_color: str = "#1f5fbf"
    background_color: str = "#ffffff"
    text_color: str = "#1b1b1f"
    font_family: str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    radius: str = "8px"
    dark_mode: bool = True  # follow prefers-color-scheme

    def css_properties(self) -> dict[str, str]:
        """Return the custom properties the widget's stylesheet reads."""
        return {
            "--crumb-accent": self.accent_color,
            "--crumb-bg": self.background_color,
            "--crumb-fg": self.text_color,
            "--crumb-font": self.font_family,
            "--crumb-radius": self.radius,
        }


@dataclass(frozen=True)
class ConsentModeSettings:
    """Google Consent Mode v2 settings for the gate."""

    enabled: bool = False
    wait_for_update: int = 500
    ads_data_redaction: bool = True
    url_passthrough: bool = False


@dataclass(frozen=True)
class Policy:
    """One site's validated cookie policy."""

    id: str
    name: str
    revision: int
    updated: dt.date
    languages: tuple[str, ...]
    origins: tuple[str, ...]
    controller: Controller
    categories: tuple[Category, ...]
    services: tuple[Service, ...]
    storage: tuple[StorageRow, ...]
    consent_days: int = 182
    refusal_days: int = 182
    consent_cookie: str = "crumb_consent"
    language_cookie: str = "crumb_lang"
    language_days: int = 365
    cookie_domain: str = ""
    settings_button: str = "none"
    gpc: str = "respect"
    theme: Theme = field(default_factory=Theme)
    consent_mode: ConsentModeSettings = field(default_factory=ConsentModeSettings)
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""  # the file it came from, for messages
    content_hash: str = ""  # SHA-256 of the canonical content, see policy_hash.py

    @property
    def default_language(self) -> str:
        """The first language listed, used whenever another is missing."""
        return self.languages[0]

    @property
    def needs_banner(self) -> bool:
        """True when at least one category can be refused, so the visitor must be asked."""
        return any(not c.required for c in self.categories)

    def category(self, category_id: str) -> Category:
        """Return the category with this id; the loader guarantees references resolve."""
        return next(c for c in self.categories if c.id == category_id)

    def service(self, service_id: str) -> Service:
        """Return the service with this id."""
        return next(s for s in self.services if s.id == service_id)

    def language_for(self, requested: str | None) -> str:
        """Return `requested` if the site offers it (full code, then its prefix), else the default."""
        if requested:
            if requested in self.languages:
                return requested
            prefix = requested.split("-")[0].lower()
            for lang in self.languages:
                if lang.split("-")[0].lower() == prefix:
                    return lang
        return self.default_language
