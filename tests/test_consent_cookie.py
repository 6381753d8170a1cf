"""The consent cookie's value, read and written the same way by Python and by the gate (V8).

Both readers run over the same vectors, `tests/vectors/consent_cookie.json`; the gate's reader
runs in V8 (mini-racer) from the served gate itself, built for the vectors' policy.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from py_mini_racer import MiniRacer

from crumb.assets import Assets
from crumb.gate_config import CONFIG_TOKEN, gate_config, gate_template
from crumb.settings import DEMO_POLICIES
from crumb.sites import Sites
from crumb.widget.consent_cookie import (
    CookieRules,
    cookie_status,
    encode_consent,
    parse_consent,
)
from package_builder import ROOT as PROJECT_ROOT


@pytest.fixture(scope="module")
def template(widget_bundle) -> str:
    """The gate template from the built bundle (tests/conftest.py builds it first)."""
    return gate_template(Assets.load(PROJECT_ROOT / "static" / "dist"))

VECTORS = json.loads((Path(__file__).parent / "vectors" / "consent_cookie.json").read_text(encoding="utf-8"))
RULES = CookieRules(**{key: tuple(value) if isinstance(value, list) else value
                       for key, value in VECTORS["rules"].items()})
READ = VECTORS["read"]
ENCODE = VECTORS["encode"]


def gate_config_for_vectors() -> dict:
    """The demo site's gate config with the vectors' revision, categories and services."""
    config = gate_config(Sites.from_directory(DEMO_POLICIES).policy("demo"), "http://127.0.0.1:8080")
    rules = VECTORS["rules"]
    config.update(revision=rules["revision"], categories=rules["categories"], required=rules["required"],
                  services={service: ["analytics", service] for service in rules["services"]})
    return config


@pytest.fixture(scope="module")
def gate_in_v8(template) -> MiniRacer:
    """The served gate, evaluated in V8 where there is no document: it exports its reader."""
    context = MiniRacer()
    source = template.replace(CONFIG_TOKEN, json.dumps(gate_config_for_vectors()))
    context.eval(source)
    return context


def js_read(context: MiniRacer, raw: str, now: int) -> tuple[str, dict | None]:
    result = json.loads(context.eval(f"JSON.stringify(crumbCookie.read({json.dumps(raw)}, {now}) ?? null)"))
    if result is None or result == "outdated":
        return result or "none", None
    return "valid", result


@pytest.mark.parametrize("vector", READ, ids=[vector["name"] for vector in READ])
def test_python_reader_agrees_with_the_vector(vector):
    assert cookie_status(vector["raw"], RULES, vector["now"]) == (vector["status"], vector.get("consent"))


@pytest.mark.parametrize("vector", READ, ids=[vector["name"] for vector in READ])
def test_gate_reader_in_v8_agrees_with_the_vector(gate_in_v8, vector):
    assert js_read(gate_in_v8, vector["raw"], vector["now"]) == (vector["status"], vector.get("consent"))


@pytest.mark.parametrize("vector", ENCODE, ids=[vector["name"] for vector in ENCODE])
def test_python_encoder_writes_the_vector_value(vector):
    consent = vector["consent"]
    assert encode_consent(consent_id=consent["id"], revision=consent["rev"], categories=consent["cats"],
                          services=consent["svcs"], at=consent["at"], expires=consent["exp"],
                          method=consent["how"]) == vector["raw"]


@pytest.mark.parametrize("vector", ENCODE, ids=[vector["name"] for vector in ENCODE])
def test_gate_encoder_in_v8_writes_the_vector_value(gate_in_v8, vector):
    assert gate_in_v8.eval(f"crumbCookie.encode({json.dumps(vector['consent'])})") == vector["raw"]


def test_encoded_value_is_percent_encoded_json_in_design_key_order():
    raw = ENCODE[0]["raw"]
    assert raw.startswith("%7B%22v%22%3A1%2C%22id%22%3A%22")
    assert list(json.loads(urllib.parse.unquote(raw))) == ["v", "id", "rev", "cats", "svcs", "at", "exp", "how"]


def test_parse_consent_gives_the_consent_or_none():
    valid, outdated = READ[0], next(v for v in READ if v["status"] == "outdated")
    assert parse_consent(valid["raw"], RULES, valid["now"]) == valid["consent"]
    assert parse_consent(outdated["raw"], RULES, outdated["now"]) is None


def test_non_string_values_are_no_consent():
    assert cookie_status(None, RULES, 0) == ("none", None)
    assert cookie_status(b"%7B%7D", RULES, 0) == ("none", None)
