"""Validation of a policy file's tables: controller, categories, services, storage, theme,
consent mode and text overrides, plus the rows Crumb declares on the owner's behalf."""

from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType

from ..texts import text_keys, texts_for
from .fields import FieldReader, key_path
from .model import (
    CONSENT_MODE_KEYS,
    STORAGE_KINDS,
    THEME_POSITIONS,
    Category,
    ConsentModeSettings,
    Controller,
    Duration,
    Localized,
    Policy,
    Service,
    StorageRow,
    Theme,
)

ITEM_ID = re.compile(r"[a-z0-9_-]{1,40}")
STORAGE_NAME = re.compile(r"[^\s;,=\"<>]{1,200}")
STORAGE_DOMAIN = re.compile(r"\.?[a-z0-9*]([a-z0-9\-.*]{0,251}[a-z0-9])?")
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
# A number as people write it, with an optional + and separators; it becomes a tel: link.
PHONE = re.compile(r"\+?\(?[0-9][0-9 ()./-]{2,38}[0-9]")
ATTRIBUTES = ("HttpOnly", "Secure", "SameSite=Lax", "SameSite=Strict", "SameSite=None", "Partitioned")
HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
FONT_FAMILY = re.compile(r"[A-Za-z0-9 ,'\-]{1,200}")
# A DNS name (labels of a-z, 0-9 and -, not starting or ending with -), an IPv4 literal or a
# single label (localhost) for local set-ups; "*." in front matches the domain and any subdomain.
HOST = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
RADIUS = re.compile(r"\d{1,3}(\.\d{1,2})?(px|rem|em)")


def controller(reader: FieldReader, raw: dict) -> Controller:
    """Read `[controller]`: who is responsible for the processing."""
    table = reader.table(raw, "controller", "controller", required=True)
    reader.unknown_keys(table, ("name", "address", "email", "phone", "privacy_url"), "controller")
    email = reader.text(table, "email", "controller.email", default="", max_len=254)
    if email and not EMAIL.fullmatch(email):
        reader.problem("controller.email", "expected an email address", email)
    phone = reader.text(table, "phone", "controller.phone", default="", pattern=PHONE,
                        expected='a telephone number of digits, spaces and + ( ) - . / such as "+370 5 123 4567"')
    return Controller(
        name=reader.text(table, "name", "controller.name", max_len=300) if table else "",
        address=reader.text(table, "address", "controller.address", default="", max_len=1000),
        email=email,
        privacy_url=reader.url(table, "privacy_url", "controller.privacy_url"),
        phone=phone,
    )


def categories(reader: FieldReader, raw: dict) -> tuple[Category, ...]:
    """Read `[[categories]]`; at least one must be required (the consent cookie lives there)."""
    found: list[Category] = []
    for path, table in reader.tables(raw, "categories", "categories"):
        reader.unknown_keys(table, ("id", "required", "title", "description", "consent_mode",
                                    "sale_or_share"), path)
        category_id = reader.text(table, "id", f"{path}.id", pattern=ITEM_ID,
                                  expected="1-40 of a-z, 0-9, _ and -")
        if any(c.id == category_id for c in found):
            reader.problem(f"{path}.id", "used by another category", category_id)
        found.append(Category(
            id=category_id,
            title=reader.localized(table, "title", f"{path}.title"),
            description=reader.localized(table, "description", f"{path}.description"),
            required=reader.boolean(table, "required", f"{path}.required", False),
            consent_mode=reader.string_list(table, "consent_mode", f"{path}.consent_mode",
                                            choices=CONSENT_MODE_KEYS),
            sale_or_share=reader.boolean(table, "sale_or_share", f"{path}.sale_or_share", False),
        ))
    if not found:
        reader.problem("categories", "define at least one [[categories]] table")
    elif not any(c.required for c in found):
        reader.problem("categories", "one category must have required = true: the consent cookie "
                       "itself is strictly necessary")
    for category in found:
        if category.required and category.sale_or_share:
            reader.problem(f"categories[{found.index(category)}].sale_or_share",
                           "a required category cannot be one that sells or shares data", True)
    return tuple(found)


