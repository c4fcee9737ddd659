from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest
from django.http import QueryDict
from rest_framework import serializers

from booking.core.validation import validated_input


class _Filters(serializers.Serializer):
    service = serializers.UUIDField(source="service_id")
    day = serializers.DateField()
    city = serializers.CharField(required=False, max_length=5)


SERVICE = "9f1c2d4e-0000-4000-8000-000000000001"


def test_values_are_keyed_by_each_fields_source():
    values = validated_input(_Filters, QueryDict(f"service={SERVICE}&day=2026-12-04"))

    assert values == {"service_id": UUID(SERVICE), "day": dt.date(2026, 12, 4)}


def test_every_bad_field_is_listed_by_its_name():
    with pytest.raises(serializers.ValidationError) as raised:
        validated_input(_Filters, QueryDict("service=nope&city=toolong"))

    assert set(raised.value.detail) == {"service", "day", "city"}
    assert raised.value.detail["day"][0].code == "required"


@pytest.mark.parametrize(
    "query",
    [
        f"service={SERVICE}&day=2026-12-04&city=Rome",
        f"service={SERVICE}&day=2026-02-30",
        "day=yesterday&city=",
        "",
    ],
)
def test_it_answers_what_the_serializer_answers(query):
    assert_same_answer(QueryDict(query))


@pytest.mark.parametrize(
    "body",
    [{"service": SERVICE, "day": "2026-12-04"}, {"day": 5}, [SERVICE], "text", None, {}],
    ids=["valid", "wrong type", "a list", "a string", "null", "empty"],
)
def test_a_body_gets_the_serializers_answer_whatever_its_json_holds(body):
    assert_same_answer(body)


def assert_same_answer(data):
    serializer = _Filters(data=data)
    expected = serializer.validated_data if serializer.is_valid() else serializer.errors

    try:
        answer = validated_input(_Filters, data)
    except serializers.ValidationError as exc:
        answer = exc.detail

    assert answer == expected
