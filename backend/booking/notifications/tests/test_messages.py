from __future__ import annotations

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.appointments.tests.factories import AppointmentFactory
from booking.notifications.messages import render_message
from booking.notifications.tests.factories import NotificationFactory
from booking.salons.tests.factories import (
    AddressFactory,
    SalonFactory,
    ServiceFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

SALON = "O'Brien & Daughters <Hair>"
SERVICE = 'Cut & "Blow-dry"'
STAFF = "Zoë & Jo"
STREET = "1 Rue d'Alésia"
CUSTOMER_FIRST, CUSTOMER_LAST = "Ann-Marie", "O'Neil & Co"


@pytest.fixture
def appointment():
    salon = SalonFactory(name=SALON, address=AddressFactory(line1=STREET))
    service = ServiceFactory(salon=salon, name=SERVICE)
    return AppointmentFactory(
        service=service,
        staff=StaffMemberFactory(salon=salon, services=[service], display_name=STAFF),
        customer=UserFactory(first_name=CUSTOMER_FIRST, last_name=CUSTOMER_LAST),
    )


@pytest.mark.parametrize(
    ("kind", "channel", "names"),
    [
        ("booking_confirmation", "email", [SALON, SERVICE, STAFF, STREET, CUSTOMER_LAST]),
        ("booking_confirmation", "sms", [SALON, SERVICE]),
        ("new_booking_for_staff", "email", [SERVICE, STAFF, CUSTOMER_LAST]),
        ("cancellation", "email", [SALON, SERVICE]),
        ("reminder", "sms", [SALON, SERVICE]),
    ],
)
def test_names_reach_the_plain_text_message_as_typed(appointment, kind, channel, names):
    notification = NotificationFactory(appointment=appointment, kind=kind, channel=channel)

    message = render_message(notification)

    text = f"{message.subject}\n{message.body}"
    for name in names:
        assert name in text
    for escaped in ("&amp;", "&#x27;", "&quot;", "&lt;", "&gt;"):
        assert escaped not in text


def test_the_subject_is_one_line_and_an_email_body_ends_with_one_newline(appointment):
    notification = NotificationFactory(appointment=appointment)

    message = render_message(notification)

    assert message.subject == f"Booked: {SERVICE} at {SALON}"
    assert message.body.endswith(".\n") and not message.body.endswith("\n\n")
    assert f"Hello {CUSTOMER_FIRST} {CUSTOMER_LAST}," in message.body
