"""Error reporting: Sentry, initialised from the settings only when SENTRY_DSN is set."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.integrations.redis import RedisIntegration

from booking.core.request_context import request_id_var


def init_sentry(
    *, dsn: str, environment: str | None, release: str | None, traces_sample_rate: float
) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        before_send=tag_request_id,
    )
    # A 5xx access line is logged at error level; the error itself is already the event.
    ignore_logger("booking.access")


def tag_request_id(event: Any, hint: Any) -> Any:
    """The request id on every event, to find the request's (or task's) log lines."""
    request_id = request_id_var.get()
    if request_id is not None:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
