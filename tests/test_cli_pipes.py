"""The command line among other Unix tools: a reader that goes away (`| head`) ends it quietly,
and `receipts purge` never wipes everything at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_closed_pipe_ends_the_command_without_a_traceback():
    process = subprocess.Popen([sys.executable, "-m", "server", "admin-token"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line is written
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert stderr == ""


def test_purge_refuses_zero_days(tmp_path):
    result = subprocess.run([sys.executable, "-m", "server", "receipts", "purge", "--older-than", "0",
                             "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--older-than: expected a whole number of days, at least 1 (got '0')" in result.stderr
