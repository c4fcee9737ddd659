"""The image's HEALTHCHECK script answers for the web role from /health/live."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from deploy.tests.conftest import DOCKER


def serve(status: int) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status if self.path == "/health/live" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check(role: str, port: int) -> int:
    return subprocess.run(
        [sys.executable, str(DOCKER / "healthcheck.py"), role],
        env={"PORT": str(port)},
        capture_output=True,
        timeout=20,
    ).returncode


@pytest.mark.parametrize(("status", "expected"), [(200, 0), (503, 1)])
def test_web_health_follows_health_live(status, expected):
    server = serve(status)
    try:
        assert check("web", server.server_address[1]) == expected
    finally:
        server.shutdown()


def test_web_is_unhealthy_when_nothing_listens():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert check("web", port) == 1


def test_one_shot_roles_are_healthy():
    assert check("migrate", 1) == 0
