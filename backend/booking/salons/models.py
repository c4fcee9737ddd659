from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from booking.accounts.validators import validate_e164
from booking.addresses.models import Address
from booking.core.models import BaseModel
from booking.core.validators import validate_currency, validate_timezone


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 2 * 60]


class Salon(BaseModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="salons")
    phone = models.CharField(max_length=16, blank=True, validators=[validate_e164])
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    is_active = models.BooleanField(default=True)
    # Booking policy: kept on the salon row because every availability request needs it.
    min_notice_minutes = models.PositiveIntegerField(default=120)
    horizon_days = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)])
    cancellation_cutoff_minutes = models.PositiveIntegerField(default=24 * 60)
    slot_step_minutes = models.PositiveIntegerField(default=15, validators=[MinValueValidator(5)])
    # Minutes before the start at which customers are reminded.
    reminder_offsets_minutes = models.JSONField(default=default_reminder_offsets, blank=True)

    class Meta:
        ordering = ["name", "id"]
        # The public list pages through active salons in this order.
        indexes = [
            models.Index(
                fields=["name", "id"], name="salon_active_by_name", condition=Q(is_active=True)
            ),
            # The list's page count (COUNT(*) of active salons) as an index-only scan. The
            # index above is too wide for the planner to prefer it over reading the table:
            # at 10000 salons that was a sequential scan of 295 pages (2.7 ms) on every
            # uncached page; this one is 40 (1.4 ms). Salons are written by their owners'
            # edits, never by a booking, so the extra index costs nothing on the hot path.
            models.Index(fields=["id"], name="salon_active_ids", condition=Q(is_active=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(horizon_days__gte=1), name="salon_horizon_positive"),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__gte=5), name="salon_slot_step_at_least_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SalonMember(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="salon_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["salon", "user"], name="salon_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.salon}"


class OpeningHours(BaseModel):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        verbose_name_plural = "opening hours"
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(BaseModel):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="closure_date_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.salon} closed {self.start_date}..{self.end_date}"


class Service(BaseModel):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(5)])
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, validators=[validate_currency])
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="service_duration"),
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.salon})"


class StaffMember(BaseModel):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profiles",
    )
    display_name = models.CharField(max_length=150)
    services = models.ManyToManyField(Service, related_name="staff", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["salon", "user"],
                condition=Q(user__isnull=False),
                name="staff_member_one_per_user_and_salon",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class WorkingHours(BaseModel):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        verbose_name_plural = "working hours"
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="working_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class TimeOff(BaseModel):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="time_off_order"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} off {self.start:%Y-%m-%d %H:%M}..{self.end:%Y-%m-%d %H:%M}"
