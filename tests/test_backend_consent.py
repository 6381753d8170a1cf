"""The backend reader (`crumb.read_consent`, README "Reading consent on your backend") on every
consent-cookie vector, from a loaded policy, from the policy JSON, and from a whole Cookie header."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from crumb import consent_from_cookie_header, load_policy, read_consent
from crumb.policy import policy_document
from crumb.settings import DEMO_POLICIES

VECTORS = json.loads((Path(__file__).parent / "vectors" / "consent_cookie.json").read_text(encoding="utf-8"))
READS = [pytest.param(vector, id=vector["name"]) for vector in VECTORS["read"]]


@pytest.fixture(scope="module")
def policy():
    """The demo policy at the vectors' revision (its categories and services are the vectors')."""
    demo = load_policy(DEMO_POLICIES / "demo.toml").policy
    rules = VECTORS["rules"]
    assert [c.id for c in demo.categories] == rules["categories"]
    assert [s.id for s in demo.services] == rules["services"]
    return dataclasses.replace(demo, revision=rules["revision"])


def expected(vector: dict) -> dict | None:
    return vector["consent"] if vector["status"] == "valid" else None


def as_dict(consent) -> dict | None:
    return None if consent is None else consent.as_dict()


@pytest.mark.parametrize("vector", READS)
def test_read_consent_agrees_with_the_vector(policy, vector):
    assert as_dict(read_consent(vector["raw"], policy, now=vector["now"])) == expected(vector)


@pytest.mark.parametrize("vector", READS)
def test_read_consent_from_the_policy_json_agrees_with_the_vector(policy, vector):
    document = json.loads(json.dumps(policy_document(policy, "en")))
    assert as_dict(read_consent(vector["raw"], document, now=vector["now"])) == expected(vector)


@pytest.mark.parametrize("vector", READS)
def test_the_cookie_header_reader_finds_the_cookie_among_others(policy, vector):
    header = f"sessionid=abc; crumb_consent={vector['raw']}; crumb_lang=lt"
    moment = dt.datetime.fromtimestamp(vector["now"], dt.timezone.utc)
    assert as_dict(consent_from_cookie_header(header, policy, now=moment)) == expected(vector)


def test_required_categories_are_accepted_and_others_only_when_chosen(policy):
    custom = next(v for v in VECTORS["read"] if v["status"] == "valid" and v["consent"]["how"] == "custom")
    consent = read_consent(custom["raw"], policy, now=custom["now"])
    allowed = set(custom["consent"]["cats"]) | set(custom["consent"]["svcs"])
    for name in [*VECTORS["rules"]["categories"], *VECTORS["rules"]["services"]]:
        assert consent.accepted(name) == (name in allowed or name in VECTORS["rules"]["required"]), name


def test_no_cookie_header_and_no_cookie_are_no_consent(policy):
    assert consent_from_cookie_header(None, policy) is None
    assert consent_from_cookie_header("other=1", policy) is None
    assert read_consent(None, policy) is None
