"""One URL, several single-operation API classes.

Each operation is its own API class; `operations()` puts the classes that share a path behind
one view that hands each request to the class for its method (and shows them all in OpenAPI).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from rest_framework.views import APIView


def operations(**by_method: type[APIView]) -> Callable[..., HttpResponseBase]:
    views = {method: cls.as_view() for method, cls in by_method.items()}

    class Operations(APIView):
        # What the schema reads per operation (pagination, throttles, permissions).
        operation_classes = by_method

        def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            view = views.get((request.method or "").lower())
            if view is None:  # 405 (or 401) the usual way
                return super().dispatch(request, *args, **kwargs)
            return view(request, *args, **kwargs)

    for method, cls in by_method.items():
        # Schema generation reads the handler (and its @extend_schema) from the class.
        setattr(Operations, method, getattr(cls, method))
    Operations.__name__ = Operations.__qualname__ = "".join(
        cls.__name__.removeprefix("Managed").removesuffix("Api") for cls in by_method.values()
    )
    return Operations.as_view()
