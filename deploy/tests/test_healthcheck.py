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


def beat_check(tmp_path, *, age_seconds: float, max_age: str | None) -> int:
    """Runs the beat check against a schedule file written age_seconds ago, with /tmp faked
    by running the script with its Path('/tmp') pointed at tmp_path."""
    import os
    import time

    schedule = tmp_path / "celerybeat-schedule"
    schedule.write_bytes(b"")
    then = time.time() - age_seconds
    os.utime(schedule, (then, then))
    script = (DOCKER / "healthcheck.py").read_text().replace('Path("/tmp")', f'Path("{tmp_path}")')
    env = {"BEAT_SCHEDULE_MAX_AGE_SECONDS": max_age} if max_age else {}
    return subprocess.run(
        [sys.executable, "-c", script, "beat"], env=env, capture_output=True, timeout=20
    ).returncode


def test_beat_is_unhealthy_when_its_schedule_is_older_than_the_max_age(tmp_path):
    assert beat_check(tmp_path, age_seconds=30, max_age="600") == 0
    assert beat_check(tmp_path, age_seconds=900, max_age="600") == 1


def test_beat_without_a_max_age_only_needs_the_file(tmp_path):
    assert beat_check(tmp_path, age_seconds=900, max_age=None) == 0
