"""Celery hooks: JSON logging for worker and beat, the request id across the broker, metrics.

Connected by importing this module (config/celery.py does).
"""

from __future__ import annotations

import contextvars
import gc
import os
import uuid
from collections.abc import Mapping
from typing import Any

import structlog
from celery import Task
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
)
from django.conf import settings
from django.db import close_old_connections

from booking.core import metrics
from booking.core.logging import configure_logging
from booking.core.preload import freeze_loaded_app
from booking.core.request_context import request_id_var

REQUEST_ID_HEADER = "request_id"

# Per running task: the tokens that restore the context as it was before the task started
# (an eager task runs inside the request that enqueued it and must leave its id in place).
_restore: dict[str, tuple[contextvars.Token[str | None], Mapping[str, contextvars.Token[Any]]]] = {}


@setup_logging.connect
def use_django_logging(**_: Any) -> None:
    """Worker and beat log through the same LOGGING as the web (instead of Celery's own)."""
    configure_logging(settings.LOGGING)


@worker_init.connect
def freeze_before_forking(**_: Any) -> None:
    """The prefork pool's parent, with the tasks imported, before it forks the children."""
    freeze_loaded_app()


@worker_process_init.connect
def freeze_in_the_child(**_: Any) -> None:
    """Whatever the parent loaded after `worker_init` too. No collection here: it would walk,
    and so copy, every inherited page. A full collection of a loaded worker walks ~130k objects
    (110 ms, measured in the stack's environment)."""
    gc.freeze()


@before_task_publish.connect
def add_request_id_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = request_id_var.get()
    if request_id is not None and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@task_prerun.connect
def bind_request_id(task_id: str, task: Task, **_: Any) -> None:
    """The enqueuing request's id (or the current one, or a new one) for the task's logs."""
    request_id = (
        getattr(task.request, REQUEST_ID_HEADER, None) or request_id_var.get() or uuid.uuid4().hex
    )
    _restore[task_id] = (
        request_id_var.set(request_id),
        structlog.contextvars.bind_contextvars(task=task.name, task_id=task_id),
    )


@task_postrun.connect
def unbind_request_id(task_id: str, **_: Any) -> None:
    tokens = _restore.pop(task_id, None)
    if tokens is not None:
        request_token, structlog_tokens = tokens
        structlog.contextvars.reset_contextvars(**structlog_tokens)
        request_id_var.reset(request_token)


@task_postrun.connect
def release_database_connections(task: Task, **_: Any) -> None:
    """What Django does after each request: a pooled connection goes back to the pool, a broken
    or expired one is closed. An eager task runs inside its caller's request and transaction."""
    if not getattr(task.request, "is_eager", False):
        close_old_connections()


@task_success.connect
def count_success(sender: Task | None = None, **_: Any) -> None:
    _count(sender, "succeeded")


@task_failure.connect
def count_failure(sender: Task | None = None, **_: Any) -> None:
    _count(sender, "failed")


@task_retry.connect
def count_retry(sender: Task | None = None, **_: Any) -> None:
    _count(sender, "retried")


def _count(task: Task | None, outcome: str) -> None:
    name = getattr(task, "name", None) or "unknown"
    metrics.celery_task_outcomes.labels(task=name, outcome=outcome).inc()


@worker_ready.connect
def serve_worker_metrics(**_: Any) -> None:
    """A worker's counters on WORKER_METRICS_PORT (off when 0): tasks run in its children,
    so it needs PROMETHEUS_MULTIPROC_DIR to see them."""
    port: int = settings.WORKER_METRICS_PORT
    if port:
        from prometheus_client import start_http_server

        start_http_server(
            port,
            addr=settings.WORKER_METRICS_ADDRESS,
            registry=metrics.registry_for(settings.PROMETHEUS_MULTIPROC_DIR),
        )


@worker_process_shutdown.connect
def drop_dead_child_metrics(**_: Any) -> None:
    if settings.PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid(), settings.PROMETHEUS_MULTIPROC_DIR)  # type: ignore[no-untyped-call]
