"""Structured logs: one JSON object per line, with the request's id, user, route and timing."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from celery import Celery
from celery.worker.request import Request
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, override_settings
from django.urls import path

from booking.accounts.tests.factories import UserFactory
from booking.core.logging import AccessLine, logging_config, to_json
from booking.core.request_context import request_id_var
from booking.core.tests.processes import BACKEND, wait_for
from conftest import authenticate

TEST_QUEUE = "observability-test"

# A Celery app of its own on the in-memory broker: the project's app stays untouched.
broker_app = Celery("observability-test", broker="memory://", set_as_current=False)
broker_app.conf.task_default_queue = TEST_QUEUE
broker_app.conf.task_always_eager = False


@broker_app.task(name="observability_test.log_something", shared=False)
def log_something() -> None:
    logging.getLogger("booking.tests").info("task ran")


def enqueue_view(request: HttpRequest) -> JsonResponse:
    log_something.apply_async()
    return JsonResponse({})


def run_eagerly_view(request: HttpRequest) -> JsonResponse:
    log_something.apply()
    return JsonResponse({})


def boom_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("enqueue", enqueue_view),
    path("run-eagerly", run_eagerly_view),
    path("boom", boom_view),
]

ACCESS_KEYS = [
    "timestamp",
    "level",
    "logger",
    "event",
    "request_id",
    "user_id",
    "method",
    "route",
    "path",
    "status",
    "duration_ms",
]


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Every line the configured formatter renders from now on, parsed."""
    root = logging.getLogger()
    formatter = next(
        handler.formatter
        for handler in root.handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def access_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["logger"] == "booking.access"]


def test_a_request_is_logged_as_one_json_line_with_its_id_route_status_and_duration(
    api_client, log_lines
):
    response = api_client.get("/api/v1/auth/me", HTTP_X_REQUEST_ID="req-1234")
    [line] = access_lines(log_lines())
    assert response["X-Request-ID"] == "req-1234"
    assert line["request_id"] == "req-1234"
    assert line["event"] == "request"
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["route"] == "api/v1/auth/me"
    assert line["path"] == "/api/v1/auth/me"
    assert line["status"] == 401
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert dt.datetime.fromisoformat(line["timestamp"]).utcoffset() == dt.timedelta(0)


def test_the_access_line_has_its_keys_in_the_order_every_line_has(api_client, log_lines):
    api_client.get("/api/v1/auth/me")
    [line] = access_lines(log_lines())
    assert list(line) == ACCESS_KEYS


def test_a_path_no_pattern_matches_is_logged_without_a_route(api_client, log_lines):
    api_client.get("/no/such/page")
    [line] = access_lines(log_lines())
    assert (line["route"], line["path"], line["status"]) == (None, "/no/such/page", 404)
    assert line["level"] == "info"


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_logged_at_error_level(log_lines):
    assert Client(raise_request_exception=False).get("/boom").status_code == 500
    [line] = access_lines(log_lines())
    assert (line["level"], line["status"], line["route"]) == ("error", 500, "boom")
    assert list(line) == ACCESS_KEYS


@override_settings(ROOT_URLCONF=__name__)
def test_the_access_logger_level_filters_its_lines_but_never_errors(api_client, log_lines):
    access = logging.getLogger("booking.access")
    previous = access.level
    access.setLevel(logging.WARNING)
    try:
        api_client.get("/api/v1/auth/me")
        Client(raise_request_exception=False).get("/boom")
    finally:
        access.setLevel(previous)
    assert [line["status"] for line in access_lines(log_lines())] == [500]


def test_the_request_id_comes_from_the_load_balancer_trace_when_there_is_no_request_id(
    api_client, log_lines
):
    response = api_client.get("/api/v1/auth/me", HTTP_X_AMZN_TRACE_ID="Root=1-67891233-abcdef")
    [line] = access_lines(log_lines())
    assert response["X-Request-ID"] == line["request_id"] == "1-67891233-abcdef"


@pytest.mark.django_db
def test_the_line_names_the_authenticated_user_and_the_route_pattern(api_client, log_lines):
    user = UserFactory()
    authenticate(api_client, user)
    api_client.get("/api/v1/auth/me")
    api_client.get(f"/api/v1/appointments/{uuid.uuid4()}")
    me, appointment = access_lines(log_lines())
    assert (me["status"], me["user_id"]) == (200, str(user.pk))
    assert appointment["status"] == 404
    assert appointment["user_id"] == str(user.pk)
    assert appointment["route"] == "api/v1/appointments/<uuid:appointment_id>"


@pytest.mark.django_db
def test_the_user_of_one_request_does_not_leak_into_the_next(api_client, log_lines):
    authenticate(api_client, UserFactory())
    api_client.get("/api/v1/auth/me")
    api_client.credentials()
    api_client.get("/api/v1/auth/me")
    assert [line["user_id"] is None for line in access_lines(log_lines())] == [False, True]


