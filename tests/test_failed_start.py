"""A start that fails says why in a line per problem and exits at once (issue 15: from a broken
wheel, `serve` printed a traceback and then stayed alive in 3 of 5 runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.server_process import free_port

ROOT = Path(__file__).resolve().parent.parent


def serve(*args: str) -> subprocess.CompletedProcess:
    # The timeout is the test: a process that lingers after a failed start fails it.
    return subprocess.run([sys.executable, "-m", "server", "serve", "--port", str(free_port()), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_an_unusable_database_url_is_one_line_and_exit_2():
    result = serve("--db", "mysql://x")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        '--db: expected sqlite:///PATH or postgresql://USER@HOST/DB (got "mysql://x")']


def test_an_invalid_policy_lists_its_problems_and_exits_1_without_a_traceback(tmp_path):
    (tmp_path / "x.toml").write_text('id = "x"\n', encoding="utf-8")
    result = serve("--policies", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'x.toml'}: controller: missing table" in result.stderr.splitlines()
