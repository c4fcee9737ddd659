from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from booking.core.request_context import request_id_from_headers, request_id_var


class RequestIdMiddleware:
    """Gives every request an id, returns it in X-Request-ID and exposes it to logs and tasks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # META, not request.headers: that builds a copy of every header on first use.
        request_id = request_id_from_headers(
            request.META.get("HTTP_X_REQUEST_ID"), request.META.get("HTTP_X_AMZN_TRACE_ID")
        )
        token = request_id_var.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response