def services(reader: FieldReader, raw: dict, known: tuple[Category, ...]) -> tuple[Service, ...]:
    """Read `[[services]]`; each names a category that exists."""
    category_ids = {c.id for c in known}
    found: list[Service] = []
    for path, table in reader.tables(raw, "services", "services"):
        reader.unknown_keys(table, ("id", "name", "category", "provider", "privacy_url", "description",
                                    "consent_mode", "hosts", "stores_nothing"), path)
        service_id = reader.text(table, "id", f"{path}.id", pattern=ITEM_ID,
                                 expected="1-40 of a-z, 0-9, _ and -")
        if any(s.id == service_id for s in found):
            reader.problem(f"{path}.id", "used by another service", service_id)
        if service_id in category_ids:
            reader.problem(f"{path}.id", "also the id of a category; the gate could not tell them apart",
                           service_id)
        stores_nothing = reader.boolean(table, "stores_nothing", f"{path}.stores_nothing", False)
        category = _service_category(reader, table, path, stores_nothing, category_ids)
        if stores_nothing and table.get("hosts"):
            # Auto-blocking holds a listed host until its category is allowed, and this has none.
            reader.problem(f"{path}.hosts", "a service with stores_nothing = true is never blocked; "
                           "remove hosts", table["hosts"])
        found.append(Service(
            id=service_id,
            name=reader.text(table, "name", f"{path}.name", max_len=300),
            category=category,
            provider=reader.text(table, "provider", f"{path}.provider", default="", max_len=1000),
            privacy_url=reader.url(table, "privacy_url", f"{path}.privacy_url"),
            description=reader.localized(table, "description", f"{path}.description", required=False),
            consent_mode=reader.string_list(table, "consent_mode", f"{path}.consent_mode",
                                            choices=CONSENT_MODE_KEYS),
            hosts=_hosts(reader, table, path, found),
            stores_nothing=stores_nothing,
        ))
    return tuple(found)


def _service_category(reader: FieldReader, table: dict, path: str, stores_nothing: bool,
                      category_ids: set[str]) -> str:
    """Return a service's category: required, and one that exists, unless the service stores
    nothing on the device (README, "Services that store nothing"), which then has none."""
    if stores_nothing:
        if "category" in table:
            reader.problem(f"{path}.category", "a service with stores_nothing = true needs no consent "
                           "category; remove category", table["category"])
        return ""
    category = reader.text(table, "category", f"{path}.category")
    if category and category not in category_ids:
        reader.problem(f"{path}.category", "no category with this id", category)
    return category


def _hosts(reader: FieldReader, table: dict, path: str, earlier: list[Service]) -> tuple[str, ...]:
    """Read a service's `hosts` (README, "Service hosts"): host names or `*.` + a domain, each
    host in one service only, since a request or an injected tag must belong to one service."""
    hosts = reader.string_list(table, "hosts", f"{path}.hosts", pattern=HOST,
                               expected="a host name such as cdn.example.com, or *. and a domain "
                                        "(*.example.com), in lower case, without scheme, port or path")
    owners = {host: service.id for service in earlier for host in service.hosts}
    for index, host in enumerate(hosts):
        if host in owners:
            reader.problem(f"{path}.hosts[{index}]", f"already listed by service {owners[host]!r}", host)
    return hosts


def storage(reader: FieldReader, raw: dict, known_categories: tuple[Category, ...],
            known_services: tuple[Service, ...]) -> tuple[StorageRow, ...]:
    """Read `[[storage]]`: the rows of the cookie table, with their references resolved."""
    category_ids = {c.id for c in known_categories}
    service_categories = {s.id: s.category for s in known_services}
    stateless = {s.id for s in known_services if s.stores_nothing}
    rows: list[StorageRow] = []
    for path, table in reader.tables(raw, "storage", "storage"):
        path = _row_label(path, table)
        reader.unknown_keys(table, ("name", "kind", "domain", "category", "service", "duration",
                                    "duration_note", "attributes", "purpose"), path)
        service = reader.text(table, "service", f"{path}.service", default="")
        if service and service not in service_categories:
            reader.problem(f"{path}.service", "no service with this id", service)
        elif service in stateless:
            reader.problem(f"{path}.service", f"service {service!r} has stores_nothing = true, so this row "
                           "cannot belong to it; set stores_nothing = false "
                           "and give it a category, or remove the row", service)
        # A row of a service may leave out its category: it is the service's.
        category = reader.text(table, "category", f"{path}.category",
                               default=service_categories.get(service) or ("" if service in stateless else None))
        if category and category not in category_ids:
            reader.problem(f"{path}.category", "no category with this id", category)
        elif service in service_categories and category != service_categories[service]:
            reader.warn(f"{path}.category", f'"{category}" differs from the category of service '
                        f'"{service}" ("{service_categories[service]}")')
        rows.append(StorageRow(
            name=reader.text(table, "name", f"{path}.name", pattern=STORAGE_NAME,
                             expected="a name or pattern with * and no spaces"),
            kind=reader.choice(table, "kind", f"{path}.kind", STORAGE_KINDS, "cookie"),
            domain=reader.text(table, "domain", f"{path}.domain", default="", pattern=STORAGE_DOMAIN,
                               expected='"" for first party, or a domain such as pubnub.com'),
            category=category,
            service=service,
            duration=reader.duration(table, "duration", f"{path}.duration"),
            duration_note=reader.localized(table, "duration_note", f"{path}.duration_note", required=False),
            attributes=reader.string_list(table, "attributes", f"{path}.attributes", choices=ATTRIBUTES),
            purpose=reader.localized(table, "purpose", f"{path}.purpose"),
        ))
    return tuple(rows)


