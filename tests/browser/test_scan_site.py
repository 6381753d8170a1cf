"""The scanner (README, "Scanning your site") in real Chromium against fixture websites.

Each test serves a website on loopback next to the real Crumb server (tests/browser/conftest.py),
runs `python -m server scan` as a user would, and reads its exit status and JSON report. Scans
cost seconds each, so there are few of them and each checks a whole report.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from aiohttp import web

from crumb.policy import load_policy
from tests.browser.conftest import ThirdParty

REPO = Path(__file__).resolve().parents[2]


def scanned_policy(services: list[dict], storage: list[dict]):
    """A change for `crumb.write_policy`: the demo's categories with these services and rows."""
    def change(policy: dict) -> None:
        policy["services"] = services
        policy["storage"] = storage
    return change


STATLY = {"id": "statly", "name": "Statly", "category": "analytics", "description": {"en": "Counts visits."}}
ST_ID = {"name": "_st_id", "kind": "cookie", "service": "statly", "duration": "1h",
         "purpose": {"en": "Counts visits."}}


async def run_scan(*args: str) -> tuple[int, str]:
    """Run the scanner's command line; return its exit status and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server", "scan", *args, cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, stderr.decode()


def summary(report: dict) -> set[tuple]:
    """The findings as (kind, storage, name, phase, pages) tuples."""
    return {(f["kind"], f["storage"], f["name"], f["phase"], tuple(f["pages"])) for f in report["findings"]}


async def test_a_leaking_site_gets_exactly_its_findings_and_exit_status_1(crumb, host_site, third_party, serve,
                                                                          tmp_path):
    other = ThirdParty("")
    other.origin = await serve(other.app, host="127.0.0.3")
    pixel_co = {"id": "pixelco", "name": "PixelCo", "category": "marketing", "hosts": ["127.0.0.2"],
                "description": {"en": "Ads."}}
    never = {"name": "never_here", "kind": "cookie", "category": "necessary", "duration": "session",
             "purpose": {"en": "Never set."}}
    third_party.frames["widget"] = '<script>localStorage.setItem("tp_key", "1")</script>'
    crumb.write_policy(scanned_policy([STATLY, pixel_co], [ST_ID, never]))
    await crumb.restart()
    home = host_site.page(
        f'<a href="/about">About</a><img src="{third_party.pixel("px")}" alt="">'
        '<script type="text/plain" data-category="analytics" data-service="statly">'
        'document.cookie = "_st_id=1; path=/; max-age=3600";</script>'
        '<script type="text/plain" data-category="analytics">document.cookie = "sneaky=1; path=/; max-age=60";'
        'localStorage.setItem("ls_key", "1"); sessionStorage.setItem("ss_key", "1"); indexedDB.open("idb_x");'
        '</script>'
        f'<script type="text/plain" data-category="analytics" src="{other.script("tracker")}"></script>')
    about = host_site.page('<script>document.cookie = "leak_first=1; path=/; max-age=3600";</script>'
                           f'<iframe src="{third_party.frame("widget")}"></iframe>', path="/about")
    status, stderr = await run_scan(home, "--site", "demo", "--policies", str(crumb.policies_dir),
                                    "--json", str(tmp_path / "r.json"), "--toml", str(tmp_path / "d.toml"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert status == 1, stderr
    assert report["gate_found"] and report["pages"] == [home, about]
    assert summary(report) == {
        ("set_before_consent", "cookie", "leak_first", "before", (about,)),
        ("set_after_refusal", "cookie", "leak_first", "reject", (about,)),
        ("undeclared", "cookie", "leak_first", "before", (about,)),
        ("request_before_consent", "request", "127.0.0.2", "before", (home, about)),
        ("request_after_refusal", "request", "127.0.0.2", "reject", (home, about)),
        ("undeclared", "cookie", "sneaky", "accept", (home,)),
        ("undeclared", "local_storage", "ls_key", "accept", (home,)),
        ("undeclared", "session_storage", "ss_key", "accept", (home,)),
        ("undeclared", "indexed_db", "idb_x", "accept", (home,)),
        ("undeclared", "request", "127.0.0.3", "accept", (home,)),
        ("set_before_consent", "local_storage", "tp_key", "before", (about,)),
        ("set_after_refusal", "local_storage", "tp_key", "reject", (about,)),
        ("undeclared", "local_storage", "tp_key", "before", (about,)),
        ("declared_not_seen", "cookie", "never_here", None, ()),
    }
    # The draft, appended to the policy file, is a policy `check` accepts, declaring all of it.
    draft = (tmp_path / "d.toml").read_text()
    crumb.policy_file.write_text(crumb.policy_file.read_text() + draft)
    names = {row.name for row in load_policy(crumb.policy_file).policy.storage}
    assert {"leak_first", "sneaky", "ls_key", "ss_key", "idb_x", "tp_key"} <= names
    tp_key = next(f for f in report["findings"] if f["name"] == "tp_key")
    assert (tp_key["domain"], tp_key["party"]) == ("127.0.0.2", "third")


async def test_a_clean_site_has_no_findings_and_exit_status_0(crumb, host_site, tmp_path):
    crumb.write_policy(scanned_policy([STATLY], [ST_ID]))
    await crumb.restart()
    home = host_site.page('<script type="text/plain" data-category="analytics" data-service="statly">'
                          'document.cookie = "_st_id=1; path=/; max-age=3600";</script>')
    status, stderr = await run_scan(home, "--site", "demo", "--policies", str(crumb.policies_dir),
                                    "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert (status, report["findings"]) == (0, []), stderr
    assert {(i["phase"], i["name"]) for i in report["inventory"]} >= {("accept", "_st_id"), ("reject", "crumb_consent")}
    assert "<h2>Findings</h2><p>None.</p>" in (tmp_path / "r.html").read_text()


async def test_a_site_without_the_gate_is_scanned_once_and_drafted_a_whole_policy(host_site, third_party, tmp_path):
    home = host_site.page(f'<img src="{third_party.pixel("px")}" alt="">'
                          '<script>document.cookie = "_ga=GA1.1.5; path=/; max-age=3600";</script>', gate=False)
    status, stderr = await run_scan(home, "--json", str(tmp_path / "r.json"), "--toml", str(tmp_path / "p.toml"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert status == 1, stderr
    assert not report["gate_found"] and {i["phase"] for i in report["inventory"]} == {"before"}
    ga = next(f for f in report["findings"] if f["name"] == "_ga" and f["kind"] == "set_before_consent")
    assert ga["known"] == {"vendor": "Google Analytics", "category": "analytics"}
    policy = load_policy(tmp_path / "p.toml").policy
    assert {(row.name, row.category) for row in policy.storage if row.declared} == {("_ga", "analytics")}
    assert [service.hosts for service in policy.services] == [("127.0.0.2",)]


async def test_a_page_that_fails_is_reported_and_the_scan_goes_on(crumb, serve, tmp_path):
    async def home(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text=(
            f'<!doctype html><html lang="en"><head><script src="{crumb.gate_url}" defer crossorigin="anonymous">'
            '</script></head><body><a href="/broken">Broken</a> <a href="/fine">Fine</a></body></html>'))

    async def broken(request: web.Request) -> web.StreamResponse:
        request.transport.abort()  # the connection drops before any answer: the browser's goto fails
        return web.Response(status=204)

    async def fine(request: web.Request) -> web.Response:
        return web.Response(text="<!doctype html><title>Fine</title><p>Fine", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/broken", broken)
    app.router.add_get("/fine", fine)
    site = await serve(app)
    crumb.write_policy(scanned_policy([STATLY], [ST_ID]), origins=[site])
    await crumb.restart()
    status, stderr = await run_scan(site + "/", "--site", "demo", "--policies", str(crumb.policies_dir),
                                    "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text())
    errors = [f for f in report["findings"] if f["kind"] == "page_error"]
    assert status == 0, stderr  # a page error alone does not fail the scan
    assert {f["phase"] for f in errors} == {"before"} and errors[0]["pages"] == [site + "/broken"]
    assert site + "/fine" in report["pages"]  # the scan went on past it


async def test_a_third_party_frame_setting_its_own_cookie_is_found(crumb, host_site, serve, tmp_path):
    # *.localhost is a secure context to Chromium even over http, so the frame may set the
    # SameSite=None; Secure cookie that a third party needs (real vendors do it over https).
    vendor = ThirdParty("")
    vendor.origin = (await serve(vendor.app)).replace("127.0.0.1", "vendor.localhost")
    vendor.frames["chat"] = ('<script>document.cookie = "tp_cookie=1; SameSite=None; Secure; path=/; '
                             'max-age=600";</script>')
    crumb.write_policy(scanned_policy([STATLY], [ST_ID]))
    await crumb.restart()
    home = host_site.page(f'<iframe src="{vendor.frame("chat")}"></iframe>')
    status, stderr = await run_scan(home, "--site", "demo", "--policies", str(crumb.policies_dir),
                                    "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert status == 1, stderr
    found = {(f["kind"], f["phase"], f["domain"], f["party"]) for f in report["findings"] if f["name"] == "tp_cookie"}
    assert found == {("set_before_consent", "before", "vendor.localhost", "third"),
                     ("set_after_refusal", "reject", "vendor.localhost", "third"),
                     ("undeclared", "before", "vendor.localhost", "third")}
