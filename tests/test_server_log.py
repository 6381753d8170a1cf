"""What a running server writes and says about itself: no client address in its log, even for a
malformed request (aiohttp logged it at ERROR), and no version in `Server` on any answer."""

from __future__ import annotations

import os
import signal
import socket

from tests.server_process import running_server

CLIENT = "127.0.0.2"  # a loopback address of its own, so that the server's own 127.0.0.1 is no clue
MALFORMED = {
    "a space in a header name": b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
    "a length that is not a number": b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "an unknown method": b"B@D / HTTP/1.1\r\nHost: x\r\n\r\n",
    "TLS to the HTTP port": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
}


def exchange(port: int, data: bytes) -> bytes:
    """Send `data` from CLIENT on a raw socket; return everything the server sends back."""
    with socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(CLIENT, 0)) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def test_a_malformed_request_is_logged_without_the_clients_address(tmp_path):
    with running_server("--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        answers = {name: exchange(server.port, data) for name, data in MALFORMED.items()}
        os.kill(server.process.pid, signal.SIGHUP)  # a reload logs a line: every line before it is out
        logged = server.lines_until("policies reloaded")
    assert all(b"HTTP/1.1 400 " in answer or b"HTTP/1.0 400 " in answer for answer in answers.values())
    assert [line for line in logged if CLIENT in line] == []
    assert any("refused a malformed request" in line for line in logged)  # so they were logged


def test_every_answer_says_server_crumb_and_no_version(tmp_path):
    with running_server("--db", f"sqlite:///{tmp_path / 'r.sqlite3'}") as server:
        answers = [exchange(server.port, request) for request in (
            b"GET /sites/demo/gate.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            b"GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            b"DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            MALFORMED["a space in a header name"],  # answered by aiohttp's parser, past every middleware
        )]
    for answer in answers:
        headers = answer.split(b"\r\n\r\n")[0].lower().split(b"\r\n")
        assert [line for line in headers if line.startswith(b"server:")] == [b"server: crumb"], answer[:300]
