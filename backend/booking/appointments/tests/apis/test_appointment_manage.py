"""A customer's own appointments: list, detail, cancel, reschedule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.tests.factories import AppointmentFactory
from booking.salons.tests.factories import SalonFactory, ServiceFactory, open_salon

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_list_shows_only_the_callers_appointments(client_for):
    mine = AppointmentFactory()
    AppointmentFactory()
    body = client_for(mine.customer).get("/api/v1/appointments").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(mine.id)


def test_the_list_uses_the_same_queries_for_1_and_50_appointments(client_for):
    customer = UserFactory()
    AppointmentFactory(customer=customer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client_for(customer).get("/api/v1/appointments?page_size=50")
        return len(queries)

    one = count()
    for hour in range(49):
        AppointmentFactory(customer=customer, start=NOW + dt.timedelta(days=3, hours=hour))
    assert count() == one


def test_cancel_before_the_cutoff(client_for):
    appointment = AppointmentFactory(start=NOW + dt.timedelta(days=2))
    response = client_for(appointment.customer).post(
        f"/api/v1/appointments/{appointment.id}/cancel"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled_by_customer"


def test_cancel_past_the_cutoff_is_a_409(client_for):
    appointment = AppointmentFactory(start=NOW + dt.timedelta(hours=5))
    response = client_for(appointment.customer).post(
        f"/api/v1/appointments/{appointment.id}/cancel"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cancellation_cutoff_passed"


def test_reschedule_to_a_free_time(client_for):
    _, service, [stylist] = open_salon()
    appointment = AppointmentFactory(
        service=service, staff=stylist, start=dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    )
    response = client_for(appointment.customer).post(
        f"/api/v1/appointments/{appointment.id}/reschedule",
        {"start": "2026-03-04T14:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["start"] == "2026-03-04T13:00:00Z"


def test_reschedule_to_a_taken_time_is_a_409_and_keeps_the_old_time(client_for):
    _, service, [stylist] = open_salon()
    start = dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    appointment = AppointmentFactory(service=service, staff=stylist, start=start)
    AppointmentFactory(service=service, staff=stylist, start=start + dt.timedelta(hours=3))
    response = client_for(appointment.customer).post(
        f"/api/v1/appointments/{appointment.id}/reschedule",
        {"start": (start + dt.timedelta(hours=3)).isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_unavailable"
    appointment.refresh_from_db()
    assert appointment.start == start


def test_the_detail_says_until_when_the_customer_may_cancel_or_reschedule(client_for):
    salon = SalonFactory(cancellation_cutoff_minutes=90)
    appointment = AppointmentFactory(
        service=ServiceFactory(salon=salon), start=dt.datetime(2026, 3, 1, 13, tzinfo=dt.UTC)
    )
    body = client_for(appointment.customer).get(f"/api/v1/appointments/{appointment.id}").json()
    assert body["cancellable_until"] == "2026-03-01T11:30:00Z"
    assert body["reschedulable_until"] == "2026-03-01T11:30:00Z"


def test_a_cancelled_appointment_has_no_cutoff_left(client_for):
    appointment = AppointmentFactory(start=NOW + dt.timedelta(days=2))
    body = client_for(appointment.customer).post(f"/api/v1/appointments/{appointment.id}/cancel")
    assert body.json()["cancellable_until"] is None
    assert body.json()["reschedulable_until"] is None


@pytest.mark.parametrize(("after_cutoff", "status"), [(dt.timedelta(0), 200), (SECOND, 409)])
def test_cancel_is_refused_exactly_after_the_cutoff_the_detail_shows(
    client_for, after_cutoff, status
):
    appointment = AppointmentFactory(start=NOW + dt.timedelta(days=2))
    url = f"/api/v1/appointments/{appointment.id}"
    shown = client_for(appointment.customer).get(url).json()["cancellable_until"]
    with time_machine.travel(dt.datetime.fromisoformat(shown) + after_cutoff, tick=False):
        response = client_for(appointment.customer).post(f"{url}/cancel")  # a token of then
    assert response.status_code == status
