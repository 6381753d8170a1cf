"""The harness itself: policies round-trip, and the three origins are really separate."""

from __future__ import annotations

import tomllib

from crumb.policy import load_policy


async def test_written_policy_reads_back_as_the_same_data(crumb):
    assert tomllib.loads(crumb.policy_file.read_text(encoding="utf-8")) == crumb.policy


async def test_only_required_variant_is_a_valid_policy_that_needs_no_banner(crumb):
    crumb.write_only_required()
    assert not load_policy(crumb.policy_file).policy.needs_banner


async def test_a_page_without_the_gate_loads_third_party_resources_and_they_are_recorded(
        visitor, host_site, third_party):
    url = host_site.page(f'<script src="{third_party.script("a")}"></script>'
                         f'<img src="{third_party.pixel("p")}" alt="">', gate=False)
    await visitor.goto(url)
    assert await visitor.page.evaluate("window.thirdParty") == ["a"]
    assert third_party.paths() == ["/s/a.js", "/p/p.gif"]
    assert visitor.requests_to(third_party.origin) == [third_party.script("a"), third_party.pixel("p")]
    assert visitor.requests_to(host_site.origin) == [url]
