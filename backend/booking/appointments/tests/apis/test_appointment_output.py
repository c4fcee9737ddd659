"""An appointment's JSON is built directly, not through DRF's fields; it must be exactly what
the declared (documented) fields give, for the customer's and the salon's serializer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework import serializers

from booking.accounts.tests.factories import UserFactory
from booking.appointments.apis import AppointmentOutputSerializer
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.salon_apis import SalonAppointmentOutputSerializer
from booking.appointments.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def through_declared_fields(serializer: serializers.Serializer, appointment: Appointment) -> dict:
    return dict(serializers.Serializer.to_representation(serializer, appointment))


@pytest.mark.parametrize(
    "serializer_class", [AppointmentOutputSerializer, SalonAppointmentOutputSerializer]
)
@pytest.mark.parametrize(
    "status", [AppointmentStatus.CONFIRMED, AppointmentStatus.CANCELLED_BY_CUSTOMER]
)
def test_the_json_is_what_the_declared_fields_give(serializer_class, status):
    berlin = dt.timezone(dt.timedelta(hours=1))
    appointment = AppointmentFactory(
        status=status,
        start=dt.datetime(2030, 1, 7, 10, 15, 0, 250_000, tzinfo=berlin),
        price=Decimal("12.5"),
        customer=UserFactory(first_name="Zoë", last_name="", phone="+4915112345678"),
    )
    appointment = Appointment.objects.select_related("salon", "service", "staff", "customer").get(
        id=appointment.id
    )
    serializer = serializer_class(appointment)

    direct = serializer.data

    assert direct == through_declared_fields(serializer, appointment)
    assert list(direct) == list(serializer.fields)
    assert direct["price"] == "12.50"
    assert direct["start"] == "2030-01-07T09:15:00.250000Z"
    assert (direct["cancellable_until"] is None) is (status != AppointmentStatus.CONFIRMED)


def test_a_list_is_built_the_same_way():
    appointments = AppointmentFactory.create_batch(2)

    listed = AppointmentOutputSerializer(appointments, many=True).data

    assert [row["id"] for row in listed] == [str(a.id) for a in appointments]
    assert listed[0] == through_declared_fields(AppointmentOutputSerializer(), appointments[0])
