"""The scanner's HTML report and terminal table, from a report as data (no browser)."""

from __future__ import annotations

from crumb.scan.command import findings_table
from crumb.scan.report_html import render_html

HOSTILE = '<script>alert("x")</script>'


def report_with(name: str) -> dict:
    finding = {"kind": "undeclared", "severity": "violation", "storage": "cookie", "name": name,
               "domain": "acme.example", "party": "first", "phase": "before", "pages": ["https://acme.example/?a=<b>"],
               "row": None, "category": None, "known": None}
    seen = {"phase": "before", "storage": "cookie", "name": name, "domain": "acme.example", "party": "first",
            "expires": None, "attributes": [], "row": None, "pages": ["https://acme.example/?a=<b>"]}
    return {"site": "acme", "revision": 1, "started": "2026-12-01T10:00:00Z", "pages": ["https://acme.example/"],
            "gate_found": True, "findings": [finding], "inventory": [seen]}


def test_the_html_report_escapes_every_name_and_url_from_the_site():
    page = render_html(report_with(HOSTILE))
    assert HOSTILE not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.index("<h2>Findings</h2>") < page.index("<h2>Seen in phase before</h2>")


def test_the_terminal_table_lists_findings_and_counts_violations():
    table = findings_table(report_with("_ga"))
    assert "undeclared" in table and "_ga" in table
    assert table.endswith("1 pages, gate found: 1 violations, 0 other findings")
