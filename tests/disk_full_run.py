"""Run inside a private mount namespace by test_sqlite_disk_full.py: fill a tiny filesystem
holding the SQLite receipt store through the real server, and report what happened as JSON."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

from tests.server_process import running_server

DIRECTORY = sys.argv[1]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", DIRECTORY], check=True)


def post(url: str, consent_id: str) -> tuple[int, dict, str]:
    body = {"consent_id": consent_id, "revision": 1, "categories": ["necessary"], "services": [],
            "method": "reject_all", "language": "en", "page": "http://127.0.0.1:8080/demo/" + "x" * 300}
    request = urllib.request.Request(url + "/api/v1/sites/demo/consents", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response), ""
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), error.headers.get("Retry-After", "")


report = {"acknowledged": [], "refusal": None}
with running_server("--no-demo", "--receipt-rate", "0", "--db", f"sqlite:///{DIRECTORY}/receipts.sqlite3") as server:
    for _ in range(5000):
        consent_id = str(uuid.uuid4())
        status, body, retry_after = post(server.url, consent_id)
        if status != 201:
            report["refusal"] = {"status": status, "error": body.get("error"), "retry_after": retry_after}
            break
        report["acknowledged"].append(consent_id)
    with urllib.request.urlopen(server.url + "/api/v1/sites/demo/policy") as response:
        report["policy_status_while_full"] = response.status
    report["found_while_full"] = 0
    for consent_id in report["acknowledged"]:
        with urllib.request.urlopen(f"{server.url}/api/v1/sites/demo/consents/{consent_id}") as response:
            report["found_while_full"] += response.status == 200
connection = sqlite3.connect(f"{DIRECTORY}/receipts.sqlite3")
report["integrity"] = connection.execute("PRAGMA integrity_check").fetchone()[0]
report["rows"] = connection.execute("SELECT count(*) FROM receipts").fetchone()[0]
connection.close()
print(json.dumps(report))
