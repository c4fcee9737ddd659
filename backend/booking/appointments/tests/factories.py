from __future__ import annotations

import datetime as dt

import factory

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment
from booking.salons.tests.factories import ServiceFactory, StaffMemberFactory


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    service = factory.SubFactory(ServiceFactory)
    salon = factory.LazyAttribute(lambda o: o.service.salon)
    staff = factory.LazyAttribute(lambda o: StaffMemberFactory(salon=o.salon, services=[o.service]))
    customer = factory.SubFactory(UserFactory)
    start = dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC)
    end = factory.LazyAttribute(
        lambda o: o.start + dt.timedelta(minutes=o.service.duration_minutes)
    )
    occupied_until = factory.LazyAttribute(
        lambda o: o.end + dt.timedelta(minutes=o.service.buffer_after_minutes)
    )
    price = factory.LazyAttribute(lambda o: o.service.price)
    currency = factory.LazyAttribute(lambda o: o.service.currency)
    duration_minutes = factory.LazyAttribute(lambda o: o.service.duration_minutes)
    buffer_minutes = factory.LazyAttribute(lambda o: o.service.buffer_after_minutes)
