"""Policy reload without downtime: SIGHUP re-reads the files; a broken file changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request

from crumb.settings import DEMO_POLICIES
from tests.server_process import ROOT, running_server


def served_revision(url: str) -> int:
    with urllib.request.urlopen(url + "/api/v1/sites/demo/policy") as response:
        return json.load(response)["revision"]


def request_reload(pid_file, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", "reload", "--pid-file", str(pid_file), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_a_reload_serves_the_new_revision(tmp_path):
    shutil.copy(DEMO_POLICIES / "demo.toml", tmp_path / "demo.toml")
    pid_file = tmp_path / "crumb.pid"
    with running_server("--policies", str(tmp_path), "--pid-file", str(pid_file),
                        "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        assert served_revision(server.url) == 1
        policy = tmp_path / "demo.toml"
        policy.write_text(policy.read_text().replace("revision = 1", "revision = 2"))
        assert request_reload(pid_file).returncode == 0
        server.wait_for_line("policies reloaded")
        assert served_revision(server.url) == 2


def test_an_invalid_new_policy_is_refused_and_the_old_one_keeps_serving(tmp_path):
    shutil.copy(DEMO_POLICIES / "demo.toml", tmp_path / "demo.toml")
    pid_file = tmp_path / "crumb.pid"
    with running_server("--policies", str(tmp_path), "--pid-file", str(pid_file),
                        "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        policy = tmp_path / "demo.toml"
        policy.write_text(policy.read_text().replace("revision = 1", 'revision = "two"'))
        assert request_reload(pid_file).returncode == 0
        refused = server.wait_for_line("reload refused")
        server.wait_for_line('revision: expected a whole number (got "two")')
        assert "current policies keep serving" in refused
        assert served_revision(server.url) == 1


def test_reload_with_policies_checks_them_first_and_does_not_signal(tmp_path):
    broken = tmp_path / "policies"
    broken.mkdir()
    (broken / "demo.toml").write_text('id = "demo"\n')
    result = request_reload(tmp_path / "no-such.pid", "--policies", str(broken))
    assert result.returncode == 1
    assert "not reloaded" in result.stderr
    assert "revision: missing" in result.stderr


def test_a_fifo_in_the_policy_directory_is_refused_on_reload_and_sigterm_still_stops_the_server(tmp_path):
    # Opening a FIFO for reading waits for a writer: forever. The reload hung, and then SIGTERM.
    shutil.copy(DEMO_POLICIES / "demo.toml", tmp_path / "demo.toml")
    pid_file = tmp_path / "crumb.pid"
    with running_server("--policies", str(tmp_path), "--pid-file", str(pid_file),
                        "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        os.mkfifo(tmp_path / "extra.toml")
        assert request_reload(pid_file).returncode == 0
        refused = server.lines_until("reload refused")[-1]
        problem = server.wait_for_line("extra.toml")
        assert served_revision(server.url) == 1
        server.process.terminate()
        assert server.process.wait(timeout=30) == 0
    assert "current policies keep serving" in refused
    assert problem == f"{tmp_path / 'extra.toml'}: not a regular file (a FIFO); a policy must be a regular file"


def test_a_fifo_in_the_policy_directory_stops_the_start_with_a_problem_line(tmp_path):
    shutil.copy(DEMO_POLICIES / "demo.toml", tmp_path / "demo.toml")
    os.mkfifo(tmp_path / "extra.toml")
    result = subprocess.run([sys.executable, "-m", "server", "serve", "--policies", str(tmp_path),
                             "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}", "--port", "9"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path / 'extra.toml'}: not a regular file (a FIFO)" in result.stderr
