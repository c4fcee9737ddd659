from __future__ import annotations

from typing import Any

import pytest

from booking.appointments.tests.factories import AppointmentFactory
from booking.salons.tests.apis.conftest import SalonWorld, url

pytestmark = pytest.mark.django_db
SERVICES = "salons/{salon}/services"
SERVICE = "salons/{salon}/services/{service}"


def test_it_creates_a_service(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).post(
        url(SERVICES, **world.ids()),
        {
            "name": "Colour",
            "duration_minutes": 90,
            "buffer_after_minutes": 15,
            "price": "89.90",
            "currency": "EUR",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["price"] == "89.90"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"price": "-1"}, "price"),
        ({"currency": "euro"}, "currency"),
        ({"currency": "eur"}, "currency"),
    ],
)
def test_it_rejects_an_invalid_service(
    client_for: Any, world: SalonWorld, change: dict, field: str
) -> None:
    body = {"name": "Cut", "duration_minutes": 30, "price": "30", "currency": "EUR", **change}
    response = client_for(world.owner).post(url(SERVICES, **world.ids()), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["details"]


def test_a_booked_service_is_deactivated_not_deleted(client_for: Any, world: SalonWorld) -> None:
    AppointmentFactory(service=world.service, staff=world.staff_member)
    client = client_for(world.owner)
    response = client.patch(url(SERVICE, **world.ids()), {"is_active": False}, format="json")
    assert response.status_code == 200
    assert client.get(url(SERVICE, **world.ids())).json()["is_active"] is False
    # no DELETE: what it did was this PATCH, and a client reading the schema would expect
    # the service gone afterwards (schemathesis's use_after_free check did)
    assert client.delete(url(SERVICE, **world.ids())).status_code == 405
