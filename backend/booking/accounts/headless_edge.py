"""What allauth's headless views answer outside their own flows, made to match the schema.

allauth validates a body before it looks at the method (so `DELETE .../auth/login` answered
400 instead of 405) and answers a body that is not a JSON object with an empty text/html 400;
Django's CSRF failure is an HTML page. Here every such answer under `/api/_allauth/` becomes
JSON in allauth's error shape, so a client generated from the schema can read each one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve

from booking.accounts.throttle import ACCOUNT_PATH_PREFIX, allauth_error

# What an error answer without a JSON body means on these paths; 403 can only be Django's
# CSRF check, since allauth answers its own refusals in JSON.
_CODES = {
    400: ("invalid", "The request body must be a JSON object."),
    403: ("csrf_failed", "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."),
}


class HeadlessEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(ACCOUNT_PATH_PREFIX):
            return self.get_response(request)
        allowed = _allowed_methods(request.path_info)
        if allowed is not None and request.method not in allowed:
            response = allauth_error(405, "method_not_allowed", "Method not allowed.")
            response["Allow"] = ", ".join(sorted(allowed))
            return response
        return _in_allauth_shape(self.get_response(request))


def _allowed_methods(path: str) -> set[str] | None:
    """The methods the resolved allauth view implements (None when nothing resolves)."""
    try:
        view_class = getattr(resolve(path).func, "view_class", None)
    except Resolver404:
        return None
    if view_class is None:
        return None
    names = {name for name in view_class.http_method_names if hasattr(view_class, name)}
    if "get" in names:
        names.add("head")
    return {name.upper() for name in names}


def _in_allauth_shape(response: HttpResponseBase) -> HttpResponseBase:
    if response.status_code < 400:
        return response
    body = _json_body(response)
    if isinstance(body, dict) and "status" in body:
        return response
    code, message = _code_and_message(response.status_code, body)
    shaped = allauth_error(response.status_code, code, message)
    for header in ("Retry-After", "Allow"):
        if header in response:
            shaped[header] = response[header]
    return shaped


def _code_and_message(status: int, body: object) -> tuple[str, str]:
    """Our own error answers (an unknown client is our 404) keep their code and message."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and "code" in error:
        return str(error["code"]), str(error.get("message", ""))
    if body is None and status in _CODES:
        return _CODES[status]
    phrase = HTTPStatus(status).phrase
    return phrase.lower().replace(" ", "_"), f"{phrase}."


def _json_body(response: HttpResponseBase) -> object:
    if not isinstance(response, HttpResponse):  # a streamed answer is a file, not an error
        return None
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None
