"""One view for the benchmark baseline (config.settings.bare)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "service": "bare"})


urlpatterns = [path("__bench/bare", bare)]
