from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from booking.core import health

_ROUTES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": health.live,
    "/health/ready": health.ready,
}


class HealthCheckMiddleware:
    """Answers health checks before host validation and the HTTPS redirect.

    Load balancers and orchestrators probe by IP address over plain HTTP; neither their Host
    header nor their scheme should turn a healthy process into a failing check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = _ROUTES.get(request.path_info.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
