from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q

from booking.core.constraints import PostgresExclusionConstraint, TsTzRange
from booking.core.models import BaseModel
from booking.core.validators import validate_currency
from booking.salons.models import Salon, Service, StaffMember


class AppointmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED_BY_CUSTOMER = "cancelled_by_customer", "Cancelled by customer"
    CANCELLED_BY_SALON = "cancelled_by_salon", "Cancelled by salon"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold the staff member's time; cancelled appointments free it.
OCCUPYING_STATUSES = (
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


class Appointment(BaseModel):
    # No single-column indexes where a composite index below starts with the column: every
    # index is written on every booking.
    salon = models.ForeignKey(
        Salon, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    # end + the service's buffer: the time the staff member is not bookable again.
    occupied_until = models.DateTimeField()
    status = models.CharField(
        max_length=24, choices=AppointmentStatus.choices, default=AppointmentStatus.CONFIRMED
    )
    # Snapshots taken at booking, so later edits of the service do not rewrite history.
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    duration_minutes = models.PositiveIntegerField()
    buffer_minutes = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["customer", "start"], name="appointment_customer_start"),
            models.Index(fields=["salon", "start"], name="appointment_salon_start"),
            # What holds a staff member's time from a given instant on (availability, booking).
            models.Index(fields=["staff", "occupied_until"], name="appointment_staff_until"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appointment_order"),
            models.CheckConstraint(
                condition=Q(end__lte=F("occupied_until")), name="appointment_buffer_order"
            ),
            PostgresExclusionConstraint(
                name="appointment_no_overlap_per_staff",
                expressions=[
                    (TsTzRange("start", "occupied_until"), RangeOperators.OVERLAPS),
                    ("staff", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=OCCUPYING_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} at {self.start:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_cancelled(self) -> bool:
        return self.status in (
            AppointmentStatus.CANCELLED_BY_CUSTOMER,
            AppointmentStatus.CANCELLED_BY_SALON,
        )
