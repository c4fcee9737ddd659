"""Deterministic, realistic demo data: salons around the world with services, staff, hours,
customers and appointments.

The whole data set is planned in memory from `random.Random(seed)` (so one seed always gives
the same data, ids included) and only then compared with the database: salons whose slug
exists and users whose email exists are left alone, so running it again adds nothing.
Rows are written with bulk_create in batches; one password hash is shared by every demo user.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from booking.accounts.models import User
from booking.addresses.models import Address
from booking.appointments.models import Appointment, AppointmentStatus
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

DEMO_PASSWORD = "demo-password-123"
OWNER_EMAIL = "owner@example.com"
STAFF_EMAIL = "staff@example.com"
CUSTOMER_EMAIL = "customer@example.com"
BATCH = 2000
_FIELDS: dict[type[models.Model], tuple[str, ...]] = {}
M = TypeVar("M", bound=models.Model)
PAST_DAYS = 10
FUTURE_DAYS = 14
STEP = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class City:
    name: str
    region: str
    country: str
    timezone: str
    currency: str
    price_factor: Decimal  # local price of one euro's worth of service, roughly
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    latitude: Decimal
    longitude: Decimal


CITIES = (
    City(
        "Berlin",
        "Berlin",
        "DE",
        "Europe/Berlin",
        "EUR",
        Decimal(1),
        ("Torstraße", "Kastanienallee", "Bergmannstraße", "Oranienstraße"),
        ("10119", "10435", "10961", "10999"),
        Decimal("52.520008"),
        Decimal("13.404954"),
    ),
    City(
        "Munich",
        "Bavaria",
        "DE",
        "Europe/Berlin",
        "EUR",
        Decimal("1.1"),
        ("Leopoldstraße", "Sendlinger Straße", "Gärtnerplatz"),
        ("80802", "80331", "80469"),
        Decimal("48.135124"),
        Decimal("11.581981"),
    ),
    City(
        "London",
        "Greater London",
        "GB",
        "Europe/London",
        "GBP",
        Decimal("0.95"),
        ("Camden High Street", "Brick Lane", "King's Road", "Upper Street"),
        ("NW1 7JE", "E1 6QL", "SW3 4UD", "N1 0PN"),
        Decimal("51.507351"),
        Decimal("-0.127758"),
    ),
    City(
        "Manchester",
        "Greater Manchester",
        "GB",
        "Europe/London",
        "GBP",
        Decimal("0.8"),
        ("Oldham Street", "Deansgate"),
        ("M1 1JQ", "M3 4LY"),
        Decimal("53.480759"),
        Decimal("-2.242631"),
    ),
    City(
        "New York",
        "NY",
        "US",
        "America/New_York",
        "USD",
        Decimal("1.4"),
        ("Bedford Avenue", "Bleecker Street", "Atlantic Avenue", "Amsterdam Avenue"),
        ("11211", "10014", "11217", "10024"),
        Decimal("40.712776"),
        Decimal("-74.005974"),
    ),
    City(
        "Boston",
        "MA",
        "US",
        "America/New_York",
        "USD",
        Decimal("1.3"),
        ("Newbury Street", "Hanover Street"),
        ("02116", "02113"),
        Decimal("42.360081"),
        Decimal("-71.058884"),
    ),
    City(
        "Los Angeles",
        "CA",
        "US",
        "America/Los_Angeles",
        "USD",
        Decimal("1.4"),
        ("Sunset Boulevard", "Abbot Kinney Boulevard", "Melrose Avenue"),
        ("90026", "90291", "90046"),
        Decimal("34.052235"),
        Decimal("-118.243683"),
    ),
    City(
        "San Francisco",
        "CA",
        "US",
        "America/Los_Angeles",
        "USD",
        Decimal("1.5"),
        ("Valencia Street", "Hayes Street"),
        ("94110", "94102"),
        Decimal("37.774929"),
        Decimal("-122.419418"),
    ),
    City(
        "Tokyo",
        "Tokyo",
        "JP",
        "Asia/Tokyo",
        "JPY",
        Decimal(150),
        ("Omotesando", "Shimokitazawa", "Nakameguro"),
        ("150-0001", "155-0031", "153-0061"),
        Decimal("35.676192"),
        Decimal("139.650311"),
    ),
    City(
        "Osaka",
        "Osaka",
        "JP",
        "Asia/Tokyo",
        "JPY",
        Decimal(130),
        ("Shinsaibashi", "Horie"),
        ("542-0085", "550-0014"),
        Decimal("34.693737"),
        Decimal("135.502167"),
    ),
    City(
        "Sydney",
        "NSW",
        "AU",
        "Australia/Sydney",
        "AUD",
        Decimal("1.7"),
        ("Oxford Street", "King Street", "Crown Street"),
        ("2010", "2042", "2010"),
        Decimal("-33.868820"),
        Decimal("151.209290"),
    ),
)
SALON_WORDS = ("Studio", "Salon", "Atelier", "House", "Barbers", "Hair Lab", "Cuts", "Room")
SALON_NAMES = (
    "Lumen",
    "Golden Scissors",
    "Fern",
    "Mane Street",
    "Bloom",
    "North",
    "Indigo",
    "Copper",
    "Velvet",
    "Maple",
    "Juniper",
    "Atlas",
    "Sage",
    "Cobalt",
    "Willow",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Chloé",
    "David",
    "Elif",
    "Finn",
    "Grace",
    "Hiro",
    "Isla",
    "Jonas",
    "Kemi",
    "Leon",
    "Maya",
    "Noah",
    "Olivia",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Yuki",
    "Zoe",
    "Aiko",
    "Liam",
    "Mia",
    "Ravi",
    "Sofia",
)
LAST_NAMES = (
    "Schmidt",
    "Smith",
    "Tanaka",
    "Garcia",
    "Müller",
    "Brown",
    "Kim",
    "Rossi",
    "Nguyen",
    "Walker",
    "Sato",
    "Novak",
    "Khan",
    "Fischer",
    "Murphy",
    "Silva",
)
# (name, minutes, buffer, price in EUR)
SERVICES = (
    ("Women's haircut", 60, 10, Decimal(55)),
    ("Men's haircut", 30, 5, Decimal(28)),
    ("Beard trim", 15, 0, Decimal(15)),
    ("Full colour", 120, 15, Decimal(95)),
    ("Highlights", 90, 15, Decimal(85)),
    ("Blow-dry", 45, 0, Decimal(35)),
    ("Kids' haircut", 30, 0, Decimal(18)),
    ("Manicure", 45, 10, Decimal(30)),
)
T = dt.time
# Weekly patterns: weekday -> list of (opens, closes); Sunday (6) is always closed.
WEEKS: tuple[dict[int, list[tuple[dt.time, dt.time]]], ...] = (
    {**{d: [(T(9), T(18))] for d in range(5)}, 5: [(T(10), T(16))]},
    {**{d: [(T(9), T(12, 30)), (T(13, 30), T(18))] for d in range(1, 5)}, 5: [(T(9), T(14))]},
    {**{d: [(T(10), T(19))] for d in range(6)}, 3: [(T(10), T(20))]},
    {**{d: [(T(8, 30), T(12, 30)), (T(14), T(18, 30))] for d in range(5)}, 5: [(T(9), T(13))]},
)


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


@dataclass(frozen=True)
class SeedResult:
    created: dict[str, int]
    skipped: bool = False
    logins: tuple[tuple[str, str], ...] = (
        (OWNER_EMAIL, DEMO_PASSWORD),
        (STAFF_EMAIL, DEMO_PASSWORD),
        (CUSTOMER_EMAIL, DEMO_PASSWORD),
    )


_DEMO_NAMESPACE = uuid.UUID("5b1c9a4e-3f0d-4f7a-9d5e-8c2b6a1e0f47")


class _Planner:
    def __init__(self, *, seed: int, salons: int, today: dt.date) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.seed = seed
        self.serial = 0
        self.count = salons
        self.today = today
        self.plan = Plan()
        self.customer_emails = [CUSTOMER_EMAIL] + [
            f"customer{n}@example.com" for n in range(1, max(25, salons * 3))
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
        rng, city = self.rng, CITIES[index % len(CITIES)]
        name = f"{rng.choice(SALON_WORDS)} {rng.choice(SALON_NAMES)} {city.name}"
        address = Address(
            id=self.uuid(),
            line1=f"{rng.randint(1, 180)} {rng.choice(city.streets)}",
            city=city.name,
            region=city.region,
            postal_code=rng.choice(city.postcodes),
            country=city.country,
            latitude=city.latitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
            longitude=city.longitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
        )
        salon = Salon(
            id=self.uuid(),
            name=name,
            slug=f"{slugify(name)}-{index + 1}",
            address=address,
            description=f"A friendly neighbourhood salon in {city.name}.",
            timezone=city.timezone,
            min_notice_minutes=rng.choice((60, 120, 240)),
            horizon_days=rng.choice((30, 60, 90)),
            slot_step_minutes=rng.choice((15, 15, 30)),
        )
        self.plan.addresses.append(address)
        self.plan.salons.append(salon)
        self.plan.members.append((salon, _owner_email(index), SalonMember.Role.OWNER))
        services = self._services(salon, city)
        week = WEEKS[rng.randrange(len(WEEKS))]
        self.plan.opening_hours += [
            OpeningHours(id=self.uuid(), salon=salon, weekday=d, opens=o, closes=c)
            for d, intervals in sorted(week.items())
            for o, c in intervals
        ]
        for position in range(rng.randint(2, 4)):
            self._staff_member(salon, services, week, position, index)
        if rng.random() < 0.3:
            start = self.today + dt.timedelta(days=rng.randint(30, 90))
            self.plan.closures.append(
                Closure(
                    id=self.uuid(),
                    salon=salon,
                    start_date=start,
                    end_date=start + dt.timedelta(days=rng.randint(0, 6)),
                    reason="Holidays",
                )
            )

    def _services(self, salon: Salon, city: City) -> list[Service]:
        chosen = self.rng.sample(SERVICES, self.rng.randint(2, 5))
        services = []
        for name, minutes, buffer, eur in chosen:
            price = _local_price(eur * city.price_factor, city.currency)
            services.append(
                Service(
                    id=self.uuid(),
                    salon=salon,
                    name=name,
                    duration_minutes=minutes,
                    buffer_after_minutes=buffer,
                    price=price,
                    currency=city.currency,
                )
            )
        self.plan.services += services
        return services

    def _staff_member(
        self, salon: Salon, services: list[Service], week: dict, position: int, index: int
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
        self.plan.staff_services += [(member, s) for s in performed]
        days = sorted(rng.sample(sorted(week), min(len(week), rng.randint(4, 5))))
        hours: dict[int, list[WorkingHours]] = {}
        for day in days:
            intervals = week[day]
            if len(intervals) == 1 and rng.random() < 0.25:  # a half-day shift
                opens, closes = intervals[0]
                middle = T((opens.hour + closes.hour) // 2)
                intervals = [(opens, middle)] if rng.random() < 0.5 else [(middle, closes)]
            hours[day] = [
                _fast(
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
        self._appointments(member, [s for s in services if s in performed], hours)
        if rng.random() < 0.2:
            start = self.today + dt.timedelta(days=rng.randint(FUTURE_DAYS + 7, 60))
            zone = ZoneInfo(salon.timezone)
            self.plan.time_off.append(
                TimeOff(
                    id=self.uuid(),
                    staff=member,
                    reason="Vacation",
                    start=dt.datetime.combine(start, T(0), zone),
                    end=dt.datetime.combine(
                        start + dt.timedelta(days=rng.randint(1, 7)), T(0), zone
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
                self._fill(
                    member,
                    services,
                    start,
                    dt.datetime.combine(day, row.ends, zone),
                    past=offset < 0,
                )

    def _fill(
        self,
        member: StaffMember,
        services: list[Service],
        cursor: dt.datetime,
        closes: dt.datetime,
        *,
        past: bool,
    ) -> None:
        rng, chance = self.rng, 0.09 if past else 0.03
        while cursor < closes:
            if rng.random() >= chance:
                cursor += STEP
                continue
            service = rng.choice(services)
            end = cursor + dt.timedelta(minutes=service.duration_minutes)
            occupied = end + dt.timedelta(minutes=service.buffer_after_minutes)
            if occupied > closes:
                return
            status = _status(rng, past=past)
            appointment = _fast(
                Appointment,
                id=self.uuid(),
                salon_id=member.salon_id,
                service_id=service.id,
                staff_id=member.id,
                start=cursor.astimezone(dt.UTC),
                end=end.astimezone(dt.UTC),
                occupied_until=occupied.astimezone(dt.UTC),
                status=status,
                price=service.price,
                currency=service.currency,
                duration_minutes=service.duration_minutes,
                buffer_minutes=service.buffer_after_minutes,
                cancelled_at=(cursor - dt.timedelta(days=1)) if "cancelled" in status else None,
            )
            self.plan.appointments.append((appointment, rng.choice(self.customer_emails)))
            cursor = occupied + (-(occupied - cursor.replace(minute=0)) % STEP)


def _fast(model: type[M], **values: Any) -> M:
    """A model instance built positionally: several times faster than keyword arguments, which
    matters for the tens of thousands of appointment rows. Unnamed fields are None (timestamps
    are filled in on insert)."""
    fields = _FIELDS.get(model)
    if fields is None:
        fields = _FIELDS[model] = tuple(f.attname for f in model._meta.concrete_fields)
    return model(*[values.get(name) for name in fields])


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


def demo_plan(*, salons: int, seed: int, today: dt.date) -> Plan:
    """The complete demo data set for these arguments, unsaved."""
    return _Planner(seed=seed, salons=salons, today=today).build()


def seed_demo(
    *, salons: int = 20, seed: int = 1, if_empty: bool = False, today: dt.date | None = None
) -> SeedResult:
    if if_empty and Salon.objects.exists():
        return SeedResult(created={}, skipped=True)
    plan = demo_plan(salons=salons, seed=seed, today=today or timezone.localdate())
    with transaction.atomic():
        return SeedResult(created=_write(plan))


def _existing(model: type[models.Model], field_name: str, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values, BATCH):
        found.update(
            model._default_manager.filter(**{f"{field_name}__in": chunk}).values_list(
                field_name, flat=True
            )
        )
    return found


def _user_ids(emails: Sequence[str]) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    for chunk in _chunks(sorted(set(emails)), BATCH):
        ids.update(User.objects.filter(email__in=chunk).values_list("email", "id"))
    return ids


def _write(plan: Plan) -> dict[str, int]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part
    known = _existing(User, "email", [u.email for u in plan.users])
    new_users = [u for u in plan.users if u.email not in known]
    for user in new_users:
        user.password = password
    _bulk(User, new_users)
    users = _user_ids([u.email for u in plan.users])
    taken = _existing(Salon, "slug", [s.slug for s in plan.salons])
    new = {s.id for s in plan.salons if s.slug not in taken}
    salons = [s for s in plan.salons if s.id in new]
    staff = [m for m in plan.staff if m.salon_id in new]
    staff_ids = {m.id for m in staff}
    for member, email in plan.staff_logins:
        member.user_id = users[email]
    appointments = [a for a, _ in plan.appointments if a.salon_id in new]
    for appointment, email in plan.appointments:
        appointment.customer_id = users[email]
    memberships = [
        SalonMember(id=uuid.uuid5(salon.id, email), salon=salon, user_id=users[email], role=role)
        for salon, email, role in plan.members
        if salon.id in new
    ] + [
        SalonMember(
            id=uuid.uuid5(m.salon.id, email),
            salon=m.salon,
            user_id=users[email],
            role=SalonMember.Role.STAFF,
        )
        for m, email in plan.staff_logins
        if m.salon_id in new
    ]
    Through = StaffMember.services.through
    created = {
        "users": len(new_users),
        "addresses": _bulk(Address, [s.address for s in salons]),
        "salons": _bulk(Salon, salons),
        "members": _bulk(SalonMember, memberships),
        "services": _bulk(Service, [s for s in plan.services if s.salon_id in new]),
        "staff": _bulk(StaffMember, staff),
        "staff_services": _bulk(
            Through,
            [
                Through(staffmember_id=m.id, service_id=s.id)
                for m, s in plan.staff_services
                if m.id in staff_ids
            ],
        ),
        "opening_hours": _bulk(OpeningHours, [h for h in plan.opening_hours if h.salon_id in new]),
        "working_hours": _bulk(
            WorkingHours, [h for h in plan.working_hours if h.staff_id in staff_ids]
        ),
        "closures": _bulk(Closure, [c for c in plan.closures if c.salon_id in new]),
        "time_off": _bulk(TimeOff, [t for t in plan.time_off if t.staff_id in staff_ids]),
        "appointments": _bulk(Appointment, appointments),
    }
    return created


def _bulk(model: Any, rows: Sequence[Any]) -> int:
    for chunk in _chunks(rows, BATCH):
        model._default_manager.bulk_create(chunk)
    return len(rows)


def _chunks(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
