"""The policy JSON API: localized documents, caching and errors."""


async def test_policy_is_served_in_the_requested_language(client):
    response = await client.get("/api/v1/sites/demo/policy?lang=lt")
    assert response.status == 200
    assert response.headers["Content-Language"] == "lt"
    document = await response.json()
    assert document["language"] == "lt"
    assert document["site"] == "demo"


async def test_unsupported_language_falls_back_to_the_default(client):
    document = await (await client.get("/api/v1/sites/demo/policy?lang=xx")).json()
    assert document["language"] == "en"


async def test_unknown_site_is_a_json_404(client):
    response = await client.get("/api/v1/sites/nope/policy")
    assert response.status == 404
    assert (await response.json())["error"] == "unknown_site"


async def test_conditional_get_with_the_etag_answers_304(client):
    first = await client.get("/api/v1/sites/demo/policy")
    again = await client.get("/api/v1/sites/demo/policy", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304


async def test_wrong_method_is_a_json_405(client):
    response = await client.post("/api/v1/sites/demo/policy")
    assert response.status == 405
    assert (await response.json())["error"] == "method_not_allowed"
