"""The demo data set planned in memory: unsaved model instances from `random.Random(seed)`.

One seed always gives the same data, ids included: every random draw happens in a fixed order,
and ids are uuid5 of (seed, size, serial number).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models.base import ModelState
from django.utils.text import slugify

from booking.accounts.models import User
from booking.addresses.models import Address
from booking.appointments.models import Appointment, AppointmentStatus
from booking.demo.tables import (
    CITIES,
    CUSTOMER_EMAIL,
    FIRST_NAMES,
    LAST_NAMES,
    OWNER_EMAIL,
    SALON_NAMES,
    SALON_WORDS,
    SERVICES,
    STAFF_EMAIL,
    WEEKS,
    City,
)
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

PAST_DAYS = 10
FUTURE_DAYS = 14
STEP = dt.timedelta(minutes=15)
Model = TypeVar("Model", bound=models.Model)
Week = dict[int, list[tuple[dt.time, dt.time]]]
_DEMO_NAMESPACE = uuid.UUID("5b1c9a4e-3f0d-4f7a-9d5e-8c2b6a1e0f47")
_FIELDS: dict[type[models.Model], tuple[str, ...]] = {}


@dataclass
class Plan:
    users: list[User] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    salons: list[Salon] = field(default_factory=list)
    members: list[tuple[Salon, str, str]] = field(default_factory=list)  # salon, email, role
    services: list[Service] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    staff_logins: list[tuple[StaffMember, str]] = field(default_factory=list)
    staff_services: list[tuple[StaffMember, Service]] = field(default_factory=list)
    opening_hours: list[OpeningHours] = field(default_factory=list)
    working_hours: list[WorkingHours] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)
    appointments: list[tuple[Appointment, str]] = field(default_factory=list)  # + customer email


def demo_data_plan(*, salons: int, seed: int, today: dt.date) -> Plan:
    """The complete demo data set for these arguments, unsaved."""
    return _Planner(seed=seed, salons=salons, today=today).build()


class _Planner:
    def __init__(self, *, seed: int, salons: int, today: dt.date) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.seed = seed
        self.serial = 0
        self.count = salons
        self.today = today
        self.plan = Plan()
        self.customer_emails = [CUSTOMER_EMAIL] + [
            f"customer{number}@example.com" for number in range(1, max(25, salons * 3))
        ]

    def uuid(self) -> uuid.UUID:
        """Deterministic for (seed, size), and disjoint from the ids of any other size, so a
        larger run over a smaller one's data never reuses an id for a different row."""
        self.serial += 1
        return uuid.uuid5(_DEMO_NAMESPACE, f"{self.seed}:{self.count}:{self.serial}")

    def build(self) -> Plan:
        self._users()
        for index in range(self.count):
            self._salon(index)
        return self.plan

    def _user(self, email: str) -> None:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        user_id = uuid.uuid5(_DEMO_NAMESPACE, f"user:{email}")  # the same person in every run
        self.plan.users.append(User(id=user_id, email=email, first_name=first, last_name=last))

    def _users(self) -> None:
        for email in (OWNER_EMAIL, STAFF_EMAIL, *self.customer_emails):
            self._user(email)
        for index in range(3, self.count):
            self._user(_owner_email(index))

    def _salon(self, index: int) -> None:
        city = CITIES[index % len(CITIES)]
        name = f"{self.rng.choice(SALON_WORDS)} {self.rng.choice(SALON_NAMES)} {city.name}"
        address = self._address(city)
        salon = Salon(
            id=self.uuid(),
            name=name,
            slug=f"{slugify(name)}-{index + 1}",
            address=address,
            description=f"A friendly neighbourhood salon in {city.name}.",
            timezone=city.timezone,
            min_notice_minutes=self.rng.choice((60, 120, 240)),
            horizon_days=self.rng.choice((30, 60, 90)),
            slot_step_minutes=self.rng.choice((15, 15, 30)),
        )
        self.plan.addresses.append(address)
        self.plan.salons.append(salon)
        self.plan.members.append((salon, _owner_email(index), SalonMember.Role.OWNER))
        services = self._services(salon, city)
        week = WEEKS[self.rng.randrange(len(WEEKS))]
        self.plan.opening_hours += [
            OpeningHours(id=self.uuid(), salon=salon, weekday=day, opens=opens, closes=closes)
            for day, intervals in sorted(week.items())
            for opens, closes in intervals
        ]
        for position in range(self.rng.randint(2, 4)):
            self._staff_member(salon, services, week, position, index)
        if self.rng.random() < 0.3:
            self._closure(salon)

    def _address(self, city: City) -> Address:
        rng = self.rng
        return Address(
            id=self.uuid(),
            line1=f"{rng.randint(1, 180)} {rng.choice(city.streets)}",
            city=city.name,
            region=city.region,
            postal_code=rng.choice(city.postcodes),
            country=city.country,
            latitude=city.latitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
            longitude=city.longitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
        )

    def _closure(self, salon: Salon) -> None:
        start = self.today + dt.timedelta(days=self.rng.randint(30, 90))
        self.plan.closures.append(
            Closure(
                id=self.uuid(),
                salon=salon,
                start_date=start,
                end_date=start + dt.timedelta(days=self.rng.randint(0, 6)),
                reason="Holidays",
            )
        )

    def _services(self, salon: Salon, city: City) -> list[Service]:
        chosen = self.rng.sample(SERVICES, self.rng.randint(2, 5))
        services = [
            Service(
                id=self.uuid(),
                salon=salon,
                name=name,
                duration_minutes=minutes,
                buffer_after_minutes=buffer,
                price=_local_price(euros * city.price_factor, city.currency),
                currency=city.currency,
            )
            for name, minutes, buffer, euros in chosen
        ]
        self.plan.services += services
        return services

    def _staff_member(
        self, salon: Salon, services: list[Service], week: Week, position: int, index: int
    ) -> None:
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}."
        member = StaffMember(id=self.uuid(), salon=salon, display_name=name)
        self.plan.staff.append(member)
        if index == 0 and position == 0:
            self.plan.staff_logins.append((member, STAFF_EMAIL))
        performed = rng.sample(services, rng.randint(1, len(services)))
        if position == 0:  # every service has at least one person doing it
            performed = services
        self.plan.staff_services += [(member, service) for service in performed]
        hours = self._working_hours(member, week)
        self._appointments(member, [s for s in services if s in performed], hours)
        if rng.random() < 0.2:
            self._time_off(member, ZoneInfo(salon.timezone))

    def _working_hours(self, member: StaffMember, week: Week) -> dict[int, list[WorkingHours]]:
        """Four or five of the salon's days, now and then only half of a day."""
        rng = self.rng
        days = sorted(rng.sample(sorted(week), min(len(week), rng.randint(4, 5))))
        hours: dict[int, list[WorkingHours]] = {}
        for day in days:
            intervals = week[day]
            if len(intervals) == 1 and rng.random() < 0.25:  # a half-day shift
                opens, closes = intervals[0]
                middle = dt.time((opens.hour + closes.hour) // 2)
                intervals = [(opens, middle)] if rng.random() < 0.5 else [(middle, closes)]
            hours[day] = [
                _instance(
                    WorkingHours,
                    id=self.uuid(),
                    staff_id=member.id,
                    weekday=day,
                    starts=starts,
                    ends=ends,
                )
                for starts, ends in intervals
            ]
            self.plan.working_hours += hours[day]
        return hours

    def _time_off(self, member: StaffMember, zone: ZoneInfo) -> None:
        start = self.today + dt.timedelta(days=self.rng.randint(FUTURE_DAYS + 7, 60))
        self.plan.time_off.append(
            TimeOff(
                id=self.uuid(),
                staff=member,
                reason="Vacation",
                start=dt.datetime.combine(start, dt.time(0), zone),
                end=dt.datetime.combine(
                    start + dt.timedelta(days=self.rng.randint(1, 7)), dt.time(0), zone
                ),
            )
        )

    def _appointments(
        self, member: StaffMember, services: list[Service], hours: dict[int, list[WorkingHours]]
    ) -> None:
        zone = ZoneInfo(member.salon.timezone)
        for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
            if offset == 0:
                continue  # leave today alone: its hours straddle "now"
            day = self.today + dt.timedelta(days=offset)
            for row in hours.get(day.weekday(), []):
                start = dt.datetime.combine(day, row.starts, zone)
                end = dt.datetime.combine(day, row.ends, zone)
                self._fill(member, services, start, end, past=offset < 0)

    def _fill(
        self,
        member: StaffMember,
        services: list[Service],
        cursor: dt.datetime,
        closes: dt.datetime,
        *,
        past: bool,
    ) -> None:
        """Appointments at random quarter hours between `cursor` and `closes`, none overlapping."""
        chance = 0.09 if past else 0.03
        while cursor < closes:
            if self.rng.random() >= chance:
                cursor += STEP
                continue
            service = self.rng.choice(services)
            end = cursor + dt.timedelta(minutes=service.duration_minutes)
            occupied = end + dt.timedelta(minutes=service.buffer_after_minutes)
            if occupied > closes:
                return
            status = _status(self.rng, past=past)
            appointment = _appointment(member, service, status, self.uuid(), cursor, occupied)
            self.plan.appointments.append((appointment, self.rng.choice(self.customer_emails)))
            cursor = occupied + (-(occupied - cursor.replace(minute=0)) % STEP)


def _appointment(
    member: StaffMember,
    service: Service,
    status: AppointmentStatus,
    appointment_id: uuid.UUID,
    start: dt.datetime,
    occupied: dt.datetime,
) -> Appointment:
    end = start + dt.timedelta(minutes=service.duration_minutes)
    return _instance(
        Appointment,
        id=appointment_id,
        salon_id=member.salon_id,
        service_id=service.id,
        staff_id=member.id,
        start=start.astimezone(dt.UTC),
        end=end.astimezone(dt.UTC),
        occupied_until=occupied.astimezone(dt.UTC),
        status=status,
        price=service.price,
        currency=service.currency,
        duration_minutes=service.duration_minutes,
        buffer_minutes=service.buffer_after_minutes,
        cancelled_at=(start - dt.timedelta(days=1)) if "cancelled" in status else None,
    )


def _instance(model: type[Model], **values: Any) -> Model:
    """An unsaved model instance with these attribute values, built without Model.__init__
    (which costs more than the rest of planning for the tens of thousands of appointment rows).
    Unnamed fields are None (timestamps are filled in on insert); no signals are sent."""
    fields = _FIELDS.get(model)
    if fields is None:
        fields = _FIELDS[model] = tuple(f.attname for f in model._meta.concrete_fields)
    instance = model.__new__(model)
    instance._state = ModelState()
    instance.__dict__.update({name: values.get(name) for name in fields})
    return instance


def _local_price(amount: Decimal, currency: str) -> Decimal:
    """Prices as salons write them: whole hundreds of yen, otherwise to the half unit."""
    if currency == "JPY":
        rounded = (amount / 100).quantize(Decimal(1)) * 100
    else:
        rounded = (amount * 2).quantize(Decimal(1)) / 2
    return rounded.quantize(Decimal("0.01"))


def _status(rng: random.Random, *, past: bool) -> AppointmentStatus:
    roll = rng.random()
    if not past:
        return (
            AppointmentStatus.CANCELLED_BY_CUSTOMER if roll < 0.08 else AppointmentStatus.CONFIRMED
        )
    if roll < 0.08:
        return AppointmentStatus.NO_SHOW
    if roll < 0.16:
        return AppointmentStatus.CANCELLED_BY_CUSTOMER
    if roll < 0.19:
        return AppointmentStatus.CANCELLED_BY_SALON
    return AppointmentStatus.COMPLETED


def _owner_email(index: int) -> str:
    return OWNER_EMAIL if index < 3 else f"owner{index + 1}@example.com"
