"""Property-based tests of receipt validation: any body is a valid submission or an
InvalidSubmission with a stable code, and a valid one says exactly what was posted."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crumb.policy import load_policy
from crumb.receipts.submission import InvalidSubmission, parse_submission
from crumb.settings import DEMO_POLICIES

POLICY = load_policy(DEMO_POLICIES / "demo.toml").policy
ORIGINS = POLICY.origins
CODES = {"malformed_json", "invalid_receipt"}
REQUIRED = [c.id for c in POLICY.categories if c.required]
OPTIONAL = [c.id for c in POLICY.categories if not c.required]
SERVICES = [s.id for s in POLICY.services]

# Any code point, lone surrogates and U+0000 included: JSON's \uXXXX escapes can carry them all.
any_text = st.text(st.characters(exclude_categories=()), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10)
fields = st.fixed_dictionaries({}, optional={
    "consent_id": st.one_of(st.uuids(version=4).map(str), st.text(max_size=40), json_values),
    "revision": st.one_of(st.just(POLICY.revision), st.integers(), json_values),
    "categories": st.one_of(st.lists(st.sampled_from(REQUIRED + OPTIONAL + ["x"]), max_size=6), json_values),
    "services": st.one_of(st.lists(st.sampled_from(SERVICES + ["y"]), max_size=4), json_values),
    "method": st.one_of(st.sampled_from(["accept_all", "reject_all", "custom", "gpc", "yes"]), json_values),
    "language": st.one_of(st.sampled_from(list(POLICY.languages) + ["xx"]), json_values),
    "page": st.one_of(st.sampled_from([o + "/pricing" for o in ORIGINS] + ["https://evil.example/"]),
                      st.tuples(st.sampled_from(ORIGINS), st.just("/"), any_text).map("".join),
                      st.text(max_size=30), json_values),
    "extra": json_values,
})


valid_bodies = st.fixed_dictionaries({
    "consent_id": st.uuids(version=4).map(str),
    "revision": st.just(POLICY.revision),
    "categories": st.lists(st.sampled_from(OPTIONAL), unique=True).map(lambda chosen: REQUIRED + chosen),
    "services": st.lists(st.sampled_from(SERVICES), unique=True),
    "method": st.just("custom"),
    "language": st.sampled_from(POLICY.languages),
    "page": st.tuples(st.sampled_from(ORIGINS), st.from_regex(r"/[a-z0-9/_-]{0,30}", fullmatch=True))
              .map("".join),
})


def check(body: bytes) -> None:
    try:
        submission = parse_submission(body, POLICY, ORIGINS)
    except InvalidSubmission as error:
        assert error.code in CODES and error.detail
    else:
        posted = json.loads(body)
        assert submission.consent_id == posted["consent_id"]
        assert set(REQUIRED) <= set(submission.categories) <= set(REQUIRED + OPTIONAL)
        assert set(submission.services) <= set(SERVICES)
        assert submission.page.split("/")[2] in {o.split("/")[2] for o in ORIGINS}
        # What is accepted can be stored: UTF-8 text (SQLite) without U+0000 (PostgreSQL).
        for text in (submission.page, submission.language, *submission.categories, *submission.services):
            assert "\x00" not in text.encode("utf-8").decode("utf-8")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields)
def test_any_json_object_is_a_valid_submission_or_a_named_refusal(body):
    check(json.dumps(body).encode())


@settings(max_examples=300, deadline=None)
@given(valid_bodies)
def test_every_well_formed_choice_is_accepted_as_posted(body):
    submission = parse_submission(json.dumps(body).encode(), POLICY, ORIGINS)
    assert (list(submission.categories), list(submission.services), submission.page) == \
        (body["categories"], body["services"], body["page"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_bodies, st.sampled_from(["consent_id", "revision", "categories", "services", "method",
                                      "language", "page", "extra"]), json_values)
def test_one_wrong_field_in_a_valid_body_is_refused_or_still_valid(body, field, junk):
    check(json.dumps({**body, field: junk}).encode())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_a_valid_submission_or_a_named_refusal(body):
    check(body)


def test_a_complete_refusal_is_accepted():
    body = {"consent_id": str(uuid.uuid4()), "revision": POLICY.revision, "categories": REQUIRED,
            "services": [], "method": "reject_all", "language": "lt", "page": ORIGINS[0] + "/"}
    assert parse_submission(json.dumps(body).encode(), POLICY, ORIGINS).method == "reject_all"


def test_a_field_nested_deeper_than_the_parser_goes_is_refused_by_its_name():
    body = json.dumps({"consent_id": str(uuid.uuid4()), "revision": POLICY.revision, "categories": "DEEP",
                       "services": [], "method": "custom", "language": "en", "page": ORIGINS[0] + "/"})
    deep = body.replace('"DEEP"', "[" * 5000 + "]" * 5000).encode()  # far past the recursion limit
    with pytest.raises(InvalidSubmission) as refusal:
        parse_submission(deep, POLICY, ORIGINS)
    assert (refusal.value.code, refusal.value.detail.split(":")[0]) == ("invalid_receipt", "categories")