def _row_label(path: str, table: dict) -> str:
    """`storage[3] (_ga)`: a site owner finds a row by its name, not by counting tables. A name
    that is not valid is left out here (its own problem shows it)."""
    name = table.get("name")
    return f"{path} ({name})" if isinstance(name, str) and STORAGE_NAME.fullmatch(name) else path


def theme(reader: FieldReader, raw: dict) -> Theme:
    """Read `[theme]`; values end up in CSS, so each is held to a strict shape."""
    table = reader.table(raw, "theme", "theme")
    default = Theme()
    reader.unknown_keys(table, ("position", "accent_color", "background_color", "text_color",
                                "font_family", "radius", "dark_mode"), "theme")
    colour = "a hex colour such as #1f5fbf"
    return Theme(
        position=reader.choice(table, "position", "theme.position", THEME_POSITIONS, default.position),
        accent_color=reader.text(table, "accent_color", "theme.accent_color", default=default.accent_color,
                                 pattern=HEX_COLOUR, expected=colour),
        background_color=reader.text(table, "background_color", "theme.background_color",
                                     default=default.background_color, pattern=HEX_COLOUR, expected=colour),
        text_color=reader.text(table, "text_color", "theme.text_color", default=default.text_color,
                               pattern=HEX_COLOUR, expected=colour),
        font_family=reader.text(table, "font_family", "theme.font_family", default=default.font_family,
                                pattern=FONT_FAMILY, expected="font names separated by commas"),
        radius=reader.text(table, "radius", "theme.radius", default=default.radius, pattern=RADIUS,
                           expected="a length such as 8px or 0.5rem"),
        dark_mode=reader.boolean(table, "dark_mode", "theme.dark_mode", default.dark_mode),
    )


def consent_mode(reader: FieldReader, raw: dict) -> ConsentModeSettings:
    """Read `[consent_mode]`: Google Consent Mode v2 settings."""
    table = reader.table(raw, "consent_mode", "consent_mode")
    reader.unknown_keys(table, ("enabled", "wait_for_update", "ads_data_redaction", "url_passthrough"),
                        "consent_mode")
    default = ConsentModeSettings()
    return ConsentModeSettings(
        enabled=reader.boolean(table, "enabled", "consent_mode.enabled", default.enabled),
        wait_for_update=reader.integer(table, "wait_for_update", "consent_mode.wait_for_update",
                                       default=default.wait_for_update, low=0, high=10_000),
        ads_data_redaction=reader.boolean(table, "ads_data_redaction", "consent_mode.ads_data_redaction",
                                          default.ads_data_redaction),
        url_passthrough=reader.boolean(table, "url_passthrough", "consent_mode.url_passthrough",
                                       default.url_passthrough),
    )


def text_overrides(reader: FieldReader, raw: dict) -> MappingProxyType:
    """Read `[texts.<lang>]`: the site's own wording for any built-in text."""
    table = reader.table(raw, "texts", "texts")
    keys = text_keys()
    overrides = {}
    for lang, entries in table.items():
        path = key_path("texts", lang)
        if lang not in reader.languages:
            reader.problem(path, "language not listed in languages", lang)
            continue
        if not isinstance(entries, dict):
            reader.problem(path, "expected a table of texts", entries)
            continue
        reader.unknown_keys(entries, keys, path)
        overrides[lang] = MappingProxyType(
            {key: reader.text(entries, key, key_path(path, key), max_len=5000) for key in entries if key in keys})
    return MappingProxyType(overrides)


def with_automatic_rows(policy: Policy) -> Policy:
    """Declare the consent and language cookies as necessary rows unless the file already does,
    each only where it can be written (README, "Crumb's own cookies"): the consent cookie where a
    banner can ask (some category is optional), the language cookie where a visitor can pick a
    language (the site has two or more)."""
    declared = {(row.name, row.kind) for row in policy.storage}
    necessary = next(c.id for c in policy.categories if c.required)
    automatic = []
    for name, days, key, written in (
        (policy.consent_cookie, max(policy.consent_days, policy.refusal_days), "purpose_consent_cookie",
         policy.needs_banner),
        (policy.language_cookie, policy.language_days, "purpose_language_cookie", len(policy.languages) > 1),
    ):
        if (name, "cookie") in declared or not written:
            continue
        purpose = {lang: texts_for(lang, policy.texts.get(lang))[key] for lang in policy.languages}
        automatic.append(StorageRow(
            name=name, kind="cookie", category=necessary, duration=Duration("fixed", days, "d"),
            purpose=Localized(MappingProxyType(purpose), policy.default_language),
            attributes=("SameSite=Lax", "Secure"), declared=False,
        ))
    return replace(policy, storage=tuple(automatic) + policy.storage)
