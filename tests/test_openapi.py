"""The OpenAPI description really describes the API: every route, and what the routes send."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from crumb.app import create_app
from crumb.openapi import openapi_spec
from crumb.settings import Settings
from tests.conftest import POLICY_FIXTURES

SPEC_URI = "urn:crumb:openapi"
REALISTIC = POLICY_FIXTURES / "realistic"


def validator(schema_name: str) -> Draft202012Validator:
    """A validator for one named schema of the spec, with its `$ref`s resolved inside the spec."""
    registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(openapi_spec()))
    return Draft202012Validator({"$ref": f"{SPEC_URI}#/components/schemas/{schema_name}"},
                                registry=registry, format_checker=FormatChecker())


def assert_valid(schema_name: str, instance) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema_name).iter_errors(instance)]
    assert errors == []


@pytest.fixture
async def sites_client(aiohttp_client, tmp_path: Path):
    settings = Settings(policies_dir=REALISTIC, db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}", demo=False)
    return await aiohttp_client(create_app(settings))


def router_operations(app) -> set[tuple[str, str]]:
    """(METHOD, path template) of every `/api/v1` route; HEAD comes with GET, as in HTTP."""
    return {(route.method, route.resource.canonical) for route in app.router.routes()
            if route.resource is not None and route.resource.canonical.startswith("/api/v1")
            and route.method != "HEAD"}


def spec_operations() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in openapi_spec()["paths"].items() for method in item}


async def test_the_spec_is_served_as_openapi_3_1_json(client):
    response = await client.get("/api/v1/openapi.json")
    spec = await response.json()
    assert (response.status, spec["openapi"]) == (200, "3.1.0")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert spec == openapi_spec()


async def test_every_api_route_of_the_app_is_described(client):
    registered = router_operations(client.app)
    assert ("GET", "/api/v1/sites/{site}/policy") in registered
    assert registered - spec_operations() == set()


async def test_every_described_operation_is_a_route_of_the_app(client):
    assert spec_operations() - router_operations(client.app) == set()


def test_every_schema_in_the_spec_is_valid_json_schema_2020_12():
    for name, schema in openapi_spec()["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


def test_every_operation_documents_its_path_parameters():
    for path, item in openapi_spec()["paths"].items():
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == {part[1:-1] for part in path.split("/") if part.startswith("{")}, (method, path)


@pytest.mark.parametrize(("site", "lang"), [("billfold", "en"), ("billfold", "lt"), ("kaffeehaus-shop", "ar"),
                                            ("kaffeehaus-shop", "de")])
async def test_the_served_policy_document_matches_its_schema(sites_client, site, lang):
    document = await (await sites_client.get(f"/api/v1/sites/{site}/policy?lang={lang}")).json()
    assert_valid("PolicyDocument", document)


async def test_the_demo_policy_document_matches_its_schema(client):
    assert_valid("PolicyDocument", await (await client.get("/api/v1/sites/demo/policy?lang=pt")).json())


def test_the_schema_rejects_a_document_with_an_undescribed_field():
    assert not validator("PolicyDocument").is_valid({"v": 1, "surprise": True})


async def test_an_error_answer_matches_the_error_schema(client):
    response = await client.get("/api/v1/sites/nope/policy")
    assert str(response.status) in openapi_spec()["paths"]["/api/v1/sites/{site}/policy"]["get"]["responses"]
    assert_valid("Error", await response.json())


async def test_a_stored_consent_and_its_receipts_match_their_schemas(client):
    document = await (await client.get("/api/v1/sites/demo/policy")).json()
    consent_id = str(uuid.uuid4())
    body = {"consent_id": consent_id, "revision": document["revision"], "categories": ["necessary"],
            "services": [], "method": "reject_all", "language": "en", "page": document["origins"][0] + "/"}
    assert_valid("ConsentRequest", body)
    created = await client.post("/api/v1/sites/demo/consents", json=body)
    assert created.status == 201, await created.text()
    assert_valid("ConsentCreated", await created.json())
    receipts = await client.get(f"/api/v1/sites/demo/consents/{consent_id}")
    assert receipts.status == 200
    assert_valid("ConsentReceipts", await receipts.json())


async def test_a_rejected_consent_answers_with_a_described_status_and_the_error_schema(client):
    response = await client.post("/api/v1/sites/demo/consents", json={"consent_id": "not-a-uuid"})
    described = openapi_spec()["paths"]["/api/v1/sites/{site}/consents"]["post"]["responses"]
    assert str(response.status) in described and response.status == 400
    assert_valid("Error", await response.json())
