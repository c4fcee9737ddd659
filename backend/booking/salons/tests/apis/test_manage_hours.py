from __future__ import annotations

from typing import Any

import pytest

from booking.salons.models import OpeningHours
from booking.salons.tests.apis.conftest import SalonWorld, url
from booking.salons.tests.factories import OpeningHoursFactory

pytestmark = pytest.mark.django_db
HOURS = "salons/{salon}/hours"


def test_it_replaces_opening_hours_with_a_split_day(client_for: Any, world: SalonWorld) -> None:
    OpeningHoursFactory(salon=world.salon, weekday=6)
    hours = [
        {"weekday": 0, "opens": "09:00:00", "closes": "12:30:00"},
        {"weekday": 0, "opens": "13:30:00", "closes": "18:00:00"},
    ]
    response = client_for(world.owner).put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 200
    assert response.json() == hours
    assert OpeningHours.objects.filter(salon=world.salon).count() == 2


def test_it_rejects_overlapping_opening_hours(client_for: Any, world: SalonWorld) -> None:
    OpeningHoursFactory(salon=world.salon, weekday=6)
    hours = [
        {"weekday": 0, "opens": "09:00", "closes": "13:00"},
        {"weekday": 0, "opens": "12:00", "closes": "18:00"},
    ]
    response = client_for(world.owner).put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "overlapping_intervals"
    assert OpeningHours.objects.filter(salon=world.salon, weekday=6).exists()


def test_it_rejects_hours_that_close_before_they_open(client_for: Any, world: SalonWorld) -> None:
    hours = [{"weekday": 0, "opens": "18:00", "closes": "09:00"}]
    response = client_for(world.owner).put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_interval"


def test_it_rejects_a_body_that_is_not_a_list(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).put(url(HOURS, **world.ids()), {"x": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
