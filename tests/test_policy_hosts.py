"""Service `hosts` (README, "Policy file reference", `[[services]]`): host names only, lower case,
each in one service."""

from __future__ import annotations

import copy
import tomllib

import pytest

from crumb.policy import PolicyError, load_policy, parse_policy, policy_document, policy_hash
from crumb.settings import DEMO_POLICIES
from tests.conftest import POLICY_FIXTURES

# The demo policy without the hosts it lists for its vendors: the tests give hosts themselves.
DEMO = tomllib.loads((DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8"))
for _service in DEMO["services"]:
    _service.pop("hosts", None)


def with_hosts(*hosts_per_service: list) -> dict:
    raw = copy.deepcopy(DEMO)
    for service, hosts in zip(raw["services"], hosts_per_service):
        service["hosts"] = hosts
    return raw


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(raw, "acme.toml")
    return caught.value.problems


def test_exact_hosts_wildcard_domains_ipv4_literals_and_single_labels_are_accepted():
    loaded = parse_policy(with_hosts(["cdn.statly.example", "*.statly.example"], ["127.0.0.2", "localhost"]),
                          "acme.toml")
    assert loaded.policy.services[0].hosts == ("cdn.statly.example", "*.statly.example")
    assert loaded.policy.services[1].hosts == ("127.0.0.2", "localhost")


@pytest.mark.parametrize("host", ["https://cdn.example.com", "cdn.example.com:443", "cdn.example.com/js",
                                  "CDN.example.com", "cdn.*.example.com", "*example.com", "*", "-cdn.example.com",
                                  "cdn..example.com", ""])
def test_anything_but_a_lower_case_host_name_is_refused_by_key_path_and_value(host):
    problems = problems_of(with_hosts([host]))
    assert len(problems) == 1
    assert problems[0].startswith("acme.toml: services[0].hosts[0]: expected a host name")
    assert problems[0].endswith(f'(got "{host}")')


def test_a_host_listed_twice_in_one_service_is_refused():
    assert problems_of(with_hosts(["a.example", "a.example"])) == [
        'acme.toml: services[0].hosts[1]: listed twice (got "a.example")']


def test_a_host_in_two_services_is_refused_naming_the_first_owner():
    problems = problems_of(with_hosts(["a.example"], ["b.example", "a.example"]))
    assert problems == ["acme.toml: services[1].hosts[1]: already listed by service "
                        f"{DEMO['services'][0]['id']!r} (got \"a.example\")"]


def test_hosts_must_be_a_list_of_strings():
    assert problems_of(with_hosts("a.example")) == [
        'acme.toml: services[0].hosts: expected a list of strings (got "a.example")']


def test_the_policy_document_lists_each_services_hosts():
    document = policy_document(parse_policy(with_hosts(["*.statly.example"]), "acme.toml").policy, "en")
    assert document["services"][0]["hosts"] == ["*.statly.example"]
    assert document["services"][1]["hosts"] == []


def test_a_policy_without_hosts_keeps_the_hash_it_had_before_hosts_existed():
    # Hosts came after the format's first release: an unchanged file must keep its receipts' hash.
    plain = parse_policy(copy.deepcopy(DEMO), "acme.toml").policy
    empty = parse_policy(with_hosts([]), "acme.toml").policy
    assert policy_hash(plain) == policy_hash(empty)
    before = load_policy(POLICY_FIXTURES / "before_hosts.toml").policy  # its hash when hosts did not exist
    assert policy_hash(before).startswith("b0fd9456974bbc5a")
    assert policy_hash(parse_policy(with_hosts(["a.example"]), "acme.toml").policy) != policy_hash(plain)
