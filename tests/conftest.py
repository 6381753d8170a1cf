"""Shared fixtures: the app is always built through the real `create_app()`."""

from __future__ import annotations

from pathlib import Path

import pytest

from crumb.app import create_app
from crumb.settings import DEMO_POLICIES, Settings
from package_builder import ROOT as PROJECT_ROOT
from package_builder import ensure_built

TESTS = Path(__file__).resolve().parent
POLICY_FIXTURES = TESTS / "policies"


@pytest.fixture(scope="session", autouse=True)
def widget_bundle() -> None:
    """Build `static/dist/` once per test run when it is missing or stale (the app only reads it)."""
    ensure_built(PROJECT_ROOT)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for the bundled demo policy with receipts in a fresh SQLite file."""
    return Settings(policies_dir=DEMO_POLICIES, db_url=f"sqlite:///{tmp_path / 'receipts.sqlite3'}")


@pytest.fixture
async def client(aiohttp_client, settings):
    """A test client talking to the real app on a real loopback port."""
    return await aiohttp_client(create_app(settings))
