"""The OpenAPI schema as an exact contract: one error shape, its statuses, pagination, links.

- `AutoSchema` names nested serializers after their API class and, for every operation, adds
  the error responses the framework itself can give (400 for input, 401/403 behind sign-in,
  404 for path ids, 429 when throttled); `error_responses(409, 422)` adds what a service raises.
- The postprocessing hooks merge allauth's headless spec into ours and add OpenAPI links.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR_DESCRIPTIONS = {
    400: "The request is invalid (`invalid`, `malformed_json`, or a specific code).",
    401: "Not signed in, or the token is invalid or expired (`not_authenticated`).",
    403: "Signed in, but the role does not allow this (`permission_denied`).",
    404: "No such object, or not yours to see (`not_found`).",
    405: "The method is not allowed here (`method_not_allowed`); see the Allow header.",
    409: "Conflicts with the current state (`conflict`, `slot_unavailable`, ...).",
    415: "The body is not JSON (`unsupported_media_type`).",
    422: "Understood but cannot be done (`unprocessable`, ...).",
    429: "Too many requests (`throttled`); see the Retry-After header.",
}
TIME_ZONES = sorted(zoneinfo.available_timezones())
PASSWORD_POLICY = (
    "At least 8 characters, not entirely numeric, not a common password, and not too similar "
    "to the e-mail or name."
)
IDEMPOTENCY_KEY_MAX_LENGTH = 255


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable; e.g. `slot_unavailable`.")
    message = serializers.CharField(help_text="For people; may change.")
    details = serializers.JSONField(help_text="Per-field messages or other context; may be {}.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """`responses={201: Out, **error_responses(409, 422)}`: the one error shape, per status."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
        for status in statuses
    }


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
     "pattern": r"^[!-~]+$"},
    OpenApiParameter.HEADER,
    required=False,
    description="Retrying with the same key replays the first response instead of creating again.",
)


def date_parameter(name: str, description: str, *, required: bool = True) -> OpenApiParameter:
    """A `YYYY-MM-DD` query parameter."""
    schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return OpenApiParameter(name, schema, required=required, description=description)


@extend_schema_field({"type": "string", "enum": TIME_ZONES, "example": "Europe/Berlin"})
class TimeZoneField(serializers.CharField):
    """An IANA time zone name; the service checks it against the zone database."""


@extend_schema_field(
    {"type": "string", "minLength": 8, "maxLength": 128, "description": PASSWORD_POLICY,
     "example": "violet-harbour-lantern-42"}
)
class PasswordField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(write_only=True, max_length=128, **kwargs)


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        """LogoutApi.InputSerializer → LogoutInput: every API nests its own Input/Output."""
        name = super().get_serializer_name(serializer, direction)
        qualname = type(serializer).__qualname__
        if "." not in qualname:
            return name
        outer, inner = qualname.rsplit(".", 2)[-2:]
        return outer.removesuffix("Api") + inner.removesuffix("Serializer")

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in self._framework_errors():
            if str(status) not in responses:
                response = error_responses(status)[status]
                responses[str(status)] = self._get_response_for_code(
                    response, str(status), direction=direction
                )
        return responses

    def _framework_errors(self) -> list[int]:
        """The errors DRF and our middleware can return for this operation, whatever it does."""
        statuses = [400] if self._has_input() else []
        if not any(issubclass(p, AllowAny) for p in self.view.permission_classes):
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
        if getattr(self.view, "throttle_classes", None):
            statuses.append(429)
        return statuses

    def _has_input(self) -> bool:
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        return bool(self._get_parameters())
