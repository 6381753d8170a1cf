"""The OpenAPI 3.1 description of Crumb's `/api/v1` routes, served at `/api/v1/openapi.json`.

The policy-document schema describes exactly what `policy_document.py` produces (a test
validates served documents against it), and the consent schemas are the contract the
receipts routes implement. OpenAPI 3.1 schemas are JSON Schema 2020-12.
"""

from __future__ import annotations

import functools

from .policy import CONSENT_MODE_KEYS, DOCUMENT_VERSION, STORAGE_KINDS, THEME_POSITIONS
from .receipts.submission import METHODS
from .stats.report import MAX_DAYS
from .texts import text_keys

OPENAPI_VERSION = "3.1.0"
SCHEMAS = "#/components/schemas/"


def _ref(name: str) -> dict:
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
                                    "receipts": {"type": "array", "items": _ref("Receipt")}}),
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
                          "days": {"type": "array", "items": _ref("StatsDay"), "maxItems": MAX_DAYS,
                                   "description": "every day of the range, oldest first (UTC)"},
                          "totals": _object(counts)}),
    }


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _errors(*statuses: int) -> dict:
    meaning = {400: "invalid input; `detail` names the field", 401: "no valid owner token (`unauthorized`)",
               403: "the Origin is not allowed",
               404: "unknown site (or consent id)", 408: "the body did not arrive whole within 10 s",
               413: "body larger than 4 KB",
               415: "Content-Type is not application/json", 429: "too many requests from this client",
               503: "the receipt store is unavailable (`store_unavailable`), or too many bodies are "
                    "arriving slowly at once (`busy`)"}
    retry = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}
    return {str(status): _json(_ref("Error"), meaning[status], retry if status in (429, 503) else None)
            for status in statuses}


def _site_param() -> dict:
    return {"name": "site", "in": "path", "required": True, "schema": SITE_ID,
            "description": "the policy's id"}


def _paths() -> dict:
    cached = {"ETag": {"schema": TEXT}, "Cache-Control": {"schema": TEXT},
              "Content-Language": {"schema": LANG}, "Access-Control-Allow-Origin": {"schema": {"const": "*"}}}
    return {
        "/api/v1/sites/{site}/policy": {
            "get": {
                "operationId": "getPolicy",
                "summary": "The localized policy document (the same the widget and the policy page use)",
                "parameters": [_site_param(), {
                    "name": "lang", "in": "query", "required": False, "schema": TEXT,
                    "description": "a language of the site (full code, then its prefix); "
                                   "anything else gives the default language"}],
                "responses": {
                    "200": _json(_ref("PolicyDocument"), "the policy in the chosen language", cached),
                    "304": {"description": "unchanged since the ETag sent in If-None-Match"},
                    **_errors(404),
                },
            },
        },
        "/api/v1/sites/{site}/consents": {
            "post": {
                "operationId": "postConsent",
                "summary": "Store a consent receipt (proof of consent); refusals are stored too",
                "parameters": [_site_param()],
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("ConsentRequest")}}},
                "responses": {"201": _json(_ref("ConsentCreated"), "stored durably"),
                              **_errors(400, 403, 404, 408, 413, 415, 429, 503)},
            },
            "options": {
                "operationId": "preflightConsent",
                "summary": "CORS preflight for the site's origins",
                "parameters": [_site_param()],
                "responses": {"204": {"description": "allowed: Access-Control-Allow-* headers"},
                              **_errors(403, 404)},
            },
        },
        "/api/v1/sites/{site}/consents/{consent_id}": {
            "get": {
                "operationId": "getConsentReceipts",
                "summary": "Every receipt of one consent id, oldest first, for the visitor who holds it",
                "parameters": [_site_param(), {"name": "consent_id", "in": "path", "required": True,
                                               "schema": CONSENT_ID}],
                "responses": {"200": _json(_ref("ConsentReceipts"), "the receipts"),
                              **_errors(400, 403, 404, 429, 503)},
            },
        },
        "/api/v1/sites/{site}/stats": {
            "get": {
                "operationId": "getStats",
                "summary": "The site's counts per day (UTC) and in total, for its owner",
                "security": [{"ownerToken": []}],
                "parameters": [_site_param(), *(
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
                     "description": meaning} for name, meaning in (
                        ("from", "first day, YYYY-MM-DD (default: 29 days before `to`)"),
                        ("to", f"last day, YYYY-MM-DD (default: today); at most {MAX_DAYS} days in all")))],
                "responses": {"200": _json(_ref("Stats"), "the counts"), **_errors(400, 401, 404, 503)},
            },
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This description",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
            },
        },
    }


@functools.cache
def openapi_spec() -> dict:
    """Return the OpenAPI 3.1 document (built once per process; treat it as read-only)."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Crumb cookie-consent API",
            "version": "1",
            "description": "Localized cookie policies and proof-of-consent receipts. Every error is "
                           "JSON `{error, detail}` with a stable `error` code.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": _paths(),
        "components": {"schemas": component_schemas(),
                       "securitySchemes": {"ownerToken": {
                           "type": "http", "scheme": "bearer",
                           "description": "an owner token: its SHA-256 hex is a line of `serve --admin-tokens FILE`"}}},
    }
