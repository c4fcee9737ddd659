"""Input (query parameters, a request body) validated by a serializer bound once per class.

A serializer deep-copies and binds its declared fields on every instance: for the availability
query, 0.06 ms a request, a fifth of computing the answer; bound once, 0.011-0.019 (bench
README, "Fifth round, continued (12)"); for a booking's body, 0.13 ms against 0.03. Here one
instance per class validates every request: `run_validation` keeps no state on the instance
(`is_valid()` is what stores its results), so threads can share it. The values and the errors
are those `is_valid()` gives. The instance has no context (no request) and validates whole
input only: serializers needing either keep `is_valid()`.
"""

from __future__ import annotations

import functools
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings


def validated_input(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated values of `data` (query parameters, or a body as the client sent it); a
    DRF ValidationError listing every bad field."""
    try:
        return dict(_shared(serializer_class).run_validation(data))
    except serializers.ValidationError as exc:
        if isinstance(exc.detail, list):  # a null body, reported as `is_valid()` reports it
            missing = ErrorDetail("No data provided", code="null")
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [missing]}
            ) from None
        raise


@functools.cache
def _shared(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    serializer = serializer_class()
    serializer.fields  # noqa: B018  # copied and bound here, once, not by the first requests at once
    return serializer
