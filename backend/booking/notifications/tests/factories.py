from __future__ import annotations

import factory
from django.utils import timezone

from booking.appointments.tests.factories import AppointmentFactory
from booking.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    appointment = factory.SubFactory(AppointmentFactory)
    channel = "email"
    kind = "booking_confirmation"
    recipient = factory.LazyAttribute(lambda o: o.appointment.customer.email)
    due_at = factory.LazyFunction(timezone.now)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
