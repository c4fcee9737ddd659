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
