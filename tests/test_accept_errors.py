"""Out of file descriptors, the server logs one line per interval with a count (not a traceback
per failed accept(): 66 MB in 100 s), and takes connections again once some are closed."""

from __future__ import annotations

import socket
import urllib.request
from contextlib import ExitStack

from crumb.logs import ACCEPT_LOG_SECONDS
from tests.server_process import running_server

FILE_LIMIT = 64  # for the server process; it holds about 20 files before its first visitor
CONNECTIONS = 100


def test_failed_accepts_are_logged_once_per_interval_and_the_server_recovers(tmp_path):
    with running_server("--db", f"sqlite:///{tmp_path / 'r.sqlite3'}", file_limit=FILE_LIMIT) as server, \
            ExitStack() as connections:
        for _ in range(CONNECTIONS):  # past the limit they wait in the listen backlog, unaccepted
            connections.enter_context(socket.create_connection(("127.0.0.1", server.port)))
        first = server.wait_for_line("Too many open files")
        # The next line about it comes only after the interval, and nothing about it in between.
        between = server.lines_until("Too many open files", timeout=6 * ACCEPT_LOG_SECONDS)
        connections.close()
        with urllib.request.urlopen(server.url + "/healthz", timeout=30) as answer:
            assert answer.status == 200
    assert "raise the file limit" in first
    assert "more times in the last" in between[-1]
    assert [line for line in between[:-1] if "Traceback" in line or "accept" in line] == []
