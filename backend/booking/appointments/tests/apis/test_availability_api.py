from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.salons.tests.factories import ServiceFactory, open_salon

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), tick=False):
        yield


def url(salon, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/salons/{salon.id}/availability?{query}"


def test_it_lists_free_slots_in_the_salon_zone(api_client):
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(10))
    response = api_client.get(
        url(salon, service=service.id, **{"from": "2026-03-02", "to": "2026-03-02"})
    )
    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Europe/Berlin"
    assert body["slots"][0] == {
        "start": "2026-03-02T09:00:00+01:00",
        "end": "2026-03-02T09:30:00+01:00",
        "staff_ids": [str(stylist.id)],
    }
    assert len(body["slots"]) == 3


def test_it_filters_by_staff_member(api_client):
    salon, service, [first, second] = open_salon(staff_count=2)
    body = api_client.get(
        url(
            salon, service=service.id, staff=second.id, **{"from": "2026-03-02", "to": "2026-03-02"}
        )
    ).json()
    assert {tuple(slot["staff_ids"]) for slot in body["slots"]} == {(str(second.id),)}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-03-02", "to": "2026-04-15"}, "date_range_too_long"),
        ({"from": "2026-03-05", "to": "2026-03-02"}, "invalid_date_range"),
        ({"from": "yesterday", "to": "2026-03-02"}, "invalid"),
        ({"to": "2026-03-02"}, "invalid"),
    ],
)
def test_bad_ranges_are_400s(api_client, params, code):
    salon, service, _ = open_salon()
    response = api_client.get(url(salon, service=service.id, **params))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_a_service_of_another_salon_is_a_404(api_client):
    salon, _, _ = open_salon()
    foreign = ServiceFactory()
    response = api_client.get(
        url(salon, service=foreign.id, **{"from": "2026-03-02", "to": "2026-03-02"})
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "service_not_found"


def count_queries(api_client, salon, service, date_to="2026-03-31"):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(
            url(salon, service=service.id, **{"from": "2026-03-02", "to": date_to})
        )
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_is_the_same_for_1_and_many_staff(api_client):
    small = count_queries(api_client, *open_salon(staff_count=1)[:2])
    assert count_queries(api_client, *open_salon(staff_count=8)[:2]) == small
    assert small <= 9  # the salon's schedule snapshot (8) and its appointments (1)


def test_an_uncached_range_of_a_known_salon_reads_only_its_appointments(api_client):
    salon, service, _ = open_salon(staff_count=3)
    count_queries(api_client, salon, service)

    assert count_queries(api_client, salon, service, date_to="2026-03-09") == 1


def test_an_unknown_salon_is_a_404_salon_not_found(api_client):
    _, service, _ = open_salon()
    response = api_client.get(
        f"/api/v1/salons/00000000-0000-0000-0000-000000000000/availability?service={service.id}&from=2026-03-02&to=2026-03-02"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "salon_not_found"


def test_a_cache_hit_costs_no_query(api_client):
    salon, service, _ = open_salon()
    path = url(salon, service=service.id, **{"from": "2026-03-02", "to": "2026-03-08"})
    api_client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(path).status_code == 200
    assert len(queries) == 0
