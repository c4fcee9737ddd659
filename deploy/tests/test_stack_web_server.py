"""The native stack's STACK_WEB_SERVER switch: the command each web server is started with."""

from __future__ import annotations

import pytest
from deploy.stack import app as stack
from deploy.tests.conftest import DEPLOY


def test_gunicorn_runs_with_its_config_file_on_the_given_address():
    argv = stack.web_server_argv("gunicorn", "config.wsgi", "127.0.0.1:18001")

    assert argv == [
        str(stack.VENV_BIN / "gunicorn"),
        "-c",
        str(DEPLOY / "gunicorn.conf.py"),
        "--bind",
        "127.0.0.1:18001",
        "config.wsgi",
    ]


@pytest.mark.parametrize("server", ["uwsgi", "granian"])
def test_uwsgi_and_granian_run_through_their_launchers(server):
    argv = stack.web_server_argv(server, "config.wsgi", "127.0.0.1:18003")

    assert argv == [
        str(stack.VENV_BIN / "python"),
        str(DEPLOY / f"{server}_server.py"),
        "--bind",
        "127.0.0.1:18003",
        "config.wsgi",
    ]


def test_an_unknown_server_is_refused():
    with pytest.raises(SystemExit, match="STACK_WEB_SERVER"):
        stack.web_server_argv("waitress", "config.wsgi", "127.0.0.1:18001")


def test_the_stack_serves_with_uwsgi_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("STACK_WEB_SERVER", raising=False)
    assert stack.Stack().web_server == "uwsgi"

    monkeypatch.setenv("STACK_WEB_SERVER", "gunicorn")
    assert stack.Stack().web_server == "gunicorn"


@pytest.mark.parametrize("server", ["uwsgi", "gunicorn", "granian"])
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


@pytest.mark.parametrize("server", ["uwsgi", "gunicorn", "granian"])
def test_a_restarted_replica_is_waited_for_on_its_own_readiness_not_its_port(
    server, monkeypatch, tmp_path
):
    monkeypatch.setenv("STACK_WEB_SERVER", server)
    monkeypatch.setenv("STACK_DIR", str(tmp_path))
    (tmp_path / "run").mkdir()
    events: list[tuple[str, object]] = []
    monkeypatch.setattr(stack, "serving", lambda stack_: stack.Release("r1", tmp_path, {}))
    monkeypatch.setattr(stack, "stop", lambda stack_, name, **kw: events.append(("stop", kw)))
    monkeypatch.setattr(stack, "spawn", lambda stack_, name, argv, env, cwd: events.append(
        ("spawn", argv[0] if server == "gunicorn" else argv[1])))  # fmt: skip
    monkeypatch.setattr(stack, "wait_port", lambda *a, **k: pytest.fail("waited for a port"))
    monkeypatch.setattr(stack, "wait_ready", lambda url, timeout: events.append(("ready", url)))

    stack.web_up(stack.Stack())

    ports = stack.Stack().ports.web
    launcher = str(stack.VENV_BIN / "gunicorn") if server == "gunicorn" else str(
        DEPLOY / f"{server}_server.py")  # fmt: skip
    timeout = {"timeout": stack.WEB_STOP_TIMEOUT}
    assert events == [
        ("stop", timeout), ("spawn", launcher), ("ready", f"http://127.0.0.1:{ports[0]}/health/ready"),
        ("stop", timeout), ("spawn", launcher), ("ready", f"http://127.0.0.1:{ports[1]}/health/ready"),
    ]  # fmt: skip
