"""What one visit's probe reports mean: times on the page's clock, long tasks, script time,
and the visit's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools import Origins, Tool

if TYPE_CHECKING:
    from browser_bench import Visit


def latest(*reports: dict | None) -> dict | None:
    """Return the latest of these reports, or None when one of them is missing."""
    if None in reports:
        return None
    return max(reports, key=lambda report: report["timeOrigin"] + report["at"])


def since_navigation(report: dict | None, host_origin: float) -> float | None:
    """Return a probe time as milliseconds since the host page's navigation started."""
    if report is None:
        return None
    return report["timeOrigin"] + report["at"] - host_origin


def script_time(visit: Visit, origin: str) -> dict[str, float]:
    """Return, per script file, the ms its runs took inside long animation frames of `origin`'s documents."""
    totals: dict[str, float] = {}
    for report in visit.reports:
        if report["kind"] == "script" and report["url"].startswith(origin + "/"):
            name = report["name"].split("/")[-1].split("?")[0] or report["name"]
            totals[name] = totals.get(name, 0.0) + report["duration"]
    return totals


def long_tasks(visit: Visit, origin: str) -> dict:
    """Return the count and total duration of long tasks seen by the documents of `origin`."""
    tasks = [r for r in visit.reports if r["kind"] == "longtask" and r["url"].startswith(origin + "/")]
    return {"count": len(tasks), "total_ms": sum(task["duration"] for task in tasks)}


def timeline(visit: Visit, tool: Tool, origins: Origins, host_origin: float) -> list[dict]:
    """Return what happened on the first visit, in order, in ms since the page's navigation.

    Resources of the tool (start and end of each), messages from a consent frame, the
    frame's own navigation start, banner, clickable, press, and long tasks.
    """
    events = []
    frame_started = set()
    relayed = set()  # a frame's urgent reports arrive twice (see probe.js)
    for report in visit.reports:
        key = (report["kind"], report["url"], report["at"])
        if key in relayed:
            continue
        relayed.add(key)
        at = since_navigation(report, host_origin)
        name = report.get("name", "")
        if report["kind"] == "resource" and (tool.owns(name, origins) or "third-party" in name):
            label = "resource " + name.split("/")[-1].split("?")[0]
            if tool.in_frame and report["url"].startswith(origins.website + "/") and "/widget?" in name:
                label = "frame document, in the page's Resource Timing (ends at the frame's load)"
            events.append({"at": at, "end": report["end"] + report["timeOrigin"] - host_origin, "what": label})
        elif report["kind"] == "navigation":
            where = "frame" if report["url"].startswith(origins.crumb + "/") else "page"
            events.append({"at": at, "end": report["end"] + report["timeOrigin"] - host_origin,
                           "what": f"document response, first to last byte ({where})"})
            events.append({"at": report["dom"] + report["timeOrigin"] - host_origin,
                           "what": f"document parsed, interactive ({where})"})
        elif report["kind"] == "message":
            where = "frame" if report["url"].startswith(origins.crumb + "/") else "page"
            events.append({"at": at, "what": f"message {report['type']!r} received by the {where}"})
        elif report["kind"] in ("banner", "clickable", "click"):
            where = "frame" if report["url"].startswith(origins.crumb + "/") else "page"
            events.append({"at": at, "what": f"{report['kind']} ({where})"})
        elif report["kind"] == "longtask":
            where = "frame" if report["url"].startswith(origins.crumb + "/") else "page"
            events.append({"at": at, "end": at + report["duration"], "what": f"long task ({where})"})
        if report["url"].startswith(origins.crumb + "/") and report["url"] not in frame_started:
            frame_started.add(report["url"])
            events.append({"at": report["timeOrigin"] - host_origin, "what": "frame navigation starts"})
    return sorted(events, key=lambda event: event["at"])
