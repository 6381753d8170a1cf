"""The bound the README states for a returning visitor after a revision bump is the caching the
gate is served with (README, "After a revision bump: how soon returning visitors are asked")."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pytest

from crumb.app import create_app
from crumb.reload import reload_policies
from crumb.settings import DEMO_POLICIES
from package_builder import ROOT as PROJECT_ROOT

SECTION = "### After a revision bump: how soon returning visitors are asked"


def _readme_bound() -> tuple[str, int]:
    """Return the Cache-Control the README's section names and the seconds it promises."""
    text = (PROJECT_ROOT / "README.md").read_text()
    section = re.split(r"\n#{2,3} ", text[text.index(SECTION) + len(SECTION):], maxsplit=1)[0]
    header = re.search(r"`Cache-Control: ([^`]+)`", section).group(1)
    minutes, seconds = re.search(r"\*\*(\d+) minutes \((\d+) s\)\*\*", section).groups()
    assert int(minutes) * 60 == int(seconds)
    return header, int(seconds)


def _revision(script: str) -> int:
    return json.loads(re.search(r'\{"site":.*?"revision":(\d+)', script).group(1))


@pytest.fixture
def policies(tmp_path):
    directory = tmp_path / "policies"
    shutil.copytree(DEMO_POLICIES, directory)
    return directory


@pytest.mark.parametrize("path", ["/sites/demo/gate.js", "/sites/demo/gate-ui.js"])
async def test_gate_answers_carry_the_caching_the_readme_states(client, path):
    header, seconds = _readme_bound()
    response = await client.get(path)
    assert response.status == 200
    assert response.headers["Cache-Control"] == header
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) == seconds
    assert response.headers["ETag"]


async def test_after_a_revision_bump_a_cached_gate_is_replaced_on_revalidation(aiohttp_client, settings, policies):
    client = await aiohttp_client(create_app(dataclasses.replace(settings, policies_dir=policies)))
    plain = {"Accept-Encoding": "identity"}
    before = await client.get("/sites/demo/gate.js", headers=plain)
    old_etag, old_script = before.headers["ETag"], await before.text()
    unchanged = await client.get("/sites/demo/gate.js", headers={**plain, "If-None-Match": old_etag})
    assert unchanged.status == 304
    demo = policies / "demo.toml"
    revision = _revision(old_script)
    demo.write_text(demo.read_text().replace(f"revision = {revision}\n", f"revision = {revision + 1}\n", 1))
    assert await reload_policies(client.app) == []
    after = await client.get("/sites/demo/gate.js", headers={**plain, "If-None-Match": old_etag})
    assert after.status == 200 and after.headers["ETag"] != old_etag
    assert _revision(await after.text()) == revision + 1
