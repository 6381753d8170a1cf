"""Revision drift: content changed under a revision receipts already point at is warned about by
`serve`, `reload` and `check --db`, and `receipts policy` shows every content of that revision."""

from __future__ import annotations

import dataclasses
import logging
import shutil

import pytest

from crumb.app import create_app
from crumb.policy import canonical_json, load_policy
from crumb.reload import reload_policies
from tests.receipts.receipt_data import CONSENTS, RECEIPT_POLICIES, SITE, receipt_settings, valid_body
from tests.receipts.test_receipt_commands import crumb

OLD_NAME, NEW_NAME = 'name = "Kepyklėlė Online"', 'name = "Kepyklėlė Online Shop"'


@pytest.fixture
def policies(tmp_path):
    """A copy of the receipt-test policies that a test may edit."""
    directory = tmp_path / "policies"
    shutil.copytree(RECEIPT_POLICIES, directory)
    return directory


def _rename(policies) -> None:
    path = policies / "bakery.toml"
    text = path.read_text()
    assert text.count(OLD_NAME) == 1
    path.write_text(text.replace(OLD_NAME, NEW_NAME))


def _settings(db_url, policies):
    return dataclasses.replace(receipt_settings(db_url), policies_dir=policies)


def _drift_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "crumb.policy" and r.levelno == logging.WARNING]


async def _served_once(aiohttp_client, db_url, policies):
    client = await aiohttp_client(create_app(_settings(db_url, policies)))
    assert (await client.post(CONSENTS, json=valid_body())).status == 201
    return client


async def test_reload_warns_naming_the_changed_field_and_the_revision_to_raise(aiohttp_client, db_url, policies,
                                                                                caplog):
    client = await _served_once(aiohttp_client, db_url, policies)
    caplog.set_level(logging.WARNING, logger="crumb.policy")
    assert _drift_lines(caplog) == []
    _rename(policies)
    assert await reload_policies(client.app) == []
    [line] = _drift_lines(caplog)
    assert "revision 4 of site 'bakery' was already served with other content" in line
    assert "changed: name;" in line and "raise revision to 5" in line


async def test_serve_warns_at_start_when_the_kept_revision_has_other_content(aiohttp_client, db_url, policies,
                                                                              caplog):
    first = await _served_once(aiohttp_client, db_url, policies)
    await first.close()
    _rename(policies)
    caplog.set_level(logging.WARNING, logger="crumb.policy")
    await aiohttp_client(create_app(_settings(db_url, policies)))
    [line] = _drift_lines(caplog)
    assert "changed: name;" in line and "raise revision to 5" in line


async def test_serve_says_nothing_when_the_content_is_the_one_kept(aiohttp_client, db_url, policies, caplog):
    first = await _served_once(aiohttp_client, db_url, policies)
    await first.close()
    caplog.set_level(logging.WARNING, logger="crumb.policy")
    await aiohttp_client(create_app(_settings(db_url, policies)))
    assert _drift_lines(caplog) == []


async def test_check_with_db_warns_about_drift(aiohttp_client, db_url, policies):
    first = await _served_once(aiohttp_client, db_url, policies)
    await first.close()
    _rename(policies)
    status, out, err = await crumb("check", str(policies / "bakery.toml"), "--db", db_url)
    assert status == 0, err
    assert "warning: " in err and "changed: name;" in err and "raise revision to 5" in err
    status, out, err = await crumb("check", str(policies / "bakery.toml"))
    assert "changed:" not in err


async def test_receipts_policy_lists_every_hash_of_the_revision_and_prints_one_by_hash(aiohttp_client, db_url,
                                                                                       policies):
    client = await _served_once(aiohttp_client, db_url, policies)
    old = load_policy(policies / "bakery.toml").policy
    _rename(policies)
    assert await reload_policies(client.app) == []
    assert (await client.post(CONSENTS, json=valid_body())).status == 201
    new = load_policy(policies / "bakery.toml").policy
    await client.close()
    status, out, err = await crumb("receipts", "policy", "--site", SITE, "--revision", "4", "--db", db_url)
    assert status == 0, err
    assert out.splitlines() == [old.content_hash, new.content_hash]
    assert "--hash" in err
    for policy in (old, new):
        status, out, err = await crumb("receipts", "policy", "--site", SITE, "--revision", "4",
                                       "--hash", policy.content_hash, "--db", db_url)
        assert (status, out) == (0, canonical_json(policy) + "\n"), err
    status, out, err = await crumb("receipts", "policy", "--site", SITE, "--revision", "4", "--hash", "ab" * 32,
                                   "--db", db_url)
    assert status == 1 and out == "" and old.content_hash in err
