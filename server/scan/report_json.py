"""The JSON report (README, "Scanning your site": report schema) and the exit status."""

from __future__ import annotations

import json
from pathlib import Path

EXIT_CLEAN, EXIT_VIOLATION, EXIT_CANNOT_SCAN = 0, 1, 2


def build_report(*, site: str | None, revision: int | None, started: str, pages: list[str], gate_found: bool,
                 findings: list[dict], inventory: list[dict]) -> dict:
    """Return the report as plain data, in the documented shape."""
    return {"site": site, "revision": revision, "started": started, "pages": pages, "gate_found": gate_found,
            "findings": findings, "inventory": inventory}


def exit_status(report: dict) -> int:
    """0 when nothing is a violation, 1 otherwise."""
    return EXIT_VIOLATION if any(f["severity"] == "violation" for f in report["findings"]) else EXIT_CLEAN


def write_json(report: dict, path: Path) -> None:
    """Write the report as UTF-8 JSON."""
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
