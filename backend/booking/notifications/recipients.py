"""Who hears about an appointment, on which channels, in which language."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router

from booking.accounts.validators import validate_e164
from booking.appointments.models import Appointment
from booking.core import sql
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
    alias = router.db_for_read(SalonMember)
    params = [
        sql.prepared(alias, SalonMember, "salon", appointment.salon_id),
        sql.prepared(alias, SalonMember, "role", SalonMember.Role.OWNER),
    ]
    owners = _OWNERS.load(alias, _OWNERS.where(alias, "salon", "role"), params)
    return [Recipient(Channel.EMAIL, m.user.email, m.user.language) for m in owners]


# Every booking reads them: a statement built once, not through the ORM.
_OWNERS = sql.JoinedSelect(SalonMember, ("user__email", "user__language"))


def _is_e164(phone: str) -> bool:
    if not phone:
        return False
    try:
        validate_e164(phone)
    except ValidationError:
        return False
    return True
