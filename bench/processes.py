"""Server processes the benchmark starts on loopback, and always stops again."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

BENCH = Path(__file__).resolve().parent
DEMO_POLICY = BENCH.parent / "server" / "policies" / "demo.toml"
READY_TIMEOUT_S = 60
NORMAL_NICE = os.getpriority(os.PRIO_PROCESS, 0)  # the priority this run started with
HARNESS_BOOST = 10


def _normal_priority() -> None:
    os.setpriority(os.PRIO_PROCESS, 0, NORMAL_NICE)


@contextlib.contextmanager
def harness_priority() -> Iterator[bool]:
    """Raise this process's priority (root only) while the browser is driven; yield whether it did.

    The harness must react to what the probe reports at once, even on a loaded machine; the
    servers and Chromium are started at the normal priority (see `server` and chromium.sh).
    """
    try:
        os.setpriority(os.PRIO_PROCESS, 0, NORMAL_NICE - HARNESS_BOOST)
    except PermissionError:
        yield False
        return
    try:
        yield True
    finally:
        _normal_priority()


def free_port(host: str = "127.0.0.1") -> int:
    """Return a port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(*args: str) -> Iterator[subprocess.Popen]:
    """Run `python bench/<args>` until it prints "ready"; stop it (by its own pid) on exit."""
    process = subprocess.Popen([sys.executable, *args], cwd=BENCH, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, preexec_fn=_normal_priority)
    try:
        _wait_ready(process, args)
        # Keep reading its output so that a chatty server never blocks on a full pipe.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(process: subprocess.Popen, args: tuple[str, ...]) -> None:
    # A server that hangs while starting is stopped, which ends the loop below.
    timer = threading.Timer(READY_TIMEOUT_S, process.kill)
    timer.start()
    lines = []
    try:
        for line in process.stdout:
            if line.strip() == "ready":
                return
            lines.append(line)
    finally:
        timer.cancel()
    raise RuntimeError(f"{' '.join(args)} was not ready (exited, or killed after {READY_TIMEOUT_S} s):\n"
                       + "".join(lines[-40:]))


def write_bench_policy(directory: Path, website_origin: str) -> Path:
    """Write the demo policy as site "bench", allowing the benchmark's website origin."""
    text = DEMO_POLICY.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^id = ".*"$', 'id = "bench"', text, count=1)
    text = re.sub(r"(?m)^origins = \[.*\]$", f'origins = ["{website_origin}"]', text, count=1)
    path = directory / "bench.toml"
    path.write_text(text, encoding="utf-8")
    return path
