"""Who hears about an appointment, on which channels, in which language."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from booking.accounts.validators import validate_e164
from booking.appointments.models import Appointment
from booking.notifications.models import Channel
from booking.salons.models import SalonMember


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    language: str


def customer_recipients(appointment: Appointment) -> list[Recipient]:
    customer = appointment.customer
    recipients = []
    if customer.notify_by_email and customer.email:
        recipients.append(Recipient(Channel.EMAIL, customer.email, customer.language))
    if customer.notify_by_sms and _is_e164(customer.phone):
        recipients.append(Recipient(Channel.SMS, customer.phone, customer.language))
    return recipients


def staff_recipients(appointment: Appointment) -> list[Recipient]:
    """The staff member if they have a login, else the salon's owners."""
    staff_user = appointment.staff.user
    if staff_user is not None and staff_user.email:
        return [Recipient(Channel.EMAIL, staff_user.email, staff_user.language)]
    owners = SalonMember.objects.filter(
        salon_id=appointment.salon_id, role=SalonMember.Role.OWNER
    ).select_related("user")
    return [Recipient(Channel.EMAIL, m.user.email, m.user.language) for m in owners]


def _is_e164(phone: str) -> bool:
    if not phone:
        return False
    try:
        validate_e164(phone)
    except ValidationError:
        return False
    return True
