"""What both launchers (deploy/uwsgi_server.py, deploy/granian_server.py) do with a SIGTERM:
the orchestrator's stop, whether it reaches the master alone (tini) or the whole group (the
native stack's `stop`), at any moment of the start."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy.tests.conftest import DEPLOY
from deploy.tests.server_process import (
    EXIT_BOUND,
    Server,
    ready,
    running,
    slow_request_in_background,
    until,
)


@pytest.fixture(params=["uwsgi_server.py", "granian_server.py"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    yield from running(DEPLOY / request.param, tmp_path)


@pytest.mark.parametrize("group", [False, True], ids=["master", "group"])
def test_a_sigterm_once_ready_finishes_the_request_in_flight_and_exits(server, group):
    until(lambda: ready(server))
    answer: dict[str, object] = {}
    client = slow_request_in_background(server, answer)

    seconds = server.terminate_and_time(group)
    client.join(timeout=20)

    assert answer == {"status": 200, "body": b"finished"}
    assert seconds < EXIT_BOUND
    assert server.process.returncode == 0


def test_a_sigterm_while_django_loads_ends_the_server(server):
    time.sleep(0.3)  # the master is importing the app

    assert server.terminate_and_time() < EXIT_BOUND
