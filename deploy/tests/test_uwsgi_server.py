"""deploy/uwsgi_server.py: uWSGI serving config.wsgi, its settings, its HUP and its recycling
(its TERM: test_web_server_signals.py)."""

from __future__ import annotations

import runpy
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy.tests.conftest import DEPLOY
from deploy.tests.server_process import (
    Server,
    ready,
    running,
    slow_request_in_background,
    until,
)

LAUNCHER = DEPLOY / "uwsgi_server.py"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from running(LAUNCHER, tmp_path)


def test_a_hup_replaces_every_worker_after_it_answers_and_keeps_the_master(server):
    until(lambda: ready(server))
    before = server.children()
    answer: dict[str, object] = {}
    client = slow_request_in_background(server, answer)

    server.process.send_signal(1)  # SIGHUP
    client.join(timeout=20)
    until(lambda: ready(server) and len(server.children()) == 2)

    assert answer == {"status": 200, "body": b"finished"}
    assert server.process.poll() is None
    assert not before & server.children()


def test_hups_in_quick_succession_never_end_the_server(server):
    # A reload re-executes the launcher: a HUP landing before uWSGI's handler is set must not
    # take the default action (exit).
    until(lambda: ready(server))
    for _ in range(5):
        server.process.send_signal(1)
        time.sleep(0.3)  # the next one lands while the re-executed master loads the app
    until(lambda: ready(server))

    assert server.process.poll() is None


def test_every_answer_closes_its_connection(server):
    until(lambda: ready(server))
    with urllib.request.urlopen(server.url("/health/live"), timeout=5) as response:
        assert response.headers["Connection"] == "close"
        assert response.status == 200


def test_workers_recycled_under_load_fail_no_request(tmp_path):
    # uWSGI recycles a worker no sooner than 10 s after its start (min-worker-lifetime).
    server = Server(LAUNCHER, tmp_path, WEB_MAX_REQUESTS="200", WEB_MAX_REQUESTS_JITTER="50")
    try:
        until(lambda: ready(server))
        first = server.children()
        done = threading.Event()
        answered: list[int] = []
        failures: list[str] = []

        def client() -> None:
            while not done.is_set():
                try:
                    with urllib.request.urlopen(server.url("/health/live"), timeout=10) as r:
                        answered.append(r.status)
                except OSError as error:
                    failures.append(repr(error))

        clients = [threading.Thread(target=client) for _ in range(8)]
        for thread in clients:
            thread.start()
        until(lambda: not first & server.children() and len(server.children()) == 2, timeout=40)
        done.set()
        for thread in clients:
            thread.join()

        assert failures == []
        assert set(answered) == {200}
        assert server.logged("The work of process")  # uWSGI 2.0's line for a recycled worker
    finally:
        server.kill()


def _options(**environ: str) -> dict[str, str | bool]:
    from config import env

    with pytest.MonkeyPatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        argv = runpy.run_path(str(LAUNCHER))["uwsgi_options"](
            env, "127.0.0.1:8000", "config.wsgi", "/venv/bin/python"
        )
    options: dict[str, str | bool] = {}
    for flag in argv:
        if flag.startswith("--"):
            key = flag[2:]
            options[key] = True
        else:
            options[key] = flag
    return options


def test_it_reads_its_settings_through_the_projects_environment_reader():
    options = _options(WEB_CONCURRENCY="3", GUNICORN_THREADS="6", GUNICORN_MAX_REQUESTS="900")

    assert (options["workers"], options["threads"]) == ("3", "6")
    assert 900 <= int(options["max-requests"]) <= 900 + 5000  # the default jitter
    assert options["reload-on-rss"] == "400"
    # No per-request timeout: uWSGI's harakiri would kill the whole worker, the requests of its
    # other threads with it; a request stuck in the database ends on the database's timeouts.
    assert "harakiri" not in options
    assert options["http-socket"] == "127.0.0.1:8000"
    assert options["module"] == "config.wsgi:application"
    assert options["binary-path"] == "/venv/bin/python"  # what a reload re-executes


def test_the_neutral_name_wins_over_gunicorns():
    options = _options(GUNICORN_THREADS="6", WEB_THREADS="8", WEB_GRACEFUL_TIMEOUT="12")

    assert options["threads"] == "8"
    assert options["worker-reload-mercy"] == options["reload-mercy"] == "12"


def test_sigterm_stops_gracefully_instead_of_uwsgis_brutal_reload():
    assert _options()["hook-master-start"] == "unix_signal:15 gracefully_kill_them_all"


def test_servers_started_alike_recycle_their_workers_at_different_counts():
    # Replicas under an even load would otherwise all have a new worker at the same moment.
    limits = {
        _options(WEB_MAX_REQUESTS="1000", WEB_MAX_REQUESTS_JITTER="500")["max-requests"]
        for _ in range(20)
    }
    assert len(limits) > 1
    assert all(1000 <= int(limit) <= 1500 for limit in limits)
    assert _options(WEB_MAX_REQUESTS="1000", WEB_MAX_REQUESTS_JITTER="0")["max-requests"] == "1000"
    assert _options(WEB_MAX_REQUESTS_JITTER="500")["max-requests-delta"] == "500"


def test_a_negative_jitter_is_refused_with_its_name():
    with pytest.raises(ValueError, match="WEB_MAX_REQUESTS_JITTER=-1"):
        _options(WEB_MAX_REQUESTS_JITTER="-1")
