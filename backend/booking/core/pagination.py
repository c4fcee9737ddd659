"""One page of a list endpoint: `?page=`, `?page_size=` (at most 100), next and previous links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from booking.core.errors import ValidationFailed


class Pagination(PageNumberPagination):
    """`page` and `page_size` must be what the schema says; a page past the last is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return _positive_int(request, self.page_query_param, default=1, maximum=None)

    def get_page_size(self, request: Request) -> int:
        return _positive_int(
            request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            _parameter(self.page_query_param, "Page number, from 1.", None),
            _parameter(self.page_size_query_param, "Results per page.", self.max_page_size),
        ]


def _positive_int(request: Request, name: str, *, default: int, maximum: int | None) -> int:
    raw = request.query_params.get(name)
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= (maximum or 10**9):
        bound = f"1 to {maximum}" if maximum else "a whole number from 1"
        raise ValidationFailed(
            f"{name} must be {bound}.", code="invalid_page", details={name: [raw[:50]]}
        )
    return int(raw)


def _parameter(name: str, description: str, maximum: int | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": maximum or 10**9}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


class CountedRows:
    """A list's rows as two callables instead of a queryset: how many there are, and at most
    `limit` of them from `offset`. Django's paginator slices it like a queryset, so a list can
    run statements built once (booking.core.sql) rather than compile ORM queries per request."""

    def __init__(self, count: Callable[[], int], window: Callable[[int, int], list[Any]]) -> None:
        self._count, self._window = count, window

    def count(self) -> int:
        return self._count()

    def __getitem__(self, rows: slice) -> list[Any]:
        if not isinstance(rows, slice) or rows.step is not None or rows.stop is None:
            raise TypeError("CountedRows takes a bounded slice, as the paginator asks")
        offset = rows.start or 0
        return self._window(offset, max(rows.stop - offset, 0))


def paginated_response(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet | CountedRows,
    serializer_class: type[BaseSerializer],
    load: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> Response:
    """The requested page of `queryset`, each row through `serializer_class`.

    With `load`, `queryset` yields keys (ids) and `load` turns the page's keys into its rows:
    a deep page then skips its OFFSET over an index alone and reads only its own rows.
    """
    paginator = Pagination()
    # The paginator only counts and slices: CountedRows does both.
    rows_or_queryset = cast(QuerySet | Sequence[Any], queryset)
    page = paginator.paginate_queryset(rows_or_queryset, request, view=view) or []
    rows = load(list(page)) if load else page
    return paginator.get_paginated_response(serializer_class(rows, many=True).data)
