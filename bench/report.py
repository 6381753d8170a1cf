"""Figures to tables: medians and ranges of the runs, ratios to the reference, budget verdicts."""

from __future__ import annotations

import statistics
from typing import Callable

from tools import REFERENCE, TOOLS

KB = 1000  # budgets in KB are read as 1000 bytes, the stricter reading

# (key, label, how to get one number out of one run); times are ms since navigation start.
BROWSER_METRICS: list[tuple[str, str, Callable[[dict], float | None]]] = [
    ("banner_visible_ms", "first visit: banner visible (ms)", lambda r: r["first"]["banner_visible_ms"]),
    ("clickable_ms", "first visit: accept button clickable (ms)", lambda r: r["first"]["clickable_ms"]),
    ("press_delay_ms", "  harness: press sent after clickable (ms; a person is no faster)",
     lambda r: r["first"]["click_ms"] - r["first"]["clickable_ms"]
     if r["first"]["click_ms"] is not None and r["first"]["clickable_ms"] is not None else None),
    ("accept_to_script_ms", "first visit: accept press handled, script requested (ms)",
     lambda r: r["first"]["accept_to_script_ms"]),
    ("accept_handled_ms", "first visit: the same, without the harness's delay once the tool takes presses (ms)",
     lambda r: r["first"].get("accept_handled_ms")),
    ("click_to_script_ms", "  of which from the click to the request (ms)", lambda r: r["first"]["click_to_script_ms"]),
    ("lost_presses", "first visit: presses on accept that did nothing (count)",
     lambda r: r["first"].get("lost_presses", 0)),
    ("return_script_ms", "returning visit: consented script requested (ms)", lambda r: r["return"]["script_ms"]),
    ("return_cold_script_ms", "returning visit, empty HTTP cache: consented script requested (ms)",
     lambda r: r["return_cold"]["script_ms"] if "return_cold" in r else None),
    ("first_kb", "first visit: tool bytes, brotli bodies (KB)", lambda r: body_bytes(r["first"]) / KB),
    ("first_wire_kb", "first visit: tool bytes with headers (KB)", lambda r: wire_bytes(r["first"]) / KB),
    ("first_requests", "first visit: tool requests", lambda r: len(r["first"]["requests"])),
    ("return_wire_kb", "returning visit: tool bytes with headers (KB)", lambda r: wire_bytes(r["return"]) / KB),
    ("return_network_requests", "returning visit: tool requests not from cache",
     lambda r: sum(not q["from_cache"] for q in r["return"]["requests"])),
    ("return_cold_kb", "returning visit, empty HTTP cache: tool bytes, brotli bodies (KB)",
     lambda r: body_bytes(r["return_cold"]) / KB if "return_cold" in r else None),
    ("long_task_ms", "first visit: long tasks on the website's main thread (ms)",
     lambda r: r["first"]["long_tasks"]["total_ms"]),
    ("long_task_count", "first visit: long tasks on the website's main thread (count)",
     lambda r: r["first"]["long_tasks"]["count"]),
    ("return_long_task_ms", "returning visit: long tasks on the website's main thread (ms)",
     lambda r: r["return"]["long_tasks"]["total_ms"]),
    ("page_script_ms", "first visit: the tool's scripts in long frames on the website's thread (ms)",
     lambda r: _js_time(r["first"].get("page_scripts_ms"))),
    ("frame_script_ms", "first visit: scripts in long frames in the consent frame (ms)",
     lambda r: _js_time(r["first"].get("frame_scripts_ms"))),
    ("frame_long_task_ms", "first visit: long tasks in the consent frame, off the website's thread (ms)",
     lambda r: r["first"]["frame_long_tasks"]["total_ms"] if r["first"]["frame_long_tasks"] else None),
]
RATIO_METRICS = {"banner_visible_ms", "clickable_ms", "accept_to_script_ms", "accept_handled_ms", "return_script_ms",
                 "return_cold_script_ms", "first_kb"}


def _js_time(scripts: dict | None) -> float | None:
    """Sum the script files' times; the probe's own callbacks are not files and are left out."""
    if scripts is None:
        return None
    return sum(ms for name, ms in scripts.items() if name.endswith(".js"))


