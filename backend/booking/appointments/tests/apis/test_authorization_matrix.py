"""Who may touch what: anonymous, customer A vs B, members of salon X vs Y.

Objects the caller may not see answer 404, never 403, so existence does not leak.
"""

from __future__ import annotations

import datetime as dt

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.tests.factories import AppointmentFactory
from booking.salons.models import SalonMember
from booking.salons.tests.factories import SalonMemberFactory

pytestmark = pytest.mark.django_db

FUTURE = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=10)

CUSTOMER_ENDPOINTS = [
    ("get", "/api/v1/appointments/{a}", None),
    ("post", "/api/v1/appointments/{a}/cancel", None),
    (
        "post",
        "/api/v1/appointments/{a}/reschedule",
        {"start": (FUTURE + dt.timedelta(hours=1)).isoformat()},
    ),
]
SALON_ENDPOINTS = [
    ("get", "/api/v1/manage/salons/{s}/appointments", None),
    ("get", "/api/v1/manage/salons/{s}/appointments/{a}", None),
    ("post", "/api/v1/manage/salons/{s}/appointments/{a}/status", {"status": "cancelled_by_salon"}),
]


@pytest.fixture
def world():
    booked = AppointmentFactory(start=FUTURE)
    salon_x = booked.salon
    salon_y = AppointmentFactory(start=FUTURE).salon
    return {
        "appointment": booked,
        "salon": salon_x,
        "customer_a": booked.customer,
        "customer_b": UserFactory(),
        "owner_x": SalonMemberFactory(salon=salon_x, role=SalonMember.Role.OWNER).user,
        "staff_x": SalonMemberFactory(salon=salon_x, role=SalonMember.Role.STAFF).user,
        "owner_y": SalonMemberFactory(salon=salon_y, role=SalonMember.Role.OWNER).user,
        "staff_y": SalonMemberFactory(salon=salon_y, role=SalonMember.Role.STAFF).user,
    }


def call(client, method, template, body, world):
    path = template.format(a=world["appointment"].id, s=world["salon"].id)
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize(("method", "template", "body"), CUSTOMER_ENDPOINTS + SALON_ENDPOINTS)
def test_anonymous_callers_get_401(api_client, world, method, template, body):
    response = call(api_client, method, template, body, world)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("actor", ["customer_b", "owner_x", "staff_x", "owner_y", "staff_y"])
@pytest.mark.parametrize(("method", "template", "body"), CUSTOMER_ENDPOINTS)
def test_only_the_customer_reaches_their_appointment(
    client_for, world, actor, method, template, body
):
    response = call(client_for(world[actor]), method, template, body, world)
    assert response.status_code == 404
    assert Appointment.objects.get(id=world["appointment"].id).status == AppointmentStatus.CONFIRMED


@pytest.mark.parametrize("actor", ["customer_a", "customer_b", "owner_y", "staff_y"])
@pytest.mark.parametrize(("method", "template", "body"), SALON_ENDPOINTS)
def test_only_members_of_the_salon_reach_its_appointments(
    client_for, world, actor, method, template, body
):
    response = call(client_for(world[actor]), method, template, body, world)
    assert response.status_code == 404
    assert Appointment.objects.get(id=world["appointment"].id).status == AppointmentStatus.CONFIRMED


@pytest.mark.parametrize("actor", ["owner_x", "staff_x"])
@pytest.mark.parametrize(("method", "template", "body"), SALON_ENDPOINTS)
def test_members_of_the_salon_reach_its_appointments(
    client_for, world, actor, method, template, body
):
    assert call(client_for(world[actor]), method, template, body, world).status_code == 200


@pytest.mark.parametrize(
    ("method", "template", "body", "expected"),
    # The factory's salon has no opening hours, so the reschedule reaches the service and is
    # refused there: the caller was let through.
    [
        (*endpoint, status)
        for endpoint, status in zip(CUSTOMER_ENDPOINTS, [200, 200, 409], strict=True)
    ],
)
def test_the_customer_reaches_their_appointment(
    client_for, world, method, template, body, expected
):
    response = call(client_for(world["customer_a"]), method, template, body, world)
    assert response.status_code == expected
