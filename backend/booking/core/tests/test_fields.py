from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers

from booking.core.fields import UtcDateTimeField

INSTANTS = [
    dt.datetime(2030, 1, 7, 10, 15, tzinfo=dt.UTC),
    dt.datetime(2030, 1, 7, 10, 15, 0, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    dt.datetime(2030, 3, 31, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # in the spring gap
    dt.datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=-9.5))),
    dt.datetime(2030, 1, 7, 10, 15),  # naive: DRF reads it in the current time zone
]


@pytest.mark.parametrize("value", INSTANTS, ids=str)
def test_an_instant_is_written_as_drf_writes_it(value):
    written = UtcDateTimeField().to_representation(value)

    assert written == serializers.DateTimeField().to_representation(value)
    assert written.endswith("Z")


def test_nothing_stays_nothing():
    assert UtcDateTimeField().to_representation(None) is None
