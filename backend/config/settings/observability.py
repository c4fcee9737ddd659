"""Logging, metrics and error reporting.

Nothing here imports base.py: base applies these functions to its own values, and the
constants are star-imported by it (`__all__`).
"""

from __future__ import annotations

from typing import Any

from booking.core.logging import logging_config
from config import env

__all__ = [
    "LOGGING",
    "LOGGING_CONFIG",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "METRICS_ALLOWED_CIDRS",
    "PROMETHEUS_MULTIPROC_DIR",
    "SENTRY_DSN",
    "WORKER_METRICS_ADDRESS",
    "WORKER_METRICS_PORT",
]

# --- Logs: one JSON object per line on stdout (`console` for humans) -------------------------
LOG_FORMAT = env.string("LOG_FORMAT", "json") or "json"
LOG_LEVEL = env.string("LOG_LEVEL", "INFO") or "INFO"
LOGGING_CONFIG = "booking.core.logging.configure_logging"
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)


def rest_framework_with_access_log(rest_framework: dict[str, Any]) -> dict[str, Any]:
    """DRF authenticates inside the view; this subclass tells the access log who the user is."""
    ours = "booking.accounts.authentication.JWTAuthentication"
    classes = rest_framework["DEFAULT_AUTHENTICATION_CLASSES"]
    simplejwt = "rest_framework_simplejwt.authentication.JWTAuthentication"
    return {
        **rest_framework,
        "DEFAULT_AUTHENTICATION_CLASSES": [ours if c == simplejwt else c for c in classes],
    }


# --- Metrics ---------------------------------------------------------------------------------
# Set for web servers with several workers and for Celery workers: values are summed over
# processes.
PROMETHEUS_MULTIPROC_DIR = env.string("PROMETHEUS_MULTIPROC_DIR")
# /metrics answers only these client addresses (REMOTE_ADDR; never X-Forwarded-For).
METRICS_ALLOWED_CIDRS = env.csv(
    "METRICS_ALLOWED_CIDRS", "127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,::1/128"
)
# A Celery worker serves its counters here when set (0: off).
WORKER_METRICS_PORT = env.integer("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDRESS = env.string("WORKER_METRICS_ADDRESS", "0.0.0.0") or "0.0.0.0"  # noqa: S104

# --- Errors ----------------------------------------------------------------------------------
SENTRY_DSN = env.string("SENTRY_DSN")


def sentry_start(dsn: str | None) -> None:
    """Error reporting, on only with a DSN."""
    if not dsn:
        return
    from booking.core.sentry import init_sentry

    init_sentry(
        dsn=dsn,
        environment=env.string("SENTRY_ENVIRONMENT"),
        release=env.string("SENTRY_RELEASE"),
        traces_sample_rate=float(env.string("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
