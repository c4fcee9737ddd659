"""Query parameters validated by a filter serializer bound once per serializer class.

A serializer deep-copies and binds its declared fields on every instance: for the availability
query, 0.06 ms a request, a fifth of computing the answer; bound once, 0.011-0.019 (bench
README, "Fifth round, continued (12)"). Here one instance per class validates every request:
`run_validation` keeps no state on the instance (`is_valid()` is what stores its results), so
threads can share it. The values and the errors are those `is_valid()` gives. The instance has
no context (no request): filters needing one keep `is_valid()`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


def validated_query(
    serializer_class: type[serializers.Serializer], params: Mapping[str, Any]
) -> dict[str, Any]:
    """The validated values of `params`; a DRF ValidationError listing every bad field."""
    return dict(_shared(serializer_class).run_validation(params))


@functools.cache
def _shared(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    serializer = serializer_class()
    serializer.fields  # noqa: B018  # copied and bound here, once, not by the first requests at once
    return serializer
