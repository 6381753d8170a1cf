"""The localized policy document: one language's view of a policy, as plain JSON-able data.

The same document is served by `GET /api/v1/sites/{site}/policy`, inlined into the widget
frame, and rendered by the cookie-policy page, so all three always agree. Every text in it
is plain text, already localized (durations and dates included): the browser formats nothing.
"""

from __future__ import annotations

from babel.lists import format_list

from ..texts import fill, texts_for
from .durations import format_day, format_duration, language_name, text_direction
from .model import Policy, StorageRow

DOCUMENT_VERSION = 1


def policy_document(policy: Policy, lang: str) -> dict:
    """Return the policy in `lang` (which must be one of the policy's languages)."""
    texts = banner_texts(policy, lang, texts_for(lang, policy.texts.get(lang)))
    return {
        "v": DOCUMENT_VERSION,
        "site": policy.id,
        "name": policy.name,
        "revision": policy.revision,
        "policy_hash": policy.content_hash,
        "updated": policy.updated.isoformat(),
        "updated_text": format_day(policy.updated, lang),
        "language": lang,
        "dir": text_direction(lang),
        "default_language": policy.default_language,
        "languages": [{"code": code, "name": language_name(code)} for code in policy.languages],
        "origins": list(policy.origins),
        "needs_banner": policy.needs_banner,
        "controller": {
            "name": policy.controller.name,
            "address": policy.controller.address,
            "email": policy.controller.email,
            "phone": policy.controller.phone,
            "privacy_url": policy.controller.privacy_url,
        },
        "categories": [category_entry(policy, category, lang) for category in policy.categories],
        "services": [service_entry(service, lang) for service in policy.services],
        "storage": [storage_entry(policy, row, lang, texts) for row in policy.storage],
        **settings_entries(policy),
        "links": {"cookie_policy": f"/sites/{policy.id}/cookie-policy?lang={lang}"},
        "texts": texts,
    }


def category_entry(policy: Policy, category, lang: str) -> dict:
    """One category in `lang`, with the ids of its services."""
    return {
        "id": category.id,
        "required": category.required,
        "title": category.title.get(lang),
        "description": category.description.get(lang),
        "consent_mode": list(category.consent_mode),
        "sale_or_share": category.sale_or_share,
        "services": [s.id for s in policy.services if s.category == category.id],
    }


def service_entry(service, lang: str) -> dict:
    """One service in `lang`."""
    return {
        "id": service.id,
        "name": service.name,
        "category": service.category,
        "provider": service.provider,
        "privacy_url": service.privacy_url,
        "description": service.description.get(lang) if service.description else "",
        "consent_mode": list(service.consent_mode),
        "hosts": list(service.hosts),
        "stores_nothing": service.stores_nothing,
    }


def settings_entries(policy: Policy) -> dict:
    """The settings the gate and widget follow: cookies, theme, button, GPC, Consent Mode."""
    return {
        "cookies": {
            "consent": policy.consent_cookie,
            "language": policy.language_cookie,
            "consent_days": policy.consent_days,
            "refusal_days": policy.refusal_days,
            "language_days": policy.language_days,
            "domain": policy.cookie_domain,
        },
        "theme": {"position": policy.theme.position, "dark_mode": policy.theme.dark_mode,
                  "properties": policy.theme.css_properties()},
        "settings_button": policy.settings_button,
        "gpc": policy.gpc,
        "consent_mode": {"enabled": policy.consent_mode.enabled,
                         "wait_for_update": policy.consent_mode.wait_for_update,
                         "ads_data_redaction": policy.consent_mode.ads_data_redaction,
                         "url_passthrough": policy.consent_mode.url_passthrough},
    }


def banner_texts(policy: Policy, lang: str, texts: dict[str, str]) -> dict[str, str]:
    """Return `texts` with the banner's `{categories}` filled by the site's optional categories'
    titles, listed as `lang` lists them: the banner names only purposes the site has (README,
    "Texts"), in the built-in text and in a site's own alike."""
    titles = [category.title.get(lang) for category in policy.categories if not category.required]
    listed = format_list(titles, locale=lang.replace("-", "_")) if titles else ""
    return {**texts, "banner_body": fill(texts["banner_body"], categories=listed)}


def storage_entry(policy: Policy, row: StorageRow, lang: str, texts: dict[str, str]) -> dict:
    """Return one cookie-table row with its texts localized."""
    service = policy.service(row.service) if row.service else None
    duration_text = format_duration(row.duration, lang, texts)
    if row.duration_note is not None:
        duration_text = f"{duration_text} ({row.duration_note.get(lang)})"
    return {
        "name": row.name,
        "kind": row.kind,
        "kind_text": texts["kind_" + row.kind],
        "domain": row.domain,
        "first_party": row.first_party,
        "party_text": texts["first_party"] if row.first_party else fill(texts["third_party"], domain=row.domain),
        "category": row.category,
        "service": row.service,
        "service_name": service.name if service else "",
        "provider": service.provider if service else "",
        "duration": str(row.duration),
        "duration_seconds": row.duration.seconds(),
        "duration_text": duration_text,
        "attributes": list(row.attributes),
        "purpose": row.purpose.get(lang),
    }
