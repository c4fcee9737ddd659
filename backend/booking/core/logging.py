"""Structured logs: one JSON object per line for web, worker and beat, with the request's id.

Both structlog loggers and the standard library's (Django, Celery, our modules) go through one
`ProcessorFormatter`, so every line has the same keys whoever wrote it. Settings build the
LOGGING dict with `logging_config()`; Django applies it through `configure_logging` (named in
LOGGING_CONFIG) and Celery's worker and beat apply the same dict (see `celery_signals`).

The access line, written for every request, takes a shorter way: the middleware builds the
whole line itself (an `AccessLine`, keys in their final order) and logs it through the standard
library, whose formatter renders it as it is instead of running structlog's processor chain
twice around two LogRecords. Level filtering, handlers and Sentry's ignore list still apply.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import logging.config
import time
from collections.abc import Callable
from typing import Any

import orjson
import structlog
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from structlog.typing import EventDict, Processor, WrappedLogger

from booking.core.request_context import request_id_var

LOG_FORMATS = ("json", "console")

# The authenticated user of the request being served; set by the authentication class (DRF
# authenticates inside the view, after every middleware has run its request half).
user_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("user_id", default=None)

ACCESS_LOGGER = "booking.access"
access_logger = logging.getLogger(ACCESS_LOGGER)


def add_request_context(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Adds the current request id and user id, unless the event names its own."""
    request_id = request_id_var.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    user_id = user_id_var.get()
    if user_id is not None:
        event_dict.setdefault("user_id", user_id)
    return event_dict


SHARED_PROCESSORS: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    add_request_context,
]


_LEADING_KEYS = ("timestamp", "level", "logger", "event", "request_id", "user_id")


def leading_keys_first(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Puts the keys every line has first, so a human scanning the JSON finds them."""
    ordered = {key: event_dict.pop(key) for key in _LEADING_KEYS if key in event_dict}
    ordered.update(event_dict)
    return ordered


def to_json(obj: Any, **_: Any) -> str:
    """orjson, an order of magnitude faster than `json`; str() for what neither knows."""
    try:
        return orjson.dumps(obj, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # orjson refuses what `json` takes, e.g. integers beyond 64 bits
        return json.dumps(obj, default=str)


class AccessLine(dict[str, Any]):
    """A log line built whole, keys in order: `StructuredFormatter` renders it as it is.

    Any other formatter (pytest's, say) gets the same JSON as the message.
    """

    def __str__(self) -> str:
        return to_json(self)


class StructuredFormatter(structlog.stdlib.ProcessorFormatter):
    """structlog's formatter for every line, with a short way for an `AccessLine`."""

    def __init__(self, *args: Any, render_line: Callable[[AccessLine], str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.render_line = render_line

    def format(self, record: logging.LogRecord) -> str:
        if type(record.msg) is AccessLine:
            return self.render_line(record.msg)
        return super().format(record)


def _renderers(log_format: str) -> list[Processor]:
    if log_format == "console":
        return [structlog.dev.ConsoleRenderer(colors=False)]
    return [
        structlog.processors.format_exc_info,
        leading_keys_first,
        structlog.processors.JSONRenderer(serializer=to_json),
    ]


def _line_renderer(log_format: str) -> Callable[[AccessLine], str]:
    if log_format != "console":
        return to_json
    console = structlog.dev.ConsoleRenderer(colors=False)

    def render(line: AccessLine) -> str:
        return str(console(None, line["level"], dict(line)))

    return render


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING dict: everything to stdout through one structlog formatter."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": StructuredFormatter,
                "render_line": _line_renderer(log_format),
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *_renderers(log_format),
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "structured",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own handlers are replaced by ours; its per-request warnings (404, 401)
            # and runserver's access lines would be a second line per request.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
            "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        },
    }


def configure_logging(config: dict[str, Any]) -> None:
    """LOGGING_CONFIG: configure structlog for stdlib output, then apply the dict.

    Our lines carry no source location, thread or process, so the standard library need not
    look them up for every record (the logging HOWTO's "Optimization"): a third of the cost
    of the access line.
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    # Process ids stay: gunicorn's own log format prints them.
    logging.logMultiprocessing = False
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(config)


class AccessLogMiddleware:
    """One line per request: method, route, path, status, duration and who asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        token = user_id_var.set(None)  # threads are reused: never inherit the last user
        try:
            response = self.get_response(request)
            log_request(request, response.status_code, time.perf_counter() - started)
        finally:
            user_id_var.reset(token)
        return response


def log_request(request: HttpRequest, status: int, seconds: float) -> None:
    """The access line, in the shape every other line has (see `leading_keys_first`)."""
    error = status >= 500
    level = logging.ERROR if error else logging.INFO
    if not access_logger.isEnabledFor(level):
        return
    match = request.resolver_match
    line = AccessLine(
        timestamp=dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        level="error" if error else "info",
        logger=ACCESS_LOGGER,
        event="request",
        request_id=request_id_var.get(),
        user_id=user_id_var.get() or session_user_id(request),
        method=request.method,
        route=match.route if match is not None else None,
        path=request.path,
        status=status,
        duration_ms=round(seconds * 1000, 2),
    )
    access_logger.log(level, line)


def session_user_id(request: HttpRequest) -> str | None:
    """The user a session-authenticated view (the admin) looked at; never queries for it."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return str(user.pk) if user.is_authenticated else None
