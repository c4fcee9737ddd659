"""Prometheus metrics: business counters, request latency, the private /metrics endpoint,
several workers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from celery import Celery
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from booking.accounts.tests.factories import UserFactory
from booking.appointments.services import appointment_book
from booking.core.errors import SlotUnavailable
from booking.core.metrics import drop_dead_processes
from booking.core.tests.processes import BACKEND, free_port, wait_for
from booking.notifications import channels
from booking.notifications.channels.base import PermanentSendError, TransientSendError
from booking.notifications.services import notification_send
from booking.notifications.tests.factories import NotificationFactory
from booking.salons.tests.factories import open_salon

TEN = dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Berlin"))
NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)

eager_app = Celery("observability-metrics-test", set_as_current=False)
eager_app.conf.task_always_eager = True


@eager_app.task(name="observability_test.succeeds", shared=False)
def succeeds() -> None:
    pass


@eager_app.task(name="observability_test.fails", shared=False)
def fails() -> None:
    raise ValueError("no")


@eager_app.task(name="observability_test.retries", bind=True, shared=False, max_retries=1)
def retries(self) -> None:
    if not self.request.retries:
        raise self.retry(countdown=0)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def requests_seen(route: str, method: str = "GET", status: str = "2xx") -> float:
    return sample("http_request_duration_seconds_count", method=method, route=route, status=status)


def teapot(request: HttpRequest, teapot_id: int) -> HttpResponse:
    return HttpResponse(status=418)


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("teapots/<int:teapot_id>", teapot), path("boom", boom)]


def test_metrics_are_served_to_the_monitoring_network_whatever_the_host(client):
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"bookings_created_total" in response.content
    assert b"http_request_duration_seconds" in response.content


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "10.0.0.1"},
        {"REMOTE_ADDR": "2001:db8::1"},
    ],
)
def test_metrics_are_not_found_from_anywhere_else(client, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_request_is_observed_under_its_route_pattern_method_and_status_class(client):
    route = "api/v1/appointments/<uuid:appointment_id>"
    before = requests_seen(route, status="4xx")
    labels = {"method": "GET", "route": route, "status": "4xx"}
    before_sum = sample("http_request_duration_seconds_sum", **labels)
    response = client.get(f"/api/v1/appointments/{uuid.uuid4()}")
    assert response.status_code == 401
    assert requests_seen(route, status="4xx") == before + 1
    assert sample("http_request_duration_seconds_sum", **labels) > before_sum


@override_settings(ROOT_URLCONF=__name__)
def test_the_route_label_is_the_pattern_never_the_path(client):
    before = requests_seen("teapots/<int:teapot_id>", status="4xx")
    for teapot_id in (1, 2, 3):
        assert client.get(f"/teapots/{teapot_id}").status_code == 418
    assert requests_seen("teapots/<int:teapot_id>", status="4xx") == before + 3
    routes = {
        sample.labels["route"]
        for family in REGISTRY.collect()
        if family.name == "http_request_duration_seconds"
        for sample in family.samples
    }
    assert not [route for route in routes if route.startswith("/") or "teapots/1" in route]


def test_a_path_no_pattern_matches_is_observed_as_unmatched(client):
    before = requests_seen("unmatched", status="4xx")
    assert client.get(f"/no/such/page/{uuid.uuid4()}").status_code == 404
    assert requests_seen("unmatched", status="4xx") == before + 1


def test_an_unknown_method_is_observed_as_other(client):
    before = requests_seen("api/v1/auth/me", method="other", status="4xx")
    client.generic("BREW", "/api/v1/auth/me")
    assert requests_seen("api/v1/auth/me", method="other", status="4xx") == before + 1


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_raises_is_observed_as_a_server_error():
    before = requests_seen("boom", status="5xx")
    assert Client(raise_request_exception=False).get("/boom").status_code == 500
    assert requests_seen("boom", status="5xx") == before + 1


def test_the_health_checks_and_scrapes_are_not_observed(client):
    before = all_requests_seen()
    client.get("/health/live")
    client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert all_requests_seen() == before


def all_requests_seen() -> float:
    return sum(
        sample.value
        for family in REGISTRY.collect()
        if family.name == "http_request_duration_seconds"
        for sample in family.samples
        if sample.name.endswith("_count")
    )


@pytest.mark.django_db
def test_a_booking_is_counted_once_it_commits(django_capture_on_commit_callbacks):
    _, service, _ = open_salon()
    before = sample("bookings_created_total")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    assert sample("bookings_created_total") == before + 1


@pytest.mark.django_db
def test_a_booking_rolled_back_is_not_counted(django_capture_on_commit_callbacks):
    _, service, _ = open_salon()
    before = sample("bookings_created_total")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
        raise RuntimeError("the caller's transaction fails after the booking")
    assert sample("bookings_created_total") == before


@pytest.mark.django_db
def test_a_taken_slot_is_counted_as_a_conflict():
    _, service, _ = open_salon()
    appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    before = sample("booking_conflicts_total")
    with pytest.raises(SlotUnavailable):
        appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    assert sample("booking_conflicts_total") == before + 1


class ScriptedChannel:
    def __init__(self, outcome: Exception | None) -> None:
        self.outcome = outcome

    def send(self, message: object) -> str:
        if self.outcome is not None:
            raise self.outcome
        return "provider-1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "error"),
    [
        ("sent", None),
        ("failed", PermanentSendError("invalid number")),
        ("retrying", TransientSendError("503")),
    ],
)
def test_notification_sends_are_counted_by_channel_and_outcome(monkeypatch, outcome, error):
    channel = ScriptedChannel(error)
    monkeypatch.setattr(channels, "channel_for", lambda name: channel)
    monkeypatch.setattr("booking.notifications.services.channel_for", lambda name: channel)
    monkeypatch.setattr("booking.notifications.services.enqueue_send", lambda *a, **k: True)
    notification = NotificationFactory(channel="sms", recipient="+491701234567")
    before = sample("notifications_total", channel="sms", outcome=outcome)
    assert notification_send(notification_id=notification.id) == outcome
    assert sample("notifications_total", channel="sms", outcome=outcome) == before + 1


@pytest.mark.parametrize(
    ("task", "outcome"),
    [(succeeds, "succeeded"), (fails, "failed"), (retries, "retried")],
)
def test_task_outcomes_are_counted(task, outcome):
    before = sample("celery_task_outcomes_total", task=task.name, outcome=outcome)
    task.apply()
    assert sample("celery_task_outcomes_total", task=task.name, outcome=outcome) == before + 1


REQUESTS = 60


SERVERS = {
    "gunicorn": lambda bind: [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", bind],
    "granian": lambda bind: [
        sys.executable, str(BACKEND.parent / "deploy" / "granian_server.py"), "--bind", bind
    ],
}  # fmt: skip


@pytest.fixture(params=sorted(SERVERS))
def web_server(request, tmp_path):
    """Two worker processes of each web server sharing a multiprocess metrics directory."""
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_VAR_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "PYTHONUNBUFFERED": "1",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("SENTRY_DSN", None)
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=BACKEND, env=env, check=True)
    port = free_port()
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        SERVERS[request.param](f"127.0.0.1:{port}"),
        cwd=BACKEND,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: _answers(f"{url}/health/live"), timeout=60, what=f"{request.param} to answer"
        )
        yield url, metrics_dir, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def requests_to_me(metrics_text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
        if sample.name == "http_request_duration_seconds_count"
        and sample.labels.get("route") == "api/v1/auth/me"
    )


def test_several_web_workers_report_their_total_whichever_answers(web_server):
    url, metrics_dir, log = web_server
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(
                lambda _: requests.get(f"{url}/api/v1/auth/me", timeout=10).status_code,
                range(REQUESTS),
            )
        )
    assert statuses == [401] * REQUESTS
    pids = {path.stem.rsplit("_", 1)[-1] for path in Path(metrics_dir).glob("counter_*.db")}
    assert len(pids) >= 2  # both workers served some of the requests
    for _ in range(6):
        assert requests_to_me(requests.get(f"{url}/metrics", timeout=10).text) == REQUESTS
    access = [line for line in log.read_text().splitlines() if '"/api/v1/auth/me"' in line]
    assert len(access) == REQUESTS  # and one JSON log line each


def test_a_scrape_drops_the_live_gauges_of_processes_that_are_gone(tmp_path):
    child = subprocess.Popen(["true"])
    child.wait()  # reaped: its pid names no process now
    dead = tmp_path / f"gauge_livesum_{child.pid}.db"
    mine = tmp_path / f"gauge_livesum_{os.getpid()}.db"
    counter = tmp_path / f"counter_{child.pid}.db"
    for file in (dead, mine, counter):
        file.touch()

    drop_dead_processes(str(tmp_path))

    assert not dead.exists()
    assert mine.exists()
    assert counter.exists()  # a dead process's totals still count
