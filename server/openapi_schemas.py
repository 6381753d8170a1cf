"""The JSON Schemas of the OpenAPI description (server/openapi.py): the documents the API serves and takes.

The policy-document schema describes exactly what `policy_document.py` produces (a test
validates served documents against it), and the consent schemas are the contract the
receipts routes implement. OpenAPI 3.1 schemas are JSON Schema 2020-12.
"""

from __future__ import annotations

from .policy import CONSENT_MODE_KEYS, DOCUMENT_VERSION, STORAGE_KINDS, THEME_POSITIONS
from .receipts.submission import METHODS
from .stats.report import MAX_DAYS
from .texts import text_keys

OPENAPI_VERSION = "3.1.0"
SCHEMAS = "#/components/schemas/"


def schema_ref(name: str) -> dict:
    """A reference to one of the component schemas."""
    return {"$ref": SCHEMAS + name}


def _object(properties: dict, *, required: list[str] | None = None, closed: bool = True) -> dict:
    """A JSON Schema object; every property is required unless a list says otherwise."""
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else required}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _strings(**extra) -> dict:
    return {"type": "array", "items": {"type": "string", **extra}}


TEXT = {"type": "string"}
BOOL = {"type": "boolean"}
LANG = {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$"}
ITEM_ID = {"type": "string", "pattern": r"^[a-z0-9_-]{1,40}$"}
SITE_ID = {"type": "string", "pattern": r"^[a-z0-9-]{1,40}$"}
URL_OR_EMPTY = {"type": "string", "pattern": r"^(https?://.+)?$"}


def _category_schema() -> dict:
    return _object({
        "id": ITEM_ID, "required": BOOL, "title": TEXT, "description": TEXT,
        "consent_mode": _strings(enum=list(CONSENT_MODE_KEYS)), "sale_or_share": BOOL,
        "services": _strings(),
    })


def _service_schema() -> dict:
    return _object({
        "id": ITEM_ID, "name": TEXT, "provider": TEXT, "privacy_url": URL_OR_EMPTY,
        "category": {"anyOf": [ITEM_ID, {"const": ""}], "description": '"" for a service that stores nothing'},
        "description": TEXT, "consent_mode": _strings(enum=list(CONSENT_MODE_KEYS)),
        "hosts": {**_strings(), "description": 'hosts it loads from or sends to: "cdn.example.com" or "*.example.com"'},
        "stores_nothing": {**BOOL, "description": "true: stores and reads nothing on the device, needs no consent"},
    })


def _storage_schema() -> dict:
    return _object({
        "name": {**TEXT, "description": "exact name, or a pattern with *"},
        "kind": {"enum": list(STORAGE_KINDS)},
        "kind_text": TEXT,
        "domain": {**TEXT, "description": '"" for first party, else the third party\'s domain'},
        "first_party": BOOL,
        "party_text": TEXT,
        "category": ITEM_ID,
        "service": {"type": "string", "description": 'a service id, or ""'},
        "service_name": TEXT,
        "provider": TEXT,
        "duration": {"type": "string", "pattern": r"^(session|persistent|[1-9]\d*(s|min|h|d|mo|y))$"},
        "duration_seconds": {"type": ["integer", "null"], "minimum": 1,
                             "description": "null for session and persistent; months 30 d, years 365 d"},
        "duration_text": {**TEXT, "description": "localized on the server, with the duration note"},
        "attributes": _strings(),
        "purpose": TEXT,
    })


def _settings_schemas() -> dict:
    """The document's settings: cookies, theme, button, GPC, Consent Mode."""
    return {
        "cookies": _object({
            "consent": TEXT, "language": TEXT,
            "consent_days": {"type": "integer", "minimum": 1},
            "refusal_days": {"type": "integer", "minimum": 1},
            "language_days": {"type": "integer", "minimum": 1},
            "domain": TEXT,
        }),
        "theme": _object({
            "position": {"enum": list(THEME_POSITIONS)},
            "dark_mode": BOOL,
            "properties": {"type": "object", "propertyNames": {"pattern": "^--crumb-[a-z-]+$"},
                           "additionalProperties": {"type": "string"}},
        }),
        "settings_button": {"enum": ["none", "left", "right"]},
        "gpc": {"enum": ["respect", "ignore"]},
        "consent_mode": _object({
            "enabled": BOOL, "wait_for_update": {"type": "integer", "minimum": 0},
            "ads_data_redaction": BOOL, "url_passthrough": BOOL,
        }),
    }


def policy_document_schema() -> dict:
    """Return the JSON Schema of the localized policy document (`policy/document.py`)."""
    return _object({
        "v": {"const": DOCUMENT_VERSION},
        "site": SITE_ID,
        "name": TEXT,
        "revision": {"type": "integer", "minimum": 1},
        "policy_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                        "description": "SHA-256 of the canonical policy content, recorded with receipts"},
        "updated": {"type": "string", "format": "date"},
        "updated_text": {**TEXT, "description": "the date written out in this language"},
        "language": LANG,
        "dir": {"enum": ["ltr", "rtl"]},
        "default_language": LANG,
        "languages": {"type": "array", "minItems": 1, "items": _object({"code": LANG, "name": TEXT})},
        "origins": _strings(pattern=r"^https?://"),
        "needs_banner": {**BOOL, "description": "false when every category is required"},
        "controller": _object({"name": TEXT, "address": TEXT, "email": TEXT, "phone": TEXT,
                               "privacy_url": URL_OR_EMPTY}),
        "categories": {"type": "array", "minItems": 1, "items": _category_schema()},
        "services": {"type": "array", "items": _service_schema()},
        "storage": {"type": "array", "items": _storage_schema()},
        **_settings_schemas(),
        "links": _object({"cookie_policy": TEXT}),
        "texts": {"type": "object", "required": sorted(text_keys()),
                  "additionalProperties": {"type": "string"},
                  "description": "every built-in UI text in this language, site overrides applied"},
    })


# Consent ids are random UUID4s in canonical lowercase form; nothing else is accepted.
CONSENT_ID = {"type": "string", "format": "uuid",
              "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"}


def component_schemas() -> dict:
    """Return the named schemas of the API."""
    consent_fields = {
        "consent_id": CONSENT_ID,
        "revision": {"type": "integer", "minimum": 1},
        "categories": _strings(),
        "services": _strings(),
        "method": {"enum": list(METHODS)},
        "language": LANG,
        "page": {"type": "string", "description": "origin + path of the page, no query; at most 512 characters"},
    }
    return {
        "PolicyDocument": policy_document_schema(),
        "Error": _object({"error": {**TEXT, "description": "stable code, e.g. unknown_site"},
                          "detail": {**TEXT, "description": "for humans"}}),
        "ConsentRequest": _object(consent_fields),
        "ConsentCreated": _object({"receipt_id": {"type": "string", "format": "uuid"},
                                   "received_at": {"type": "string", "format": "date-time"}}),
        "Receipt": _object({
            "receipt_id": {"type": "string", "format": "uuid"},
            "received_at": {"type": "string", "format": "date-time"},
            "site": {"type": "string"},
            "consent_id": consent_fields["consent_id"],
            "revision": consent_fields["revision"],
            "policy_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            **{key: consent_fields[key] for key in ("categories", "services", "method", "language", "page")},
        }),
        "ConsentReceipts": _object({"consent_id": CONSENT_ID,
                                    "receipts": {"type": "array", "items": schema_ref("Receipt")}}),
        **stats_schemas(),
    }


def stats_schemas() -> dict:
    """Return the schemas of the owner's statistics (README, "Statistics")."""
    count = {"type": "integer", "minimum": 0}
    counts = {
        "shown": {**count, "description": "banners shown to visitors who had to decide"},
        "decisions": _object({method: count for method in METHODS}),
        "accepted": {"type": "object", "additionalProperties": count,
                     "description": "decisions that accepted each optional category and each service, by id"},
    }
    day = {"type": "string", "format": "date"}
    return {
        "StatsDay": _object({"date": day, **counts}),
        "Stats": _object({"site": SITE_ID, "from": day, "to": day,
                          "days": {"type": "array", "items": schema_ref("StatsDay"), "maxItems": MAX_DAYS,
                                   "description": "every day of the range, oldest first (UTC)"},
                          "totals": _object(counts)}),
    }
