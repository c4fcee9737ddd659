from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone.", code="invalid_timezone")


def validate_currency(value: str) -> None:
    if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
        raise ValidationError("Use a three-letter ISO 4217 code, e.g. EUR.", code="currency")
