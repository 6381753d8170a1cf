"""The HTML report: one self-contained page a privacy officer can read and keep.

Everything from the scanned site (names, domains, URLs, error messages) is escaped: a site may
name a cookie `<script>`."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .record import PHASES

STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1f}table{border-collapse:collapse;
width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f5}.violation{color:#a40000;font-weight:600}.info{color:#555}.error{color:#8a5a00}
td.pages{font-size:13px;word-break:break-all}"""
FINDING_COLUMNS = ("severity", "kind", "storage", "name", "domain", "party", "phase", "row", "category", "known",
                   "pages")
INVENTORY_COLUMNS = ("storage", "name", "domain", "party", "expires", "attributes", "row", "pages")


def render_html(report: dict) -> str:
    """Return the report as one HTML document: findings first, then the inventory of each phase."""
    title = f"Crumb scan of {report['site'] or (report['pages'] or ['a site'])[0]}"
    violations = sum(f["severity"] == "violation" for f in report["findings"])
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>",
             f"<p>Started {escape(report['started'])}; revision {escape(str(report['revision']))}; "
             f"Crumb gate {'found' if report['gate_found'] else 'not found'}; "
             f"{len(report['pages'])} pages; {violations} violations.</p>",
             "<h2>Findings</h2>", _table(FINDING_COLUMNS, report["findings"], severity=True)]
    for phase in PHASES:
        rows = [row for row in report["inventory"] if row["phase"] == phase]
        if rows:
            parts += [f"<h2>Seen in phase {escape(phase)}</h2>", _table(INVENTORY_COLUMNS, rows)]
    parts.append("<h2>Pages</h2><ul>" + "".join(f"<li>{escape(p)}</li>" for p in report["pages"]) + "</ul>")
    return "".join(parts) + "</body></html>\n"


def _table(columns: tuple[str, ...], rows: list[dict], severity: bool = False) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        css = f' class="{escape(row["severity"])}"' if severity else ""
        cells = "".join(f'<td class="{c}">{escape(_text(row.get(c)))}</td>' for c in columns)
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _text(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(map(str, value))
    return str(value)


def write_html(report: dict, path: Path) -> None:
    """Write the HTML report."""
    path.write_text(render_html(report), encoding="utf-8")
