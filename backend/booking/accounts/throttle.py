"""In front of allauth's headless API: a per-address limit on every endpoint (on top of
allauth's per-action limits), and a 404 for the features we leave off (phone numbers, login
and reauthentication codes), whose views allauth serves anyway and which fail without them."""

from __future__ import annotations

import re
from collections.abc import Callable

from allauth.core.internal import ratelimit
from django.http import HttpRequest, HttpResponse, JsonResponse

ACCOUNT_PATH_PREFIX = "/api/_allauth/"
DISABLED_FEATURES = re.compile(
    r"^/api/_allauth/[a-z]+/v1/(?:account/phone|auth/phone/|auth/code/|auth/reauthenticate/code/)"
)


class AccountThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ACCOUNT_PATH_PREFIX):
            return self.get_response(request)
        if DISABLED_FEATURES.match(request.path):
            return allauth_error(404, "not_found", "Not found.")
        if not ratelimit.consume(request, app="allauth.account", action="headless", limit_get=True):
            response = allauth_error(429, "too_many_requests", "Too many requests; slow down.")
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def allauth_error(status: int, code: str, message: str) -> JsonResponse:
    """allauth's own error shape, as on the rest of its endpoints."""
    return JsonResponse(
        {"status": status, "errors": [{"code": code, "message": message}]}, status=status
    )
