"""Turns a notification row into the message a person reads, in the salon's time zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Engine
from django.utils import formats, timezone, translation

from booking.appointments.models import Appointment
from booking.notifications.calendar import appointment_ics
from booking.notifications.channels.base import Attachment, OutboundMessage
from booking.notifications.models import Channel, Kind, Notification

_WITH_CALENDAR = {Kind.BOOKING_CONFIRMATION, Kind.RESCHEDULE}
# Plain text, not HTML: the site's engine escapes what it renders, and a salon called
# "Hair & Co" reached customers as "Hair &amp; Co".
_TEXT = Engine(
    dirs=[str(Path(__file__).resolve().parent / "templates")],
    libraries={"i18n": "django.templatetags.i18n"},
    autoescape=False,
)
# What `render_message` reads (claims.py selects these, joining the models on the way): the
# other ~60 columns of the joined rows cost the worker more to select and convert than the
# message takes to render. A field missing here costs one query per message (the send path's
# statement count test fails).
MESSAGE_FIELDS = (
    "channel",
    "kind",
    "recipient",
    "language",
    "subject",
    "body",
    "appointment__start",
    "appointment__end",
    "appointment__updated_at",
    "appointment__price",
    "appointment__currency",
    "appointment__salon__name",
    "appointment__salon__timezone",
    "appointment__salon__cancellation_cutoff_minutes",
    "appointment__salon__address__line1",
    "appointment__salon__address__city",
    "appointment__salon__address__country",
    "appointment__service__name",
    "appointment__staff__display_name",
    "appointment__customer__first_name",
    "appointment__customer__last_name",
    "appointment__customer__email",
)


def render_message(notification: Notification) -> OutboundMessage:
    appointment = notification.appointment
    if appointment is None:  # an account e-mail, rendered when it was written
        return OutboundMessage(
            recipient=notification.recipient,
            subject=notification.subject,
            body=notification.body,
            reference=str(notification.id),
        )
    zone = ZoneInfo(appointment.salon.timezone)
    with translation.override(notification.language), timezone.override(zone):
        context = _context(appointment, zone)
        body_template = f"notifications/{notification.kind}.{notification.channel}.txt"
        subject = _TEXT.render_to_string(f"notifications/{notification.kind}.subject.txt", context)
        body = _TEXT.render_to_string(body_template, context)
    return OutboundMessage(
        recipient=notification.recipient,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n" if notification.channel == Channel.EMAIL else body.strip(),
        reference=str(notification.id),
        attachments=_attachments(notification),
    )


def _context(appointment: Appointment, zone: ZoneInfo) -> dict[str, object]:
    local_start = appointment.start.astimezone(zone)
    cutoff = local_start - dt.timedelta(minutes=appointment.salon.cancellation_cutoff_minutes)
    return {
        "customer_name": appointment.customer.full_name or appointment.customer.email,
        "salon_name": appointment.salon.name,
        "salon_address": str(appointment.salon.address),
        "service_name": appointment.service.name,
        "staff_name": appointment.staff.display_name,
        "when": formats.date_format(local_start, "DATETIME_FORMAT"),
        "cutoff": formats.date_format(cutoff, "DATETIME_FORMAT"),
        "timezone": appointment.salon.timezone,
        "price": appointment.price,
        "currency": appointment.currency,
    }


def _attachments(notification: Notification) -> tuple[Attachment, ...]:
    cancelled = notification.kind == Kind.CANCELLATION
    if notification.channel != Channel.EMAIL or not (
        cancelled or notification.kind in _WITH_CALENDAR
    ):
        return ()
    assert notification.appointment is not None  # account e-mails returned above
    ics = appointment_ics(notification.appointment, cancelled=cancelled)
    method = "CANCEL" if cancelled else "REQUEST"
    return (Attachment("appointment.ics", ics, f"text/calendar; method={method}"),)
