from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from booking.core import db_routing

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReplicaMiddleware:
    """Writes read from the primary, read-your-writes marks after them, and one retry on the
    primary when a replica fails.

    The browser client's user is known from its session before anything loads the user row:
    right after that user wrote (a new password, say), the row that checks the session's
    password hash must come from the primary, or a lagging replica would end the session.

    A replica that dies between health probes fails the read that used it; for a safe request
    the view runs once more with reads on the primary, so the client never sees the outage.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with replica_routing(request):
            response = self.get_response(request)
        if request.method not in _SAFE_METHODS and response.status_code < 400:
            # A sign-in puts its user in the session only now (and a confirmed address with it).
            user_id = getattr(request, "authenticated_user_id", None) or _session_user_id(request)
            if user_id:
                db_routing.note_write(user_id)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        return rerun_on_primary(request, exception)


@contextlib.contextmanager
def replica_routing(request: HttpRequest) -> Iterator[None]:
    """The request's reads: on the primary for a write or just after its user wrote, else on
    a replica."""
    with db_routing.request_scope():
        if request.method not in _SAFE_METHODS:
            db_routing.pin_to_primary()  # what a write decides on must be current
        user_id = _session_user_id(request)
        if user_id:
            request.authenticated_user_id = user_id  # type: ignore[attr-defined]
            db_routing.bind_user(user_id)
        yield


def rerun_on_primary(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The view once more with reads on the primary, when a safe request's replica failed;
    None for any other failure."""
    alias = db_routing.replica_used()
    if alias is None or request.method not in _SAFE_METHODS:
        return None
    if not isinstance(exception, OperationalError):
        return None
    db_routing.mark_replica_down(alias)
    token = db_routing.pin_to_primary()
    try:
        match = request.resolver_match
        assert match is not None
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
    finally:
        db_routing.unpin(token)


def _session_user_id(request: HttpRequest) -> str | None:
    """The browser client's user, when the request sent a session or the view opened one;
    an unsent, unopened session is not read (reading it would add Vary: Cookie)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.accessed and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user_id = session.get(SESSION_KEY)
    return str(user_id) if user_id else None
