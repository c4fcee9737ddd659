"""One error shape for every error: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from booking.core.errors import ApplicationError

_DRF_CODES = {
    drf.ParseError: "malformed_json",
    drf.AuthenticationFailed: "not_authenticated",
    drf.NotAuthenticated: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
    drf.ValidationError: "invalid",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if not isinstance(exc, drf.APIException):
        return None  # a bug: handled by the 500 view below, never shown to clients
    set_rollback()
    return Response(_drf_error_body(exc), status=exc.status_code, headers=_headers(exc))


def _drf_error_body(exc: drf.APIException) -> dict[str, Any]:
    code = next((_DRF_CODES[k] for k in type(exc).__mro__ if k in _DRF_CODES), "error")
    if isinstance(exc, drf.ValidationError):
        return error_body(code, "The request is invalid; see details.", exc.detail)
    detail = exc.detail
    if isinstance(exc, drf.AuthenticationFailed | drf.NotAuthenticated) and isinstance(
        detail, dict
    ):
        # simplejwt puts token diagnostics in a dict; keep the human sentence as the message.
        return error_body(code, str(detail.get("detail", "Invalid token.")), detail)
    return error_body(code, str(detail))


def _headers(exc: drf.APIException) -> dict[str, str]:
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(auth_header)
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return headers


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side; please try again."),
        status=500,
    )


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("bad_request", "Bad request."), status=400)


def permission_denied_view(
    request: HttpRequest, exception: Exception | None = None
) -> JsonResponse:
    return JsonResponse(error_body("permission_denied", "Permission denied."), status=403)
