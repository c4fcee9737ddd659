"""A web server launcher (deploy/granian_server.py, deploy/uwsgi_server.py) run as the image runs
it, serving config.wsgi with one slow path (slow_wsgi.py), for the signal tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from deploy.tests.conftest import DEPLOY, REPO

EXIT_BOUND = 10  # seconds from SIGTERM to the whole process group gone


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, launcher: Path, tmp_path: Path, **settings: str) -> None:
        self.port = _free_port()
        self.log = tmp_path / f"{launcher.stem}.log"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(DEPLOY / "tests"),
            "WEB_CONCURRENCY": "2",
            "WEB_GRACEFUL_TIMEOUT": "5",
            **settings,
        }
        for name in ("SENTRY_DSN", "CELERY_BROKER_URL", "PROMETHEUS_MULTIPROC_DIR"):
            env.pop(name, None)
        argv = [sys.executable, str(launcher), "--bind", f"127.0.0.1:{self.port}", "slow_wsgi"]
        self.process = subprocess.Popen(
            argv, cwd=REPO / "backend", env=env, stdout=self.log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def logged(self, text: str) -> bool:
        return text in self.log.read_text()

    def children(self) -> set[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return {int(pid) for pid in out.split()}

    def terminate_and_time(self, group: bool = False) -> float:
        """SIGTERM to the master (as tini sends it) or its whole group (as the stack's `stop`);
        seconds until every process of the group is gone."""
        started = time.monotonic()
        if group:
            os.killpg(self.process.pid, signal.SIGTERM)
        else:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=EXIT_BOUND + 20)
        while group_alive(self.process.pid) and time.monotonic() - started < EXIT_BOUND + 20:
            time.sleep(0.05)
        return time.monotonic() - started

    def kill(self) -> None:
        if group_alive(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def ready(server: Server) -> bool:
    try:
        with urllib.request.urlopen(server.url("/health/ready"), timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def running(launcher: Path, tmp_path: Path, **settings: str) -> Iterator[Server]:
    """For a fixture: the server, killed with its group whatever the test left running."""
    server = Server(launcher, tmp_path, **settings)
    try:
        yield server
    finally:
        server.kill()


def slow_request_in_background(server: Server, answer: dict[str, object]) -> threading.Thread:
    """A 2-second request, begun (half a second in) when this returns; `answer` gets the reply."""

    def slow_request() -> None:
        with urllib.request.urlopen(server.url("/__test/slow?2"), timeout=20) as response:
            answer.update(status=response.status, body=response.read())

    client = threading.Thread(target=slow_request)
    client.start()
    time.sleep(0.5)
    return client
