"""Property-based tests of the policy loader: any input gives a valid policy or a PolicyError
whose every line names the file and a key path, and nothing else ever escapes."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crumb.policy import PolicyError, parse_policy
from crumb.settings import DEMO_POLICIES

DEMO = tomllib.loads((DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8"))
# A key, its indexes, and a storage row's name after its index: `storage[3] (_ga)`.
_SEGMENT = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")(?:\[\d+\](?: \([^\s;,="<>]+\))?)*'
PROBLEM_LINE = re.compile(rf"^fuzz\.toml: {_SEGMENT}(?:\.{_SEGMENT})*: .+", re.DOTALL)

toml_scalars = st.one_of(
    st.text(max_size=30), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(),
    st.floats(allow_nan=False), st.dates(), st.datetimes(), st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def leaf_paths(node, prefix=()):
    """Yield the path of every value in a parsed TOML document."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from leaf_paths(value, prefix + (key,))


DEMO_PATHS = list(leaf_paths(DEMO))


def assert_valid_or_named_problems(raw: dict) -> None:
    try:
        loaded = parse_policy(raw, "fuzz.toml")
    except PolicyError as error:
        assert error.problems, "a PolicyError must list at least one problem"
        for problem in error.problems:
            assert PROBLEM_LINE.match(problem), problem
    else:
        assert loaded.policy.content_hash


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(DEMO) + ["extra", "x"]), toml_values, max_size=8))
def test_any_document_is_a_policy_or_a_list_of_named_problems(raw):
    assert_valid_or_named_problems(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DEMO_PATHS), toml_values)
def test_replacing_any_value_of_a_valid_policy_never_escapes_as_another_error(path, value):
    raw = copy.deepcopy(DEMO)
    parent = raw
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    assert_valid_or_named_problems(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DEMO_PATHS))
def test_removing_any_key_of_a_valid_policy_never_escapes_as_another_error(path):
    raw = copy.deepcopy(DEMO)
    parent = raw
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    assert_valid_or_named_problems(raw)


def test_a_problem_names_the_key_path_and_the_value():
    raw = copy.deepcopy(DEMO)
    raw["storage"][3]["duration"] = "forever-ish"
    try:
        parse_policy(raw, "fuzz.toml")
    except PolicyError as error:
        assert error.problems == [
            'fuzz.toml: storage[3] (currency).duration: expected "session", "persistent" or a number with '
            's|min|h|d|mo|y (got "forever-ish")'
        ]
    else:
        raise AssertionError("an invalid duration was accepted")


def test_the_bundled_demo_policy_is_valid():
    loaded = parse_policy(copy.deepcopy(DEMO), "demo.toml")
    assert loaded.policy.updated == dt.date(2026, 11, 20)
