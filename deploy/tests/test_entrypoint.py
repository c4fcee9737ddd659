"""The entrypoint execs each role's server (so signals reach it) and prepares /tmp."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from deploy.tests.conftest import DOCKER

STUB = (
    '#!/bin/sh\necho "pid=$$ cwd=$(pwd) cmd=$(basename "$0") args=$*"\n'
    'if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then echo "metrics=$(ls -A "$PROMETHEUS_MULTIPROC_DIR" | wc -l)"; fi\n'
)


@pytest.fixture
def app(tmp_path):
    (tmp_path / "app" / "backend").mkdir(parents=True)
    (tmp_path / "app" / "deploy").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("gunicorn", "celery", "python"):
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    return tmp_path


def run(app: Path, *args: str, **env: str) -> tuple[int, int, str]:
    process = subprocess.Popen(
        ["sh", str(DOCKER / "entrypoint.sh"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": f"{app / 'bin'}:/usr/bin:/bin", "APP_DIR": str(app / "app"), **env},
    )
    out, _ = process.communicate(timeout=20)
    return process.pid, process.returncode, out


@pytest.mark.parametrize(
    ("role", "command", "args"),
    [
        ("web", "python", "{app}/deploy/uwsgi_server.py config.wsgi"),
        ("worker", "celery", "-A config worker -Q default,notifications --loglevel INFO"),
        ("beat", "celery", "-A config beat --loglevel INFO --schedule /tmp/celerybeat-schedule"),
        ("migrate", "python", "manage.py migrate --noinput"),
        ("manage", "python", "manage.py seed_demo --if-empty"),
    ],
)
def test_each_role_execs_its_process_in_place(app, role, command, args):
    extra = ["seed_demo", "--if-empty"] if role == "manage" else []
    pid, code, out = run(app, role, *extra)
    assert code == 0, out
    # same pid: the shell was replaced by the server, so SIGTERM reaches the server itself
    assert f"pid={pid} " in out
    assert f"cwd={app / 'app' / 'backend'} cmd={command} " in out
    assert f"args={args.format(app=app / 'app')}" in out


def test_extra_arguments_reach_the_server(app):
    _, code, out = run(app, "worker", "--concurrency", "3")
    assert code == 0 and out.strip().endswith("--loglevel INFO --concurrency 3")


def test_web_is_the_default_role(app):
    _, code, out = run(app)
    assert code == 0 and f"args={app / 'app'}/deploy/uwsgi_server.py config.wsgi" in out


@pytest.mark.parametrize(
    ("server", "command", "args"),
    [
        ({}, "python", "{app}/deploy/uwsgi_server.py config.wsgi"),  # the default
        ({"WEB_SERVER": "uwsgi"}, "python", "{app}/deploy/uwsgi_server.py config.wsgi"),
        ({"WEB_SERVER": "gunicorn"}, "gunicorn", "-c {app}/deploy/gunicorn.conf.py config.wsgi"),
        ({"WEB_SERVER": "granian"}, "python", "{app}/deploy/granian_server.py config.wsgi"),
    ],
)
def test_web_execs_the_chosen_server_with_the_extra_arguments(app, server, command, args):
    pid, code, out = run(app, "web", "--bind", "127.0.0.1:9000", **server)
    assert code == 0, out
    assert f"pid={pid} " in out and f"cmd={command} " in out
    assert f"args={args.format(app=app / 'app')} --bind 127.0.0.1:9000" in out


def test_web_refuses_an_unknown_server(app):
    _, code, out = run(app, "web", WEB_SERVER="waitress")
    assert code == 64 and "WEB_SERVER is uwsgi, gunicorn or granian, not 'waitress'" in out
    assert "cmd=" not in out


def test_the_metrics_directory_starts_empty(app, tmp_path_factory):
    directory = Path("/tmp") / f"prometheus-test-{os.getpid()}"
    directory.mkdir(exist_ok=True)
    (directory / "counter_123.db").write_text("stale")
    try:
        _, code, out = run(app, "web", PROMETHEUS_MULTIPROC_DIR=str(directory))
        assert code == 0, out
        assert "metrics=0" in out
        assert directory.is_dir() and not any(directory.iterdir())
    finally:
        subprocess.run(["rm", "-rf", str(directory)], check=False)


@pytest.mark.parametrize("directory", ["/var/lib/prometheus", "/tmp/../var/lib/prometheus", "/tmp"])
def test_it_refuses_a_metrics_directory_outside_tmp(app, directory):
    _, code, out = run(app, "web", PROMETHEUS_MULTIPROC_DIR=directory)
    assert code == 64 and "PROMETHEUS_MULTIPROC_DIR must" in out
    assert "cmd=" not in out
