"""The wheel is a product: built as a user builds it, installed into a fresh venv, run from an
empty directory with no build step, it serves the demo, and a visitor's decision is stored.

The wheel is built with pip from this checkout (its build backend, package_builder.py, builds
the bundle first); the fresh venv gets only the wheel and what it declares it needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from package_builder import ROOT
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.server_process import free_port


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(out), str(ROOT)], check=True)
    return next(out.glob("crumb-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel and its declared dependencies; returns its bin directory."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    subprocess.run([str(home / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(wheel)],
                   check=True)
    return home / "bin"


def test_the_wheel_installs_one_top_level_package_and_carries_the_built_bundle(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")} == {"crumb"}
    manifest = json.loads(zipfile.ZipFile(wheel).read("crumb/static/dist/manifest.json"))
    for hashed in manifest["files"].values():
        assert {f"crumb/static/dist/{hashed}", f"crumb/static/dist/{hashed}.br"} <= set(names)
    assert "package_builder.py" not in names


def test_the_installed_package_needs_no_build_tools(installed):
    probe = ("import importlib.util as u, crumb.app, crumb.cli\n"
             "print([m for m in ('py_mini_racer', 'brython', 'minify', 'package_builder') if u.find_spec(m)])")
    result = subprocess.run([str(installed / "python"), "-c", probe], capture_output=True, text=True, check=True,
                            cwd="/")
    assert result.stdout.strip() == "[]"


async def test_crumb_serve_from_an_empty_directory_runs_the_demo_and_stores_the_decision(installed, tmp_path):
    port = free_port()
    work = tmp_path / "empty"
    work.mkdir()
    server = subprocess.Popen([str(installed / "crumb"), "serve", "--port", str(port)], cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:
            assert "Traceback" not in line and "Building" not in line, line
            if "Running on" in line:
                break
        origin = f"http://127.0.0.1:{port}"
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = await browser.new_page()
                await page.goto(origin + "/demo/")
                frame = page.frame_locator("iframe[data-crumb-frame]")
                async with page.expect_response(lambda r: r.url.endswith("/consents") and r.status == 201,
                                                timeout=15_000):
                    await frame.get_by_role("button", name="Accept all").click(timeout=15_000)
                cookie = next(c for c in await page.context.cookies(origin) if c["name"] == "crumb_consent")
            finally:
                await browser.close()
        consent = json.loads(urllib.parse.unquote(cookie["value"]))
        with urllib.request.urlopen(f"{origin}/api/v1/sites/demo/consents/{consent['id']}") as answer:
            receipts = json.load(answer)["receipts"]
        assert [receipt["method"] for receipt in receipts] == ["accept_all"]
        assert (work / "crumb-receipts.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
