"""Schemathesis against the live API: no 5xx, every response as the OpenAPI document says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from crumb.stats.tokens import new_token, token_line
from tests.server_process import ROOT, running_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def post_receipt(url: str) -> str:
    consent_id = str(uuid.uuid4())
    body = {"consent_id": consent_id, "revision": 1, "categories": ["necessary"], "services": [],
            "method": "reject_all", "language": "en", "page": "http://127.0.0.1:8080/demo/"}
    request = urllib.request.Request(url + "/api/v1/sites/demo/consents", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
    return consent_id


def test_the_live_api_matches_its_openapi_document_under_fuzzing(tmp_path):
    token = new_token()
    (tmp_path / "tokens").write_text(token_line(token) + "\n")
    with running_server("--no-demo", "--receipt-rate", "1000000", "--admin-tokens", str(tmp_path / "tokens"),
                        "--db", f"sqlite:///{tmp_path / 'receipts.sqlite3'}") as server:
        environment = {**os.environ, "CRUMB_CONSENT_ID": post_receipt(server.url), "CRUMB_ADMIN_TOKEN": token}
        result = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", server.url + "/api/v1/openapi.json",
             "--checks", "all", "--max-examples", "60", "--workers", "1", "--seed", "1"],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Missing test data" not in result.stdout, result.stdout[-3000:]