def body_bytes(visit: dict) -> int:
    """Return the encoded body bytes of a visit's GET requests to the tool."""
    return sum(q["body_bytes"] for q in visit["requests"] if q["method"] == "GET")


def wire_bytes(visit: dict) -> int:
    """Return body and header bytes of every request of the tool in a visit."""
    return sum(q["body_bytes"] + q["header_bytes"] for q in visit["requests"])


def spread(values: list[float]) -> dict | None:
    """Return median, min, max and the count of `values`, or None when there are none."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def summarize_browser(runs: dict[str, list[dict]]) -> dict:
    """Return, per tool and metric, the spread of the runs and the ratio to the reference."""
    summary = {tool: {key: spread([get(run) for run in tool_runs]) for key, _, get in BROWSER_METRICS}
               for tool, tool_runs in runs.items()}
    reference = summary.get(REFERENCE)
    for figures in summary.values():
        for key in RATIO_METRICS:
            own, ref = figures.get(key), (reference or {}).get(key)
            if own and ref and ref["median"]:
                own["ratio"] = own["median"] / ref["median"]
    return summary


def _cell(figure: dict | None, digits: int) -> str:
    if figure is None:
        return "n/a"
    text = f"{figure['median']:.{digits}f} ({figure['min']:.{digits}f}-{figure['max']:.{digits}f})"
    if "ratio" in figure:
        text += f" x{figure['ratio']:.2f}"
    return text


def browser_table(summary: dict) -> str:
    """Return the browser figures as a Markdown table: median (min-max) xratio-to-reference."""
    tools = [tool for tool in TOOLS if tool.name in summary]
    lines = ["| figure | " + " | ".join(tool.label for tool in tools) + " |",
             "|---|" + "---|" * len(tools)]
    for key, label, _ in BROWSER_METRICS:
        digits = 1 if key.endswith("kb") else 0
        cells = [_cell(summary[tool.name][key], digits) for tool in tools]
        if all(cell == "n/a" for cell in cells):
            continue
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def server_table(server: dict) -> str:
    """Return the server figures as a Markdown table."""
    if "skipped" in server:
        return f"Server figures not measured: {server['skipped']}."
    lines = ["| endpoint | body bytes | Crumb req/s median (min-max) | bare req/s | ratio, median of rounds (min-max) | "
             "Crumb p50 / p99 ms | bare p50 / p99 ms | server CPU us/request, Crumb / bare | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, point in server["endpoints"].items():
        if "missing" in point:
            lines.append(f"| {name} | not served ({point['status']}) | | | | | | | |")
            continue
        crumb, bare = point["crumb"], point["bare"]
        encoding = f" {point['encoding']}" if point["encoding"] else ""
        lines.append(
            f"| {name} | {point['body_bytes']}{encoding} | {crumb['rps']['median']:.0f} "
            f"({crumb['rps']['min']:.0f}-{crumb['rps']['max']:.0f}) | {bare['rps']['median']:.0f} | "
            f"{point['rps_ratio']:.2f} ({point['rps_ratio_range'][0]:.2f}-{point['rps_ratio_range'][1]:.2f}) | "
            f"{crumb['p50_ms']:.2f} / {crumb['p99_ms']:.2f} | "
            f"{bare['p50_ms']:.2f} / {bare['p99_ms']:.2f} | {crumb['cpu_us_per_request']:.0f} / "
            f"{bare['cpu_us_per_request']:.0f} (x{point['cpu_ratio']:.2f}) | {crumb['errors'] + bare['errors']} |")
    return "\n".join(lines)


def timeline_table(tool_runs: list[dict], visit: str = "first") -> str:
    """Return the timeline of the tool's median run (by when the accept press was handled).

    One whole run, not medians of steps: steps of different runs do not add up to a run.
    """
    ranked = sorted((run for run in tool_runs if run["first"].get("accept_to_script_ms") is not None),
                    key=lambda run: run["first"]["accept_to_script_ms"])
    if not ranked:
        return "No complete run."
    run = ranked[len(ranked) // 2]
    lines = ["| ms since the page's navigation started | until | step |", "|---|---|---|"]
    for event in run[visit].get("timeline", []):
        end = f"{event['end']:.0f}" if event.get("end") is not None else ""
        lines.append(f"| {event['at']:.0f} | {end} | {event['what']} |")
    return "\n".join(lines)
