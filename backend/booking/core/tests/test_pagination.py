"""CountedRows: a list endpoint's rows from two callables, paged like a queryset."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from booking.core.pagination import CountedRows

ROWS = list(range(23))


def counted() -> CountedRows:
    return CountedRows(
        count=lambda: len(ROWS), window=lambda offset, limit: ROWS[offset : offset + limit]
    )


@pytest.mark.parametrize(("number", "expected"), [(1, ROWS[:10]), (3, ROWS[20:])])
def test_djangos_paginator_counts_and_slices_it(number, expected):
    paginator = Paginator(counted(), 10)
    page = paginator.page(number)
    assert paginator.count == 23
    assert paginator.num_pages == 3
    assert list(page) == expected


@pytest.mark.parametrize("bad", [slice(None, None), slice(0, 4, 2), 3])
def test_only_a_bounded_slice_is_taken(bad):
    with pytest.raises(TypeError):
        counted()[bad]
