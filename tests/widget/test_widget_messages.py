"""The widget's side of the gate protocol, run in CPython: origins, init, receipts, retries."""

from crumb.widget.messages import (
    allowed_origin,
    message,
    parse_init,
    receipt_body,
    should_retry,
)

SITE_ORIGINS = ["https://acme.example"]
CRUMB = "https://consent.example"


def test_a_site_origin_is_allowed():
    assert allowed_origin("https://acme.example", SITE_ORIGINS, CRUMB) == "https://acme.example"


def test_the_crumb_origin_itself_is_allowed():
    assert allowed_origin(CRUMB, SITE_ORIGINS, CRUMB) == CRUMB


def test_any_other_origin_or_none_gets_nothing():
    assert allowed_origin("https://evil.example", SITE_ORIGINS, CRUMB) is None
    assert allowed_origin("https://acme.example.evil.example", SITE_ORIGINS, CRUMB) is None
    assert allowed_origin(None, SITE_ORIGINS, CRUMB) is None
    assert allowed_origin("", SITE_ORIGINS, CRUMB) is None


def test_messages_carry_type_and_version():
    assert message("language", lang="lt") == {"type": "language", "v": 1, "lang": "lt"}


def test_a_valid_init_is_read_with_its_fields():
    init = parse_init({"type": "init", "v": 1, "mode": "preferences", "gpc": True, "policy_changed": True,
                       "page": "https://acme.example/", "consent": {"id": "x", "cats": ["necessary"]}})
    assert init == {"mode": "preferences", "gpc": True, "policy_changed": True, "page": "https://acme.example/",
                    "consent": {"id": "x", "cats": ["necessary"]}}


def test_init_of_another_version_or_type_is_ignored():
    assert parse_init({"type": "init", "v": 2}) is None
    assert parse_init({"type": "decision", "v": 1}) is None
    assert parse_init("init") is None


def test_odd_init_fields_fall_back_to_safe_values():
    init = parse_init({"type": "init", "v": 1, "mode": "x", "gpc": "yes", "consent": {"no": "id"}, "page": 3})
    assert init == {"mode": "banner", "gpc": False, "policy_changed": False, "page": "", "consent": None}


def test_receipt_holds_exactly_the_fields_the_server_takes():
    document = {"revision": 3, "language": "lt"}
    decision = {"categories": ["necessary"], "services": [], "method": "reject_all"}
    body = receipt_body(decision, "id-1", document, "https://acme.example/pricing")
    assert body == {"consent_id": "id-1", "revision": 3, "categories": ["necessary"], "services": [],
                    "method": "reject_all", "language": "lt", "page": "https://acme.example/pricing"}


def test_receipts_are_retried_on_no_answer_429_and_5xx_only():
    assert [should_retry(s) for s in (0, 429, 500, 503)] == [True] * 4
    assert [should_retry(s) for s in (201, 400, 413, 415)] == [False] * 4


def test_receipts_of_every_method_are_accepted_by_the_server_as_sent():
    import json

    from crumb.policy import load_policy, policy_document
    from crumb.receipts.submission import parse_submission
    from crumb.settings import DEMO_POLICIES
    from crumb.widget.choices import Choices

    policy = load_policy(DEMO_POLICIES / "demo.toml").policy
    document = policy_document(policy, "lt")
    choices = Choices(document)
    choices.set_service("statly", True)
    for method in ("accept_all", "reject_all", "custom"):
        body = receipt_body(choices.decision(method), "0b8f4bd6-8f0e-4d55-9a54-5b7a4c2e1f10", document,
                            policy.origins[0] + "/pricing")
        parsed = parse_submission(json.dumps(body).encode(), policy, policy.origins)
        assert parsed.method == method
