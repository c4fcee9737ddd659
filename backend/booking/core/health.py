"""Liveness and readiness. Both answer whatever the Host header is (see HealthHostMiddleware)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("health:ready", "1", timeout=5)
    if cache.get("health:ready") != "1":
        raise RuntimeError("cache did not return what was written")


CHECKS: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}


def ready(request: HttpRequest) -> JsonResponse:
    failing = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency makes us not ready
            logger.warning("readiness check %s failed: %s", name, exc)
            failing[name] = type(exc).__name__
    if failing:
        return JsonResponse(
            {
                "error": {
                    "code": "not_ready",
                    "message": "Dependencies are unavailable: " + ", ".join(sorted(failing)),
                    "details": failing,
                }
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")})
