"""Business counters, request latency and the Prometheus endpoint.

With several web workers (or Celery's prefork children) each process counts on its own;
when PROMETHEUS_MULTIPROC_DIR is set, prometheus_client keeps every process's values in files
there and a scrape sums them, so whichever worker answers reports the whole.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

bookings_created = Counter("bookings_created_total", "Bookings committed.")
booking_conflicts = Counter(
    "booking_conflicts_total", "Bookings and reschedules refused because the time was taken."
)
notifications = Counter(
    "notifications_total",
    "Notification send attempts by channel and outcome (sent, failed, retrying).",
    ["channel", "outcome"],
)
celery_task_outcomes = Counter(
    "celery_task_outcomes_total",
    "Celery task runs by task name and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)

# One histogram: its _count is the request counter and its buckets the latency, so a request
# costs two (mmapped) writes. Labels stay bounded whatever clients send: the URL pattern, never
# the path (UNMATCHED when none matched); a known method or "other"; the status class (what
# error-rate alerts need; the exact code is in the access line).
UNMATCHED = "unmatched"
OTHER_METHOD = "other"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_request_duration = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by method, URL pattern and status class.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def registry_for(multiproc_dir: str | None) -> CollectorRegistry:
    """The default registry, or one that sums every process's files in multiprocess mode."""
    if not multiproc_dir:
        return REGISTRY
    drop_dead_processes(multiproc_dir)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=multiproc_dir)  # type: ignore[no-untyped-call]
    return registry


def drop_dead_processes(multiproc_dir: str) -> None:
    """Remove the live gauges of processes that are gone, so a sum never counts them.

    Done at scrape time, whichever server runs the workers: Granian has no hook when a worker
    exits (gunicorn's child_exit was one), and a SIGKILLed process runs none of its own.
    Counters and histograms of dead processes stay: they are totals. The directory is per
    container (per host on the native stack), so a pid names a process of ours.
    """
    for path in Path(multiproc_dir).glob("gauge_live*_*.db"):
        pid = int(path.stem.rpartition("_")[2])
        if not _running(pid):
            multiprocess.mark_process_dead(pid, multiproc_dir)  # type: ignore[no-untyped-call]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process; not ours to clear
    return True


def parse_networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def address_allowed(address: str | None, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)


class MetricsMiddleware:
    """Serves /metrics to the monitoring network; everyone else gets the usual 404.

    It answers before host validation and the HTTPS redirect (like the health checks), because
    Prometheus scrapes a task or pod by its address over plain HTTP. Only REMOTE_ADDR counts:
    X-Forwarded-For is whatever the client wants it to be.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = parse_networks(settings.METRICS_ALLOWED_CIDRS)
        self.multiproc_dir: str | None = settings.PROMETHEUS_MULTIPROC_DIR

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info == "/metrics"
            and request.method in ("GET", "HEAD")
            and address_allowed(request.META.get("REMOTE_ADDR"), self.networks)
        ):
            return metrics_response(self.multiproc_dir)
        return self.get_response(request)


def metrics_response(multiproc_dir: str | None) -> HttpResponse:
    return HttpResponse(
        generate_latest(registry_for(multiproc_dir)), content_type=CONTENT_TYPE_LATEST
    )


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status <= 599 else "other"


class RequestMetricsMiddleware:
    """Observes every request that gets past /metrics and the health checks in one histogram.

    Placed first after them, so the time includes the rest of the middleware and the view.
    Django turns a view's exception into a 500 response inside, so errors are observed too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response.status_code, time.perf_counter() - started)
        return response


def observe_request(request: HttpRequest, status: int, seconds: float) -> None:
    match = request.resolver_match
    method = request.method if request.method in KNOWN_METHODS else OTHER_METHOD
    http_request_duration.labels(
        method, match.route if match is not None else UNMATCHED, status_class(status)
    ).observe(seconds)
