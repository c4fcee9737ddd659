"""Logging, metrics and error reporting; imported at the end of base.py."""

from __future__ import annotations

from typing import Any

from booking.core.logging import logging_config
from config import env
from config.settings.base import REST_FRAMEWORK as _BASE_REST_FRAMEWORK  # base is mid-import

__all__ = [
    "LOGGING",
    "LOGGING_CONFIG",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "METRICS_ALLOWED_CIDRS",
    "PROMETHEUS_MULTIPROC_DIR",
    "REST_FRAMEWORK",
    "SENTRY_DSN",
    "WORKER_METRICS_ADDRESS",
    "WORKER_METRICS_PORT",
]

# --- Logs: one JSON object per line on stdout (`console` for humans) -------------------------
LOG_FORMAT = env.string("LOG_FORMAT", "json") or "json"
LOG_LEVEL = env.string("LOG_LEVEL", "INFO") or "INFO"
LOGGING_CONFIG = "booking.core.logging.configure_logging"
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# DRF authenticates inside the view; this subclass tells the access log who the user is.
# (mypy cannot type a name imported from a module that is still being imported.)
REST_FRAMEWORK: dict[str, Any] = {
    **_BASE_REST_FRAMEWORK,  # type: ignore[has-type]
    "DEFAULT_AUTHENTICATION_CLASSES": ["booking.accounts.authentication.JWTAuthentication"],
}

# --- Metrics ---------------------------------------------------------------------------------
# Set for gunicorn with several workers and for Celery workers: values are summed over processes.
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
if SENTRY_DSN:
    from booking.core.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.string("SENTRY_ENVIRONMENT"),
        release=env.string("SENTRY_RELEASE"),
        traces_sample_rate=float(env.string("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
