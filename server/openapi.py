"""The OpenAPI 3.1 description of Crumb's `/api/v1` routes, served at `/api/v1/openapi.json`.

Its schemas are in server/openapi_schemas.py; tests validate served answers against them and
fuzz the live API with this document (tests/test_api_fuzzing.py).
"""

from __future__ import annotations

import functools

from .openapi_schemas import CONSENT_ID, LANG, OPENAPI_VERSION, SITE_ID, TEXT, component_schemas, schema_ref
from .stats.report import MAX_DAYS


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
    return {str(status): _json(schema_ref("Error"), meaning[status], retry if status in (429, 503) else None)
            for status in statuses}


def _site_param() -> dict:
    return {"name": "site", "in": "path", "required": True, "schema": SITE_ID,
            "description": "the policy's id"}


def _paths() -> dict:
    return {**_policy_paths(), **_consent_paths(), **_stats_paths(),
            "/api/v1/openapi.json": {"get": {
                "operationId": "getOpenApi",
                "summary": "This description",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
            }}}


def _policy_paths() -> dict:
    cached = {"ETag": {"schema": TEXT}, "Cache-Control": {"schema": TEXT},
              "Content-Language": {"schema": LANG}, "Access-Control-Allow-Origin": {"schema": {"const": "*"}}}
    return {"/api/v1/sites/{site}/policy": {
        "get": {
            "operationId": "getPolicy",
            "summary": "The localized policy document (the same the widget and the policy page use)",
            "parameters": [_site_param(), {
                "name": "lang", "in": "query", "required": False, "schema": TEXT,
                "description": "a language of the site (full code, then its prefix); "
                               "anything else gives the default language"}],
            "responses": {
                "200": _json(schema_ref("PolicyDocument"), "the policy in the chosen language", cached),
                "304": {"description": "unchanged since the ETag sent in If-None-Match"},
                **_errors(404),
            },
        },
    }}


def _consent_paths() -> dict:
    return {
        "/api/v1/sites/{site}/consents": {
            "post": {
                "operationId": "postConsent",
                "summary": "Store a consent receipt (proof of consent); refusals are stored too",
                "parameters": [_site_param()],
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": schema_ref("ConsentRequest")}}},
                "responses": {"201": _json(schema_ref("ConsentCreated"), "stored durably"),
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
                "responses": {"200": _json(schema_ref("ConsentReceipts"), "the receipts"),
                              **_errors(400, 403, 404, 429, 503)},
            },
        },
    }


def _stats_paths() -> dict:
    days = (("from", "first day, YYYY-MM-DD (default: 29 days before `to`)"),
            ("to", f"last day, YYYY-MM-DD (default: today); at most {MAX_DAYS} days in all"))
    return {"/api/v1/sites/{site}/stats": {
        "get": {
            "operationId": "getStats",
            "summary": "The site's counts per day (UTC) and in total, for its owner",
            "security": [{"ownerToken": []}],
            "parameters": [_site_param(), *(
                {"name": name, "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
                 "description": meaning} for name, meaning in days)],
            "responses": {"200": _json(schema_ref("Stats"), "the counts"), **_errors(400, 401, 404, 503)},
        },
    }}


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
