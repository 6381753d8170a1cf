"""Server figures: requests per second and p50/p99 latency of Crumb's routes, each next to a
bare aiohttp handler that answers with the very bytes Crumb gave (see `app_server.py`).

Load comes from `wrk` (Debian package `wrk`), a separate process on loopback: one thread, a
fixed number of connections, bounded in time (`-d`) and in count (`wrk_request.lua`). Crumb
and the bare app alternate, endpoint by endpoint, for several rounds, so that a change in the
machine's load hits both sides alike.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from processes import free_port, server

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "wrk_request.lua"
# The server under load and wrk each get a core of their own, so that neither is moved about
# or preempted by the other: without this, runs of the same server varied by 30 % and more.
SERVER_CPU, LOAD_CPU = 0, 1


@dataclass(frozen=True)
class Endpoint:
    """One route under load."""

    name: str
    method: str
    path: str
    body: bytes | None = None

    def url(self, port: int) -> str:
        """Return the full URL on a loopback port."""
        return f"http://127.0.0.1:{port}{self.path}"


def endpoints(site: str, website_origin: str) -> list[Endpoint]:
    """Return the four measured routes for `site`."""
    receipt = {"consent_id": str(uuid.uuid4()), "revision": 1, "categories": ["necessary", "analytics"],
               "services": ["statly"], "method": "custom", "language": "en", "page": website_origin + "/"}
    return [
        Endpoint("gate.js", "GET", f"/sites/{site}/gate.js"),
        Endpoint("policy JSON", "GET", f"/api/v1/sites/{site}/policy?lang=en"),
        Endpoint("widget page", "GET", f"/sites/{site}/widget?lang=en&mode=banner&origin={website_origin}"),
        Endpoint("POST consents", "POST", f"/api/v1/sites/{site}/consents", json.dumps(receipt).encode()),
    ]


async def record_answers(port: int, points: list[Endpoint], origin: str) -> list[dict]:
    """Ask Crumb once per endpoint and keep its exact answer (status, headers, raw body bytes).

    An endpoint that answers with an error is kept too, and left out of the load runs.
    """
    answers = []
    headers = {"Accept-Encoding": "br, gzip", "Origin": origin}
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        for point in points:
            extra = {"Content-Type": "application/json"} if point.body else {}
            async with session.request(point.method, point.url(port), data=point.body,
                                       headers={**headers, **extra}) as response:
                body = await response.read()
                answers.append({"name": point.name, "method": point.method, "path": point.path.split("?")[0],
                                "status": response.status, "headers": dict(response.headers),
                                "body": base64.b64encode(body).decode(), "bytes": len(body),
                                "encoding": response.headers.get("Content-Encoding", "")})
    return answers


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(point: Endpoint, port: int, pid: int, origin: str, options) -> dict:
    """Load one endpoint with wrk and return its figures.

    Besides wrk's own figures, the server's CPU time per answered request: it depends much
    less than requests per second on what else the shared machine is doing.
    """
    env = {**os.environ, "BENCH_METHOD": point.method, "BENCH_ORIGIN": origin,
           "BENCH_MAX_REQUESTS": str(options.max_requests)}
    with tempfile.NamedTemporaryFile(suffix=".json") as body_file:
        if point.body:
            body_file.write(point.body)
            body_file.flush()
            env["BENCH_BODY_FILE"] = body_file.name
        cpu_before = cpu_seconds(pid)
        result = subprocess.run(
            ["wrk", "-t1", f"-c{options.connections}", f"-d{options.seconds}s", "--latency",
             "--timeout", "5s", "-s", str(LUA), point.url(port)],
            env=env, capture_output=True, text=True, timeout=options.seconds + 30, check=True,
            preexec_fn=lambda: os.sched_setaffinity(0, {LOAD_CPU}))
        cpu = cpu_seconds(pid) - cpu_before
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["cpu_us_per_request"] = cpu * 1e6 / max(figures["requests"], 1)
    return figures


def summarize(runs: list[dict]) -> dict:
    """Return the median, min and max requests per second and the median latencies."""
    rates = [run["rps"] for run in runs]
    return {"rps": {"median": statistics.median(rates), "min": min(rates), "max": max(rates)},
            "p50_ms": statistics.median(run["p50_us"] for run in runs) / 1000,
            "p99_ms": statistics.median(run["p99_us"] for run in runs) / 1000,
            "cpu_us_per_request": statistics.median(run["cpu_us_per_request"] for run in runs),
            "errors": sum(sum(run["errors"].values()) for run in runs),
            "runs": runs}


def run_server_bench(policies: Path, static: Path, website_origin: str, options) -> dict:
    """Measure every endpoint against its bare twin; return the figures."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install -y wrk)"}
    site = "bench"
    points = endpoints(site, website_origin)
    with tempfile.TemporaryDirectory(prefix="crumb-bench-") as scratch:
        crumb_port, bare_port = free_port(), free_port()
        db = f"sqlite:///{Path(scratch) / 'receipts.sqlite3'}"
        with server("app_server.py", "crumb", "--port", str(crumb_port), "--policies", str(policies),
                    "--db", db, "--static", str(static)) as crumb_process:
            os.sched_setaffinity(crumb_process.pid, {SERVER_CPU})
            answers = asyncio.run(record_answers(crumb_port, points, website_origin))
            working = [point for point, answer in zip(points, answers) if answer["status"] < 400]
            answers_file = Path(scratch) / "answers.json"
            answers_file.write_text(json.dumps([a for a in answers if a["status"] < 400]), encoding="utf-8")
            with server("app_server.py", "bare", "--port", str(bare_port), "--answers", str(answers_file)) as bare_process:
                os.sched_setaffinity(bare_process.pid, {SERVER_CPU})
                runs = {point.name: {"crumb": [], "bare": []} for point in working}
                for _ in range(options.server_rounds):
                    for point in working:
                        for side, port, pid in (("crumb", crumb_port, crumb_process.pid),
                                                ("bare", bare_port, bare_process.pid)):
                            runs[point.name][side].append(run_wrk(point, port, pid, website_origin, options))
    results = {}
    for point, answer in zip(points, answers):
        if point not in working:
            results[point.name] = {"method": point.method, "path": point.path, "status": answer["status"],
                                   "missing": base64.b64decode(answer["body"])[:200].decode("utf-8", "replace")}
            continue
        crumb, bare = summarize(runs[point.name]["crumb"]), summarize(runs[point.name]["bare"])
        # Each Crumb run is paired with the bare run right after it: the machine's speed drifts
        # between rounds (a shared VM), much less between two runs seconds apart.
        paired = [c["rps"] / b["rps"] for c, b in zip(runs[point.name]["crumb"], runs[point.name]["bare"])]
        results[point.name] = {
            "method": point.method, "path": point.path, "status": answer["status"],
            "body_bytes": answer["bytes"], "encoding": answer["encoding"],
            "crumb": crumb, "bare": bare,
            "rps_ratio": statistics.median(paired),
            "rps_ratio_range": [min(paired), max(paired)],
            "cpu_ratio": crumb["cpu_us_per_request"] / bare["cpu_us_per_request"],
        }
    return {"load": {"tool": "wrk 4 (Debian)", "threads": 1, "connections": options.connections,
                     "seconds": options.seconds, "max_requests": options.max_requests,
                     "rounds": options.server_rounds},
            "endpoints": results}
