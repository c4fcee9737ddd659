"""The Celery app: workers (`make worker`) and the single beat (`make beat`)."""

from __future__ import annotations

import os

from celery import Celery

import booking.core.celery_signals  # noqa: F401  (JSON logs, request id across the broker, metrics)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("booking")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
