"""Business counters and the Prometheus endpoint.

With several gunicorn workers (or Celery's prefork children) each process counts on its own;
when PROMETHEUS_MULTIPROC_DIR is set, prometheus_client keeps every process's values in files
there and a scrape sums them, so whichever worker answers reports the whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
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

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def registry_for(multiproc_dir: str | None) -> CollectorRegistry:
    """The default registry, or one that sums every process's files in multiprocess mode."""
    if not multiproc_dir:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=multiproc_dir)  # type: ignore[no-untyped-call]
    return registry


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
