"""The customer's and the salon's appointment lists come from statements built once: the same
rows, in the same order, giving the same JSON as the ORM querysets they replace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.apis import AppointmentOutputSerializer
from booking.appointments.models import AppointmentStatus
from booking.appointments.salon_apis import SalonAppointmentOutputSerializer
from booking.appointments.selectors import (
    appointment_list_for_customer,
    appointment_list_for_salon,
    appointment_rows_for_customer,
    appointment_rows_for_salon,
)
from booking.appointments.tests.factories import AppointmentFactory
from booking.salons.tests.factories import ServiceFactory, StaffMemberFactory

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


def test_a_customer_with_no_appointments_has_an_empty_first_page(client_for):
    body = client_for(UserFactory()).get("/api/v1/appointments").json()
    assert body["count"] == 0
    assert body["results"] == []


def test_a_page_past_the_last_is_a_404(client_for, customer):
    response = client_for(customer).get("/api/v1/appointments?page=3&page_size=5")
    assert response.status_code == 404


@pytest.fixture
def salon_appointments():
    service = ServiceFactory()
    stylists = StaffMemberFactory.create_batch(2, salon=service.salon, services=[service])
    for n in range(6):
        AppointmentFactory(
            service=service,
            staff=stylists[n % 2],
            start=START + dt.timedelta(days=n // 2, hours=n % 3),
            status=AppointmentStatus.NO_SHOW if n == 4 else AppointmentStatus.CONFIRMED,
        )
    AppointmentFactory()  # another salon's
    return service.salon, stylists


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"date_from": START + dt.timedelta(days=1)},
        {"date_to": START + dt.timedelta(days=1, hours=1)},
        {"status": AppointmentStatus.NO_SHOW},
        {"staff": 1, "date_from": START},
    ],
    ids=["none", "from", "to", "status", "staff-and-from"],
)
def test_the_salons_rows_follow_its_filters_as_the_queryset_does(salon_appointments, filters):
    salon, stylists = salon_appointments
    filters = dict(filters)  # the parameter itself is shared between runs
    if "staff" in filters:
        filters["staff_id"] = stylists[filters.pop("staff")].id
    expected = _filtered_queryset(salon, **filters)
    rows = appointment_rows_for_salon(salon=salon, **filters)

    assert rows.count() == expected.count() > 0
    for start, stop in [(0, 2), (2, 10)]:
        window = rows[start:stop]
        assert [a.id for a in window] == [a.id for a in expected[start:stop]]
        as_json = SalonAppointmentOutputSerializer(window, many=True).data
        assert as_json == SalonAppointmentOutputSerializer(expected[start:stop], many=True).data


def _filtered_queryset(salon, date_from=None, date_to=None, status=None, staff_id=None):
    """The salon's list as the ORM filtered it before the statements took over."""
    lookups = {"start__gte": date_from, "start__lt": date_to, "status": status, "staff": staff_id}
    given = {name: value for name, value in lookups.items() if value}
    return appointment_list_for_salon(salon=salon).filter(**given)
