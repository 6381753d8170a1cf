"""Run `python -m server` as a real separate process for tests of the command line."""

from __future__ import annotations

import queue
import resource
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on `host` right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A running `python -m server serve`; its log lines are read as they come."""

    def __init__(self, args: list[str], port: int, file_limit: int | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--port", str(port), *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=None if file_limit is None else lambda: _limit_files(file_limit))
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for_line(self, fragment: str, timeout: float = 60) -> str:
        """Return the first log line containing `fragment`; fail if the process ends first."""
        return self.lines_until(fragment, timeout)[-1]

    def lines_until(self, fragment: str, timeout: float = 60) -> list[str]:
        """Return the log lines up to and including the first one containing `fragment`."""
        seen = []
        while True:
            line = self.lines.get(timeout=timeout)
            if line is None:
                raise AssertionError(f"server exited ({self.process.wait()}) before logging {fragment!r}")
            seen.append(line)
            if fragment in line:
                return seen

    def stop(self) -> None:
        """Terminate the process and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


def _limit_files(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))


@contextmanager
def running_server(*args: str, file_limit: int | None = None):
    """Start a server with `args` (and at most `file_limit` open files) and yield it once it listens."""
    server = ServerProcess(list(args), free_port(), file_limit)
    try:
        server.wait_for_line("Running on")
        yield server
    finally:
        server.stop()
