from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """Names nested serializers after their API class (LogoutApi.InputSerializer → LogoutInput).

    Every API class nests its own InputSerializer/OutputSerializer, so the bare class names
    would collide in the OpenAPI components.
    """

    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        name = super().get_serializer_name(serializer, direction)
        qualname = type(serializer).__qualname__
        if "." not in qualname:
            return name
        outer, inner = qualname.rsplit(".", 2)[-2:]
        return outer.removesuffix("Api") + inner.removesuffix("Serializer")
