"""The "My appointments" rows come from statements built once: the same rows, in the same
order, giving the same JSON as the ORM queryset they replace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.apis import AppointmentOutputSerializer
from booking.appointments.models import AppointmentStatus
from booking.appointments.selectors import (
    appointment_list_for_customer,
    appointment_rows_for_customer,
)
from booking.appointments.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC)


@pytest.fixture
def customer():
    customer = UserFactory()
    for day in range(5):
        AppointmentFactory(customer=customer, start=START + dt.timedelta(days=day))
    # Two at the same start: the id breaks the tie, as in the queryset.
    AppointmentFactory.create_batch(2, customer=customer, start=START)
    AppointmentFactory(
        customer=customer,
        start=START + dt.timedelta(days=9),
        status=AppointmentStatus.CANCELLED_BY_CUSTOMER,
    )
    AppointmentFactory()  # someone else's
    return customer


def test_the_count_is_the_customers_appointments(customer):
    assert appointment_rows_for_customer(customer=customer).count() == 8


@pytest.mark.parametrize(("start", "stop"), [(0, 3), (3, 6), (6, 9), (7, 20)])
def test_each_window_is_the_querysets_slice_as_json(customer, start, stop):
    expected = appointment_list_for_customer(customer=customer)[start:stop]
    window = appointment_rows_for_customer(customer=customer)[start:stop]

    assert [a.id for a in window] == [a.id for a in expected]
    as_json = AppointmentOutputSerializer(window, many=True).data
    assert as_json == AppointmentOutputSerializer(expected, many=True).data


def test_a_window_reads_no_deferred_field_while_it_is_rendered(customer):
    with CaptureQueriesContext(connection) as queries:
        window = appointment_rows_for_customer(customer=customer)[0:8]
        rendered = AppointmentOutputSerializer(window, many=True).data
    assert len(rendered) == 8
    assert len(queries) == 1


@pytest.mark.parametrize("bad", [slice(None, None), slice(0, 4, 2), 3])
def test_only_a_bounded_slice_is_taken(customer, bad):
    with pytest.raises(TypeError):
        appointment_rows_for_customer(customer=customer)[bad]


def test_a_customer_with_no_appointments_has_an_empty_first_page(client_for):
    body = client_for(UserFactory()).get("/api/v1/appointments").json()
    assert body["count"] == 0
    assert body["results"] == []


def test_a_page_past_the_last_is_a_404(client_for, customer):
    response = client_for(customer).get("/api/v1/appointments?page=3&page_size=5")
    assert response.status_code == 404