def test_standard_library_loggers_write_the_same_json_with_the_request_id(log_lines):
    token = request_id_var.set("req-std")
    try:
        logging.getLogger("booking.tests").warning("hello %s", "world")
    finally:
        request_id_var.reset(token)
    [line] = log_lines()
    assert line["event"] == "hello world"
    assert line["level"] == "warning"
    assert line["logger"] == "booking.tests"
    assert line["request_id"] == "req-std"
    assert list(line)[:4] == ["timestamp", "level", "logger", "event"]


def test_an_exception_stays_inside_its_line(log_lines):
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("booking.tests").exception("it failed")
    [line] = log_lines()
    assert line["level"] == "error"
    assert "ZeroDivisionError" in line["exception"]


def test_the_console_format_is_for_humans():
    options = dict(logging_config(log_format="console", level="INFO")["formatters"]["structured"])
    formatter = options.pop("()")(**options)
    record = logging.LogRecord("booking.tests", logging.INFO, __file__, 1, "hi", None, None)
    rendered = formatter.format(record)
    assert "hi" in rendered
    assert not rendered.startswith("{")


def test_the_console_format_renders_an_access_line_for_humans():
    options = dict(logging_config(log_format="console", level="INFO")["formatters"]["structured"])
    formatter = options.pop("()")(**options)
    line = AccessLine(timestamp="2026-03-02T09:00:00Z", level="info", logger="booking.access")
    line.update(event="request", request_id="req-9", user_id=None, method="GET", status=200)
    record = logging.LogRecord("booking.access", logging.INFO, __file__, 1, line, None, None)
    rendered = formatter.format(record)
    assert "request" in rendered
    assert "req-9" in rendered
    assert not rendered.startswith("{")


def test_json_that_orjson_refuses_is_still_written():
    assert json.loads(to_json({"big": 2**70, "when": dt.date(2026, 3, 2)})) == {
        "big": 2**70,
        "when": "2026-03-02",
    }


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


@override_settings(ROOT_URLCONF=__name__)
def test_a_task_enqueued_during_a_request_logs_that_requests_id(client, log_lines):
    client.get("/enqueue", HTTP_X_REQUEST_ID="req-task-42")
    with broker_app.connection_for_read() as connection:
        message = connection.SimpleQueue(TEST_QUEUE).get(timeout=5)
        assert message.headers["request_id"] == "req-task-42"
        # What a worker does with a message it received, in this process.
        Request(message, app=broker_app, task=log_something).execute()
    [task_line] = [line for line in log_lines() if line["event"] == "task ran"]
    assert task_line["request_id"] == "req-task-42"
    assert task_line["task"] == "observability_test.log_something"
    assert request_id_var.get() is None  # cleared when the task ended


@override_settings(ROOT_URLCONF=__name__)
def test_a_task_run_in_process_keeps_the_id_of_the_request_that_ran_it(client, log_lines):
    client.get("/run-eagerly", HTTP_X_REQUEST_ID="req-eager-7")
    lines = log_lines()
    [task_line] = [line for line in lines if line["event"] == "task ran"]
    [request_line] = access_lines(lines)
    assert task_line["request_id"] == request_line["request_id"] == "req-eager-7"
    assert "task" not in request_line


def test_a_task_without_a_request_gets_an_id_of_its_own(log_lines):
    log_something.apply()
    [task_line] = [line for line in log_lines() if line["event"] == "task ran"]
    assert task_line["request_id"]
    assert request_id_var.get() is None


@pytest.mark.parametrize(
    ("role", "started"),
    [
        (["worker", "--pool", "solo", "--without-gossip", "--without-mingle"], "ready."),
        (["beat", "--schedule", "{tmp}/celerybeat-schedule"], "beat: Starting..."),
    ],
)
def test_worker_and_beat_log_json_lines(role, started, tmp_path):
    log = tmp_path / "celery.log"
    command = [sys.executable, "-m", "celery", "-A", "config", *role]
    process = subprocess.Popen(
        [part.replace("{tmp}", str(tmp_path)) for part in command],
        cwd=BACKEND,
        env=celery_env(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: started in log.read_text(), timeout=60, what=f"celery {role[0]}")
    finally:
        process.terminate()
        process.wait(timeout=20)
    [line] = [json.loads(text) for text in lines_with(log, started)]
    assert line["logger"].startswith("celery")
    assert line["level"] == "info"
    assert line["timestamp"]


def celery_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "LOG_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "memory://",
        "PYTHONUNBUFFERED": "1",
    }


def lines_with(log: Path, text: str) -> list[str]:
    return [line for line in log.read_text().splitlines() if text in line]
