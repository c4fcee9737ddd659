"""The web app (frontend/, a single-page app) on the embedded default: `make run` builds it and
Django serves it, so a newcomer opens http://127.0.0.1:8000/ and books. Files come from
WhiteNoise (WHITENOISE_ROOT); every other path outside the API answers the app's index.html,
whose router decides. Deployed topologies serve the same files from nginx or CloudFront."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, re_path

from booking.core.exceptions import error_body

# The app has no inline script or style (the same policy nginx sends in front of it).
WEB_APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Paths the API, the admin and the platform own: an unknown one is a JSON 404, never the app.
NOT_THE_APP = r"^(?!api/|admin/|static/|media/|health/|metrics)"


def web_app_index(request: HttpRequest) -> HttpResponse:
    index = Path(getattr(settings, "WEB_APP_DIR", "") or "") / "index.html"
    if not index.is_file():
        return JsonResponse(
            error_body(
                "web_app_not_built",
                "The web app is not built: run `make run` (or `make frontend-build`).",
            ),
            status=503,
        )
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a new release's index must be seen at once
    response["Content-Security-Policy"] = WEB_APP_CSP
    return response


def web_app_urls() -> list[URLPattern]:
    """The catch-all for the app's routes, where settings serve the app (WEB_APP_DIR)."""
    if not getattr(settings, "WEB_APP_DIR", None):
        return []
    return [re_path(NOT_THE_APP + r".*$", web_app_index, name="web-app")]
