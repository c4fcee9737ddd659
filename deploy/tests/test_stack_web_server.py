"""The native stack's STACK_WEB_SERVER switch: the command each web server is started with."""

from __future__ import annotations

import pytest
from deploy.stack import app as stack
from deploy.tests.conftest import DEPLOY
from granian.cli import cli as granian_cli

ENV = {"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "6"}


def test_gunicorn_runs_with_its_config_file_on_the_given_address():
    argv = stack.web_server_argv("gunicorn", "config.wsgi", "127.0.0.1:18001", ENV)

    assert argv == [
        str(stack.VENV_BIN / "gunicorn"),
        "-c",
        str(DEPLOY / "gunicorn.conf.py"),
        "--bind",
        "127.0.0.1:18001",
        "config.wsgi",
    ]


def test_granian_gets_gunicorns_processes_and_threads_without_an_access_log():
    argv = stack.web_server_argv("granian", "config.wsgi", "127.0.0.1:18003", ENV)

    assert argv == [
        str(stack.VENV_BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        "18003",
        "--workers",
        "3",
        "--blocking-threads",
        "6",
        "--no-access-log",
        "--respawn-failed-workers",
        "config.wsgi:application",
    ]


def test_granian_threads_default_to_gunicorns_four():
    argv = stack.web_server_argv(
        "granian", "config.wsgi", "127.0.0.1:18001", {"WEB_CONCURRENCY": "2"}
    )

    assert argv[argv.index("--blocking-threads") + 1] == "4"


def test_the_installed_granian_accepts_the_command():
    argv = stack.web_server_argv("granian", "config.wsgi", "127.0.0.1:18001", ENV)

    params = granian_cli.make_context("granian", argv[1:]).params

    assert params["interface"].value == "wsgi"
    assert (params["host"], params["port"]) == ("127.0.0.1", 18001)
    assert (params["workers"], params["blocking_threads"]) == (3, 6)
    assert params["log_access_enabled"] is False
    assert params["respawn_failed_workers"] is True
    assert params["app"] == "config.wsgi:application"


def test_an_unknown_server_is_refused():
    with pytest.raises(SystemExit, match="STACK_WEB_SERVER"):
        stack.web_server_argv("uwsgi", "config.wsgi", "127.0.0.1:18001", ENV)


def test_the_stack_serves_with_gunicorn_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("STACK_WEB_SERVER", raising=False)
    assert stack.Stack().web_server == "gunicorn"

    monkeypatch.setenv("STACK_WEB_SERVER", "granian")
    assert stack.Stack().web_server == "granian"


@pytest.mark.parametrize("server", ["gunicorn", "granian"])
def test_the_bench_baseline_is_always_gunicorn_gthread(server, monkeypatch, tmp_path):
    monkeypatch.setenv("STACK_WEB_SERVER", server)
    monkeypatch.setenv("STACK_BENCH", "1")
    monkeypatch.setenv("STACK_WEB_WORKERS", "3")
    monkeypatch.setenv("STACK_APP_GUNICORN_WORKER_CLASS", "sync")
    monkeypatch.setenv("STACK_DIR", str(tmp_path))
    (tmp_path / "run").mkdir()
    spawned = {}

    def spawn(stack_, name, argv, env, cwd):
        spawned.update(name=name, argv=argv, env=env)

    monkeypatch.setattr(stack, "stop", lambda *args, **kwargs: None)
    monkeypatch.setattr(stack, "spawn", spawn)
    monkeypatch.setattr(stack, "wait_port", lambda *args, **kwargs: None)

    stack.bare_up(stack.Stack())

    assert spawned["name"] == "bare"
    assert spawned["argv"][0] == str(stack.VENV_BIN / "gunicorn")
    assert spawned["argv"][-1] == "config.wsgi"
    assert spawned["env"]["GUNICORN_WORKER_CLASS"] == "gthread"
    assert spawned["env"]["WEB_CONCURRENCY"] == "6"  # the whole tier's: 2 replicas x 3
    assert spawned["env"]["DJANGO_SETTINGS_MODULE"] == "config.settings.bare"


def test_no_baseline_outside_bench_mode(monkeypatch):
    monkeypatch.setenv("STACK_BENCH", "0")
    monkeypatch.setattr(stack, "spawn", lambda *args: pytest.fail("spawned a baseline"))

    stack.bare_up(stack.Stack())
