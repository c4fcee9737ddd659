"""The OpenAPI schema as an exact contract: one error shape, its statuses, pagination, links.

- `AutoSchema` names nested serializers after their API class and, for every operation, adds
  the error responses the framework itself can give (400 for input, 401/403 behind sign-in,
  404 for path ids, 429 when throttled); `error_responses(409, 422)` adds what a service raises.
- The postprocessing hooks merge allauth's headless spec into ours and add OpenAPI links.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django_countries import countries
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
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"  # printable ASCII, no spaces
# Not entirely numeric, no NUL; "not common" and "not like your name" cannot be a pattern.
PASSWORD_PATTERN = r"^(?![0-9]+$)[^\x00]{8,128}$"
# A calendar date (YYYY-MM-DD, years 1000-9999; 29 February left out rather than described).
DATE_PATTERN = (
    r"^[1-9][0-9]{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))$"
)


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
    {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
    OpenApiParameter.HEADER,
    required=False,
    description="Retrying with the same key replays the first response instead of creating again.",
)


def date_parameter(name: str, description: str, *, required: bool = True) -> OpenApiParameter:
    """A `YYYY-MM-DD` query parameter."""
    schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    return OpenApiParameter(name, schema, required=required, description=description)


@extend_schema_field({"type": "string", "enum": TIME_ZONES, "example": "Europe/Berlin"})
class TimeZoneField(serializers.CharField):
    """An IANA time zone name; the service checks it against the zone database."""


@extend_schema_field(
    {
        "type": "string",
        "pattern": PASSWORD_PATTERN,
        "description": PASSWORD_POLICY,
        "example": "violet-harbour-lantern-42",
    }
)
class PasswordField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(write_only=True, max_length=128, **kwargs)


class PatternDecimalField(serializers.DecimalField):
    """A decimal written as a JSON string matching `pattern` (what the schema says, exactly)."""

    pattern = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


def _decimal_schema(pattern: re.Pattern[str], example: str) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^{pattern.pattern}$", "example": example}


_MONEY = re.compile(r"[0-9]{1,8}(?:\.[0-9]{1,2})?")
_LATITUDE = re.compile(r"-?(?:90(?:\.0{1,6})?|[1-8]?[0-9](?:\.[0-9]{1,6})?)")
_LONGITUDE = re.compile(r"-?(?:180(?:\.0{1,6})?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]{1,6})?)")


@extend_schema_field(_decimal_schema(_MONEY, "35.00"))
class MoneyAmountField(PatternDecimalField):
    """A decimal amount, written as a string: `35`, `35.5` or `35.00`; never a float."""

    pattern = _MONEY


@extend_schema_field(_decimal_schema(_LATITUDE, "52.520008"))
class LatitudeField(PatternDecimalField):
    pattern = _LATITUDE


@extend_schema_field(_decimal_schema(_LONGITUDE, "13.404954"))
class LongitudeField(PatternDecimalField):
    pattern = _LONGITUDE


_CLOCK = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?")


@extend_schema_field({"type": "string", "pattern": f"^{_CLOCK.pattern}$", "example": "09:30"})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time, `HH:MM` or `HH:MM:SS` (no fractions, no offset: the salon's zone)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M:%S", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            self.fail("invalid", format="HH:MM or HH:MM:SS")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"})
class CurrencyField(serializers.CharField):
    """An ISO 4217 code, upper case."""


@extend_schema_field({"type": "string", "pattern": r"^(?:\+[1-9][0-9]{6,14})?$"})
class PhoneField(serializers.CharField):
    """E.164 (`+` and country code) or empty; the server also checks the number is possible."""


@extend_schema_field({"type": "string", "enum": [code for code, _ in countries], "example": "DE"})
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code that django-countries knows."""


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        """LogoutApi.InputSerializer → LogoutInput: every API nests its own Input/Output."""
        name = super().get_serializer_name(serializer, direction)
        qualname = type(serializer).__qualname__
        if "." not in qualname:
            return name
        outer, inner = qualname.rsplit(".", 2)[-2:]
        return outer.removesuffix("Api") + inner.removesuffix("Serializer")

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in self._framework_errors():
            if str(status) not in responses:
                response = error_responses(status)[status]
                responses[str(status)] = self._get_response_for_code(
                    response, str(status), direction=direction
                )
        return responses

    def _operation_class(self) -> Any:
        """The single-operation API class (core.routing puts several behind one view)."""
        classes = getattr(self.view, "operation_classes", {})
        return classes.get(self.method.lower(), type(self.view))

    def _get_paginator(self) -> Any:
        pagination_class = getattr(self._operation_class(), "pagination_class", None)
        return pagination_class() if pagination_class else None

    def _framework_errors(self) -> list[int]:
        """The errors DRF and our middleware can return for this operation, whatever it does."""
        operation = self._operation_class()
        statuses = [400] if self._has_input() else []
        if not any(issubclass(p, AllowAny) for p in operation.permission_classes):
            statuses += [401, 403]
        paginated = getattr(operation, "pagination_class", None) and self.method == "GET"
        if "{" in self.path or paginated:  # an unknown id, or a page past the last
            statuses.append(404)
        if getattr(operation, "throttle_classes", None):
            statuses.append(429)
        if any(p.get("name") == "Idempotency-Key" for p in self._get_parameters()):
            statuses.append(422)  # the key was used with another body
        return statuses

    def _get_parameters(self) -> list[dict[str, Any]]:
        """An optional query parameter sent empty counts as absent (DRF reads forms that way)."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _has_input(self) -> bool:
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        return bool(self._get_parameters())
