"""Property-based: for any cookie value, mangled or forged, the gate's reader (V8) and the
Python reader agree, and nothing odd is ever read as consent."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crumb.widget.consent_cookie import cookie_status
from tests.test_consent_cookie import RULES, gate_in_v8, js_read, template  # noqa: F401 (fixtures)

NOW = 1_800_000_000
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8)
FIELDS = ("v", "id", "rev", "cats", "svcs", "at", "exp", "how")


RIGHT = {
    "v": st.just(1), "id": st.uuids(version=4).map(str), "rev": st.just(RULES.revision),
    "cats": st.lists(st.sampled_from(RULES.categories), unique=True).map(
        lambda cats: sorted(set(cats) | set(RULES.required), key=RULES.categories.index)),
    "svcs": st.lists(st.sampled_from(RULES.services), unique=True),
    "at": st.integers(NOW - 10**6, NOW), "exp": st.integers(NOW - 10**5, NOW + 10**7),
    "how": st.sampled_from(["accept_all", "reject_all", "custom", "gpc", "maybe"]),
}


def consents():
    """Consents close to valid: every field right, then at most one replaced by any JSON value,
    dropped, or joined by an extra key."""
    mutations = st.sampled_from(FIELDS + ("extra", "none", "none", "none", "none")).flatmap(
        lambda name: st.tuples(st.just(name), json_values | st.just(KeyError)))

    def mutate(consent: dict, mutation: tuple) -> dict:
        name, value = mutation
        if name == "none":
            return consent
        if value is KeyError:
            return {key: item for key, item in consent.items() if key != name}
        return {**consent, name: value}

    return st.builds(mutate, st.fixed_dictionaries(RIGHT), mutations)


encoded = consents().map(lambda c: urllib.parse.quote(json.dumps(c), safe=""))
raw_values = st.one_of(
    encoded, encoded, encoded,
    consents().map(lambda c: urllib.parse.quote(json.dumps(c), safe="")).flatmap(
        lambda raw: st.integers(0, len(raw)).map(lambda cut: raw[:cut])),  # truncated
    st.text(max_size=60),
    json_values.map(lambda value: urllib.parse.quote(json.dumps(value), safe="")),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_values)
def test_the_gate_and_python_read_any_cookie_value_alike(gate_in_v8, raw):
    python = cookie_status(raw, RULES, NOW)
    assert js_read(gate_in_v8, raw, NOW) == python
    if python[0] == "valid":
        consent = python[1]
        assert consent["exp"] > NOW and set(RULES.required) <= set(consent["cats"])
        assert str(uuid.UUID(consent["id"])) == consent["id"]
