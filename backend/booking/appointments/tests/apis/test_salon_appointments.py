"""The salon's side: owners and staff see their salon's appointments and close them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.tests.factories import AppointmentFactory
from booking.salons.models import SalonMember
from booking.salons.tests.factories import SalonMemberFactory, open_salon

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def salon_with_booking():
    salon, service, [stylist] = open_salon()
    appointment = AppointmentFactory(
        service=service, staff=stylist, start=NOW - dt.timedelta(hours=2)
    )
    owner = SalonMemberFactory(salon=salon, role=SalonMember.Role.OWNER).user
    return salon, appointment, owner


def base(salon) -> str:
    return f"/api/v1/manage/salons/{salon.id}/appointments"


def test_the_owner_lists_the_salons_appointments_with_customer_contact(
    client_for, salon_with_booking
):
    salon, appointment, owner = salon_with_booking
    body = client_for(owner).get(base(salon)).json()
    assert body["count"] == 1
    assert body["results"][0]["customer_email"] == appointment.customer.email


def test_the_list_filters_by_status_and_time(client_for, salon_with_booking):
    salon, _, owner = salon_with_booking
    client = client_for(owner)
    assert client.get(base(salon) + "?status=cancelled_by_salon").json()["count"] == 0
    after = (NOW - dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert client.get(base(salon), {"start_after": after}).json()["count"] == 0


def test_staff_mark_a_started_appointment_completed(client_for, salon_with_booking):
    salon, appointment, _ = salon_with_booking
    staff_user = SalonMemberFactory(salon=salon, role=SalonMember.Role.STAFF).user
    response = client_for(staff_user).post(
        f"{base(salon)}/{appointment.id}/status", {"status": "completed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "completed"


def test_the_salon_cannot_set_confirmed_or_customer_cancellation(client_for, salon_with_booking):
    salon, appointment, owner = salon_with_booking
    for status in ("confirmed", "cancelled_by_customer", "bogus"):
        response = client_for(owner).post(
            f"{base(salon)}/{appointment.id}/status", {"status": status}, format="json"
        )
        assert response.status_code == 400


def test_the_salon_cancels_at_any_time(client_for, salon_with_booking):
    salon, _, owner = salon_with_booking
    soon = AppointmentFactory(
        service=salon.services.get(), staff=salon.staff.get(), start=NOW + dt.timedelta(hours=1)
    )
    response = client_for(owner).post(
        f"{base(salon)}/{soon.id}/status", {"status": "cancelled_by_salon"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled_by_salon"


def test_a_customer_and_another_salons_owner_get_404s(client_for, salon_with_booking):
    salon, appointment, _ = salon_with_booking
    other_owner = SalonMemberFactory(role=SalonMember.Role.OWNER).user
    for user in (appointment.customer, UserFactory(), other_owner):
        client = client_for(user)
        assert client.get(base(salon)).status_code == 404
        assert client.get(f"{base(salon)}/{appointment.id}").status_code == 404
        response = client.post(
            f"{base(salon)}/{appointment.id}/status", {"status": "completed"}, format="json"
        )
        assert response.status_code == 404


def test_an_appointment_of_another_salon_is_a_404_even_for_an_owner(client_for, salon_with_booking):
    salon, _, owner = salon_with_booking
    elsewhere = AppointmentFactory()
    assert client_for(owner).get(f"{base(salon)}/{elsewhere.id}").status_code == 404


def test_the_list_uses_the_same_queries_for_1_and_50_appointments(client_for, salon_with_booking):
    salon, appointment, owner = salon_with_booking

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(owner).get(base(salon) + "?page_size=50").status_code == 200
        return len(queries)

    one = count()
    for hour in range(49):
        AppointmentFactory(
            service=appointment.service,
            staff=appointment.staff,
            start=NOW + dt.timedelta(days=3, hours=hour),
        )
    assert count() == one
