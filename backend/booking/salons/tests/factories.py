from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from booking.accounts.tests.factories import UserFactory
from booking.addresses.models import Address
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    line1 = factory.Sequence(lambda n: f"{n} Main Street")
    city = "Berlin"
    postal_code = "10115"
    country = "DE"


class SalonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Salon

    name = factory.Sequence(lambda n: f"Salon {n}")
    slug = factory.Sequence(lambda n: f"salon-{n}")
    address = factory.SubFactory(AddressFactory)
    timezone = "Europe/Berlin"


class SalonMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalonMember

    salon = factory.SubFactory(SalonFactory)
    user = factory.SubFactory(UserFactory)
    role = SalonMember.Role.OWNER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    salon = factory.SubFactory(SalonFactory)
    name = factory.Sequence(lambda n: f"Haircut {n}")
    duration_minutes = 30
    price = Decimal("35.00")
    currency = "EUR"


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    salon = factory.SubFactory(SalonFactory)
    display_name = factory.Sequence(lambda n: f"Stylist {n}")

    @factory.post_generation
    def services(self, create: bool, extracted: list[Service] | None, **kwargs: object) -> None:
        if create and extracted:
            self.services.set(extracted)


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    salon = factory.SubFactory(SalonFactory)
    weekday = 0
    opens = dt.time(9)
    closes = dt.time(17)


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    staff = factory.SubFactory(StaffMemberFactory)
    weekday = 0
    starts = dt.time(9)
    ends = dt.time(17)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    salon = factory.SubFactory(SalonFactory)
    start_date = dt.date(2030, 1, 1)
    end_date = dt.date(2030, 1, 1)


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    staff = factory.SubFactory(StaffMemberFactory)


def open_salon(
    *,
    timezone: str = "Europe/Berlin",
    opens: dt.time = dt.time(9),
    closes: dt.time = dt.time(17),
    staff_count: int = 1,
    duration_minutes: int = 30,
    buffer_after_minutes: int = 0,
    **salon_fields: object,
) -> tuple[Salon, Service, list[StaffMember]]:
    """A salon open daily with one service done by `staff_count` staff working all hours."""
    salon = SalonFactory(timezone=timezone, **salon_fields)
    service = ServiceFactory(
        salon=salon, duration_minutes=duration_minutes, buffer_after_minutes=buffer_after_minutes
    )
    staff = [StaffMemberFactory(salon=salon, services=[service]) for _ in range(staff_count)]
    for weekday in range(7):
        OpeningHoursFactory(salon=salon, weekday=weekday, opens=opens, closes=closes)
        for member in staff:
            WorkingHoursFactory(staff=member, weekday=weekday, starts=opens, ends=closes)
    return salon, service, staff
