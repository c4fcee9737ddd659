from __future__ import annotations

from django.db import models
from django.db.models import Q

from booking.appointments.models import Appointment
from booking.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class Kind(models.TextChoices):
    BOOKING_CONFIRMATION = "booking_confirmation", "Booking confirmation"
    NEW_BOOKING_FOR_STAFF = "new_booking_for_staff", "New booking (staff)"
    CANCELLATION = "cancellation", "Cancellation"
    CANCELLATION_FOR_STAFF = "cancellation_for_staff", "Cancellation (staff)"
    RESCHEDULE = "reschedule", "Reschedule"
    RESCHEDULE_FOR_STAFF = "reschedule_for_staff", "Reschedule (staff)"
    REMINDER = "reminder", "Reminder"
    # allauth's own mails (verify e-mail, reset password, ...): rendered when written.
    ACCOUNT_EMAIL = "account_email", "Account e-mail"


STAFF_KINDS = (Kind.NEW_BOOKING_FOR_STAFF, Kind.CANCELLATION_FOR_STAFF, Kind.RESCHEDULE_FOR_STAFF)


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Its channel is in NOTIFICATIONS_DISABLED_CHANNELS: final, never handed to a provider.
    SUPPRESSED = "suppressed", "Suppressed"


class Notification(BaseModel):
    """One message to one recipient over one channel: the transactional outbox row.

    Written in the same transaction as the booking change that causes it; a worker claims it
    with a conditional update before talking to the provider, so it is sent at most once, and
    the periodic sweep re-enqueues whatever is still pending, so it is never lost.
    """

    # Empty for account e-mails, which belong to no appointment.
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    recipient = models.CharField(max_length=254, help_text="E-mail address or E.164 number")
    language = models.CharField(max_length=10, default="en")
    # Unique per intended message, so retries of the writing transaction cannot duplicate it
    # (a constraint in Meta: `unique=True` would add a second, pattern-matching index on
    # PostgreSQL that no query uses and every insert and update of an outbox row writes).
    dedupe_key = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Which send claimed the row: a batch claims its rows in one UPDATE, then reads back and
    # records only the rows carrying its own token.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Account e-mails are rendered by allauth when written and stored here; booking messages
    # are rendered at send time from the appointment and leave these empty.
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key_unique")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="notification_open_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} to {self.recipient} ({self.status})"
