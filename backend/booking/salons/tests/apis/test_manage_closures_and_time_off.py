from __future__ import annotations

from typing import Any

import pytest

from booking.salons.tests.apis.conftest import SalonWorld, url

pytestmark = pytest.mark.django_db
CLOSURES = "salons/{salon}/closures"
TIME_OFF = "salons/{salon}/staff/{staff}/time-off"


def test_it_adds_a_closure(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(CLOSURES, **world.ids()),
        {"start_date": "2031-12-24", "end_date": "2031-12-26", "reason": "Holidays"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["end_date"] == "2031-12-26"


def test_it_rejects_a_closure_ending_before_it_starts(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(CLOSURES, **world.ids()),
        {"start_date": "2031-12-26", "end_date": "2031-12-24"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_range"


def test_it_adds_time_off_with_offsets(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(TIME_OFF, **world.ids()),
        {"start": "2031-03-01T09:00:00+01:00", "end": "2031-03-01T13:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 201
    listed = client_for(world.staff_user).get(url(TIME_OFF, **world.ids())).json()["results"]
    assert response.json()["id"] in [t["id"] for t in listed]


def test_it_rejects_naive_time_off(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(TIME_OFF, **world.ids()),
        {"start": "2031-03-01T09:00:00", "end": "2031-03-01T13:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "start" in error["details"]


def test_it_rejects_time_off_ending_before_it_starts(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(TIME_OFF, **world.ids()),
        {"start": "2031-03-01T13:00:00+01:00", "end": "2031-03-01T09:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_range"
