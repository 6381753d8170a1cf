"""Security headers on the server's own responses."""


async def test_json_answers_carry_nosniff_and_a_referrer_policy(client):
    response = await client.get("/api/v1/sites/demo/policy")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


async def test_errors_carry_the_security_headers_too(client):
    response = await client.get("/no/such/route")
    assert response.status == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_cookie_policy_page_has_a_strict_content_security_policy(client):
    response = await client.get("/sites/demo/cookie-policy")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'self'" in csp


async def test_both_gate_scripts_may_be_loaded_by_websites_that_require_cross_origin_resource_policy(client):
    for path in ("/sites/demo/gate.js", "/sites/demo/gate-ui.js"):
        for answer in (await client.get(path), await client.get(path, headers={"Accept-Encoding": "br"})):
            assert answer.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert "camera=()" in answer.headers["Permissions-Policy"]


async def test_the_gate_not_modified_answer_carries_the_same_security_headers(client):
    first = await client.get("/sites/demo/gate.js")
    again = await client.get("/sites/demo/gate.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert again.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert again.headers.getall("X-Content-Type-Options") == ["nosniff"]
