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
