"""`python -m server check` and `serve` as a user runs them: real processes, exit codes, messages."""

from __future__ import annotations

import socket
import subprocess
import sys

from crumb.settings import DEMO_POLICIES
from tests.conftest import POLICY_FIXTURES
from tests.server_process import ROOT, free_port

BROKEN = POLICY_FIXTURES / "broken" / "many_problems.toml"
REALISTIC = sorted((POLICY_FIXTURES / "realistic").glob("*.toml"))


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_check_exits_0_for_valid_policy_files():
    result = run("check", str(DEMO_POLICIES / "demo.toml"), *map(str, REALISTIC))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (site ") == 1 + len(REALISTIC)


def test_check_exits_1_listing_every_problem_without_a_traceback():
    result = run("check", str(BROKEN))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) >= 17
    assert all(line.startswith(f"{BROKEN}: ") for line in lines)
    assert "Traceback" not in result.stderr + result.stdout


def test_check_reports_the_invalid_file_and_still_accepts_the_valid_one():
    result = run("check", str(REALISTIC[0]), str(BROKEN))
    assert result.returncode == 1
    assert f"{REALISTIC[0]}: ok" in result.stdout
    assert f"{BROKEN}: storage[0] (_tr).duration:" in result.stderr


def test_check_names_a_file_that_is_not_toml(tmp_path):
    bad = tmp_path / "oops.toml"
    bad.write_text('id = "x"\nname = \n', encoding="utf-8")
    result = run("check", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}: not valid TOML:")
    assert "Traceback" not in result.stderr


def test_check_prints_warnings_for_a_valid_file_and_exits_0(tmp_path):
    text = (DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8")
    changed = tmp_path / "demo.toml"
    changed.write_text(text.replace(', lt = "Nuostatos"', ""), encoding="utf-8")
    result = run("check", str(changed))
    assert result.returncode == 0, result.stderr
    assert f"warning: {changed}: categories[1].title: no text in lt" in result.stderr


def test_serve_refuses_to_start_on_an_invalid_policy(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "broken.toml").write_bytes(BROKEN.read_bytes())
    result = run("serve", "--policies", str(policies), "--port", str(free_port()),
                 "--db", f"sqlite:///{tmp_path / 'receipts.sqlite3'}")
    assert result.returncode != 0
    assert "Crumb will not start" in result.stderr
    assert f"{policies / 'broken.toml'}: storage[0] (_tr).duration: " in result.stderr
    assert f"{policies / 'broken.toml'}: services[0].privacy_url: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "receipts.sqlite3").exists()


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_1(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port), "--no-demo", "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Crumb will not start: cannot listen on 127.0.0.1:{port} (address "
                                          "already in use); stop what uses it or choose another --port"]
