from __future__ import annotations

from typing import Any

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.salons.tests.apis.conftest import SalonWorld, url
from booking.salons.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
STAFF_LIST = "salons/{salon}/staff"
STAFF = "salons/{salon}/staff/{staff}"
HOURS = "salons/{salon}/staff/{staff}/hours"


def test_it_adds_a_staff_member_with_services_and_a_login(
    client_for: Any, world: SalonWorld
) -> None:
    user = UserFactory()
    response = client_for(world.owner).post(
        url(STAFF_LIST, **world.ids()),
        {"display_name": "Ana", "service_ids": [str(world.service.id)], "user_email": user.email},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["service_ids"] == [str(world.service.id)]
    assert body["user_email"] == user.email
    salon_list = client_for(user).get(url("salons")).json()["results"]
    assert [s["role"] for s in salon_list] == ["staff"]


def test_it_rejects_services_of_another_salon(
    client_for: Any, world: SalonWorld, other_world: SalonWorld
) -> None:
    response = client_for(world.owner).post(
        url(STAFF_LIST, **world.ids()),
        {"display_name": "Ana", "service_ids": [str(other_world.service.id)]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_service"


def test_it_rejects_an_email_without_an_account(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(STAFF_LIST, **world.ids()),
        {"display_name": "Ana", "user_email": "nobody@example.com"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_user"


def test_it_changes_the_services_of_a_staff_member(client_for: Any, world: SalonWorld) -> None:
    other = ServiceFactory(salon=world.salon)
    response = client_for(world.owner).patch(
        url(STAFF, **world.ids()), {"service_ids": [str(other.id)]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["service_ids"] == [str(other.id)]


def test_it_takes_away_a_deactivated_staff_members_read_access(
    client_for: Any, world: SalonWorld
) -> None:
    owner = client_for(world.owner)
    response = owner.patch(url(STAFF, **world.ids()), {"is_active": False}, format="json")
    assert response.status_code == 200
    assert client_for(world.staff_user).get(url("salons/{salon}", **world.ids())).status_code == 404


def test_it_replaces_working_hours_with_several_intervals_a_day(
    client_for: Any, world: SalonWorld
) -> None:
    hours = [
        {"weekday": 1, "starts": "13:30:00", "ends": "18:00:00"},
        {"weekday": 1, "starts": "09:00:00", "ends": "12:30:00"},
    ]
    client = client_for(world.owner)
    response = client.put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 200
    assert client.get(url(HOURS, **world.ids())).json() == [hours[1], hours[0]]


def test_it_rejects_overlapping_working_hours(client_for: Any, world: SalonWorld) -> None:
    hours = [
        {"weekday": 1, "starts": "09:00", "ends": "13:00"},
        {"weekday": 1, "starts": "12:00", "ends": "18:00"},
    ]
    response = client_for(world.owner).put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "overlapping_intervals"


def test_it_rejects_a_weekday_out_of_range(client_for: Any, world: SalonWorld) -> None:
    hours = [{"weekday": 7, "starts": "09:00", "ends": "13:00"}]
    response = client_for(world.owner).put(url(HOURS, **world.ids()), hours, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
