"""A full disk under the SQLite store: 503 with Retry-After, pages keep serving, nothing
acknowledged is lost and the database is not corrupted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.server_process import ROOT


def test_a_full_disk_gives_503_and_loses_nothing_acknowledged(tmp_path):
    # A private mount namespace (unshare) lets the test mount a 1 MB filesystem without
    # touching the machine's mounts, as root or not.
    assert shutil.which("unshare"), "util-linux's unshare is needed for this test"
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", sys.executable, "-m", "tests.disk_full_run", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["refusal"] == {"status": 503, "error": "store_unavailable", "retry_after": "5"}
    assert len(report["acknowledged"]) > 10
    assert report["policy_status_while_full"] == 200
    assert report["found_while_full"] == len(report["acknowledged"])
    assert report["integrity"] == "ok"
    assert report["rows"] == len(report["acknowledged"])
