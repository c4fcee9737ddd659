"""deploy/granian_server.py: Granian serving config.wsgi, its settings and its SIGTERM.

Plain Granian 2.8.7 hung on a SIGTERM that reached a worker while it imported Django (the
handler it inherited from the master only sets a flag). The launcher imports the app before
the port opens and the workers fork from it, and Granian kills a worker that outlives
WEB_GRACEFUL_TIMEOUT; these tests and test_web_server_signals.py send the signal at each moment
of the start.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy.tests.conftest import DEPLOY, REPO
from deploy.tests.server_process import (
    EXIT_BOUND,
    Server,
    ready,
    running,
    until,
)

LAUNCHER = DEPLOY / "granian_server.py"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from running(LAUNCHER, tmp_path)


@pytest.mark.parametrize("group", [False, True], ids=["master", "group"])
def test_a_sigterm_while_the_workers_start_ends_the_server(server, group):
    until(lambda: server.logged("Spawning worker-1"))

    assert server.terminate_and_time(group) < EXIT_BOUND


def test_the_port_opens_only_when_the_app_is_loaded(server):
    until(lambda: server.logged("Listening at"))

    # The workers fork from the loaded app: serving is milliseconds away, not an import.
    until(lambda: ready(server), timeout=3)


def test_it_reads_its_settings_through_the_projects_environment_reader(monkeypatch):
    from config import env

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "6")  # the older name still counts
    monkeypatch.setenv("WEB_WORKER_LIFETIME", "0")  # 0: off
    options = runpy.run_path(str(LAUNCHER))["granian_options"](env)

    assert (options["workers"], options["blocking_threads"]) == (3, 6)
    assert options["workers_lifetime"] is None
    assert options["workers_max_rss"] == 400
    assert options["workers_kill_timeout"] == 30
    assert options["respawn_failed_workers"] is True


def test_the_neutral_name_wins_over_gunicorns(monkeypatch):
    from config import env

    monkeypatch.setenv("GUNICORN_THREADS", "6")
    monkeypatch.setenv("WEB_THREADS", "8")
    monkeypatch.setenv("WEB_GRACEFUL_TIMEOUT", "12")
    options = runpy.run_path(str(LAUNCHER))["granian_options"](env)

    assert (options["blocking_threads"], options["workers_kill_timeout"]) == (8, 12)


def test_granians_own_lines_join_djangos_json_logs():
    config = runpy.run_path(str(LAUNCHER))["log_config"](
        {"version": 1, "root": {"handlers": ["stdout"]}, "loggers": {"django": {}}}
    )

    assert config["loggers"]["_granian"] == {"handlers": [], "propagate": True}
    assert "django" in config["loggers"]
    assert config["disable_existing_loggers"] is False  # the preloaded app's loggers stay


def test_loading_the_wsgi_module_freezes_the_app_for_the_garbage_collector(tmp_path):
    """What a preloading master (ours or gunicorn's) forks its workers from."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DJANGO_VAR_DIR": str(tmp_path)}  # fmt: skip
    env.pop("DATABASE_URL", None)
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO / "backend", env=env, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip

    assert int(out.split()[-1]) > 50_000
