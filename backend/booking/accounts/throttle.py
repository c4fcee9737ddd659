"""A per-address limit on every allauth endpoint, on top of allauth's per-action limits."""

from __future__ import annotations

from collections.abc import Callable

from allauth.core.internal import ratelimit
from django.http import HttpRequest, HttpResponse, JsonResponse

ACCOUNT_PATH_PREFIX = "/api/_allauth/"


class AccountThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ACCOUNT_PATH_PREFIX) and not ratelimit.consume(
            request, app="allauth.account", action="headless", limit_get=True
        ):
            # allauth's own error shape, as on the rest of its endpoints.
            error = {"code": "too_many_requests", "message": "Too many requests; slow down."}
            body = {"status": 429, "errors": [error]}
            return JsonResponse(body, status=429, headers={"Retry-After": "60"})
        return self.get_response(request)
