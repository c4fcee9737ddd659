"""Typed application errors: services raise these; the API layer maps them to one JSON shape."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"
    default_message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    status_code = 400
    code = "invalid"


class PermissionDenied(ApplicationError):
    """The caller can see the object but lacks the role to change it."""

    status_code = 403
    code = "permission_denied"
    default_message = "Your role in this salon does not allow this."


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class SlotUnavailable(Conflict):
    code = "slot_unavailable"
    default_message = "That time is no longer available."


class Unprocessable(ApplicationError):
    status_code = 422
    code = "unprocessable"
